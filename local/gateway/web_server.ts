/**
 * The static site, served as a static host would serve it: the files `web/build.ts` writes to
 * `web/dist/`, pretty URLs (`/report-a-mistake` -> `report-a-mistake.html`), correct content
 * types, HTML never cached, `404.html` for anything missing, and the headers the build asks for
 * in a `_headers` file (the Netlify / Cloudflare Pages format, e.g. the content security policy).
 * `/config.js` is generated: it tells the pages the API base URL and publishable key
 * (`window.APP_CONFIG`).
 */
import { extname, join, normalize, sep } from 'node:path'

export type WebServerOptions = {
  hostname?: string
  port: number
  distDir: string
  /** What the pages call: the gateway base URL and its publishable key. */
  appConfig: { apiUrl: string; publishableKey: string }
}

export type WebServer = { url: string; stop(): Promise<void> }

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.jpg': 'image/jpeg',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
}

const commonHeaders = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
}

export function startWebServer(
  { hostname = '127.0.0.1', port, distDir, appConfig }: WebServerOptions,
): Promise<WebServer> {
  const root = normalize(distDir)
  const configScript = `window.APP_CONFIG = ${JSON.stringify(appConfig)}\n`
  const server = Deno.serve({ hostname, port, onListen: () => {} }, async (request) => {
    const response = await serveFile(request)
    const rules = await readHeaderRules(root)
    for (const [name, value] of matchingHeaders(rules, new URL(request.url).pathname)) {
      response.headers.set(name, value)
    }
    return response
  })
  return Promise.resolve({
    url: `http://${hostname}:${server.addr.port}`,
    stop: () => server.shutdown(),
  })

  async function serveFile(request: Request): Promise<Response> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed', {
        status: 405,
        headers: { ...commonHeaders, allow: 'GET, HEAD' },
      })
    }
    const { pathname } = new URL(request.url)
    if (pathname === '/config.js') return respond(request, configScript, '.js', 200)
    // Host configuration, not content.
    const file = pathname === '/_headers' ? undefined : await findFile(root, pathname)
    if (file) return respond(request, await Deno.readFile(file), extname(file), 200)
    const notFoundPage = await readIfFile(join(root, '404.html'))
    return notFoundPage
      ? respond(request, notFoundPage, '.html', 404)
      : respond(request, 'Page not found\n', '.txt', 404)
  }
}

type HeaderRule = { pattern: string; headers: [string, string][] }

/** Reads `_headers` on every request, so a rebuild needs no restart. */
async function readHeaderRules(root: string): Promise<HeaderRule[]> {
  const text = await Deno.readTextFile(join(root, '_headers')).catch(() => '')
  const rules: HeaderRule[] = []
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue
    if (!/^\s/.test(line)) rules.push({ pattern: line.trim(), headers: [] })
    else {
      const separator = line.indexOf(':')
      const rule = rules.at(-1)
      if (rule && separator > 0) {
        rule.headers.push([line.slice(0, separator).trim(), line.slice(separator + 1).trim()])
      }
    }
  }
  return rules
}

/** The headers of every rule whose path pattern (exact, or ending in `*`) matches. */
function matchingHeaders(rules: HeaderRule[], pathname: string): [string, string][] {
  return rules.filter(({ pattern }) =>
    pattern.endsWith('*') ? pathname.startsWith(pattern.slice(0, -1)) : pathname === pattern
  ).flatMap(({ headers }) => headers)
}

function respond(
  request: Request,
  body: string | Uint8Array<ArrayBuffer>,
  extension: string,
  status: number,
): Response {
  const headers = {
    ...commonHeaders,
    'content-type': contentTypes[extension] ?? 'application/octet-stream',
    // Pages and the generated config change with each build or stack; assets may be cached.
    'cache-control': extension === '.html' || extension === '.js' ? 'no-cache' : 'max-age=300',
  }
  return new Response(request.method === 'HEAD' ? null : body, { status, headers })
}

/** The file a static host would serve for `pathname`, never one outside `root`. */
async function findFile(root: string, pathname: string): Promise<string | undefined> {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return undefined
  }
  if (decoded.includes('\0')) return undefined
  const base = normalize(join(root, decoded))
  if (base !== root && !base.startsWith(root + sep)) return undefined
  const candidates = decoded.endsWith('/')
    ? [join(base, 'index.html')]
    : [base, `${base}.html`, join(base, 'index.html')]
  for (const candidate of candidates) {
    if (await isFile(candidate)) return candidate
  }
  return undefined
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile
  } catch {
    return false
  }
}

async function readIfFile(path: string): Promise<Uint8Array<ArrayBuffer> | undefined> {
  return (await isFile(path)) ? await Deno.readFile(path) : undefined
}
