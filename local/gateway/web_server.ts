/**
 * The static site, served as a static host would serve it: the files `web/build.ts` writes to
 * `web/dist/` through Hono's own static middleware (content types, `index.html` for folders, no
 * path outside the folder), pretty URLs (`/report-a-mistake` -> `report-a-mistake.html`),
 * `404.html` for anything missing, and the headers the build asks for in a `_headers` file (the
 * Netlify / Cloudflare Pages format, e.g. the content security policy and the assets' long cache):
 * that file's reading is the one part here that is ours. As those hosts do, every file carries an
 * ETag and is revalidated on each use (`no-cache`) unless `_headers` says otherwise, and a
 * revalidation that matches is answered 304 with no body. `/config.js` is generated: it tells the
 * portals the API base URL and publishable key (`window.APP_CONFIG`).
 */
import { Hono } from 'hono'
import { serveStatic } from 'hono/deno'
import { etag } from 'hono/etag'
import { join, normalize } from 'node:path'

export type WebServerOptions = {
  hostname?: string
  port: number
  distDir: string
  /** What the pages call: the gateway base URL and its publishable key. */
  appConfig: { apiUrl: string; publishableKey: string }
}

export type WebServer = { url: string; stop(): Promise<void> }

const commonHeaders = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
}

export function startWebServer(
  { hostname = '127.0.0.1', port, distDir, appConfig }: WebServerOptions,
): Promise<WebServer> {
  const app = createWebApp(normalize(distDir), appConfig)
  const server = Deno.serve({ hostname, port, onListen: () => {} }, app.fetch)
  return Promise.resolve({
    url: `http://${hostname}:${server.addr.port}`,
    stop: () => server.shutdown(),
  })
}

function createWebApp(root: string, appConfig: WebServerOptions['appConfig']) {
  const configScript = `window.APP_CONFIG = ${JSON.stringify(appConfig)}\n`
  const app = new Hono()

  app.use(async (c, next) => {
    await next()
    for (const [name, value] of Object.entries(commonHeaders)) c.res.headers.set(name, value)
    // A static host's default: use a copy only after asking whether it is still current.
    c.res.headers.set('cache-control', 'no-cache')
    const rules = await readHeaderRules(root)
    for (const [name, value] of matchingHeaders(rules, c.req.path)) c.res.headers.set(name, value)
  })

  // Inside the headers above, so a 304 carries them too, as a host's does.
  app.use(etag())

  app.get('/config.js', (c) => {
    c.header('content-type', 'text/javascript; charset=utf-8')
    return c.body(configScript)
  })
  // Host configuration, not content.
  app.get('/_headers', (c) => c.notFound())
  app.use(serveStatic({ root }))
  app.use(serveStatic({ root, rewriteRequestPath: (path) => `${path}.html` }))
  app.on(['GET', 'HEAD'], '*', (c) => c.notFound())
  app.all('*', (c) => c.text('Method not allowed', 405, { allow: 'GET, HEAD' }))

  app.notFound(async (c) => {
    const page = await Deno.readFile(join(root, '404.html')).catch(() => undefined)
    return page
      ? c.body(page, 404, { 'content-type': 'text/html; charset=utf-8' })
      : c.text('Page not found\n', 404)
  })
  return app
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
