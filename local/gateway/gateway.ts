/**
 * The local API gateway, standing where Supabase's sits: `/functions/v1/<name>/...` reaches the
 * function's Hono app in-process, seeing the path as `/<name>/...` as it does on hosted, and
 * `/auth/v1/...` reaches the Auth stand-in. Like the hosted gateway with `verify_jwt = false`, it
 * checks nothing itself and passes every method, CORS preflights included, to the function.
 */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

type FetchHandler = (request: Request) => Response | Promise<Response>

export type GatewayOptions = {
  hostname?: string
  port: number
  /** `supabase/functions`: every folder in it with an `app.ts`, except `_shared`, is served. */
  functionsDir: string
  auth: { fetch: FetchHandler }
  /**
   * Apps served beside the functions, by name, at `/functions/v1/<name>/...`: for benchmarks only
   * (bench/ gives a floor route), so nothing outside `supabase/functions` ever ships.
   */
  extraApps?: Record<string, { fetch: FetchHandler }>
}

export type Gateway = { url: string; functions: string[]; stop(): Promise<void> }

type LoadedFunction = { fetch: FetchHandler } | { error: string }

/**
 * Methods the Fetch standard forbids in a `Request`, so the copy below would throw (a 500). Hosted
 * answers them with a 4xx before any function runs; so does this gateway.
 */
const forbiddenMethods = new Set(['CONNECT', 'TRACE', 'TRACK'])

export async function startGateway(
  { hostname = '127.0.0.1', port, functionsDir, auth, extraApps = {} }: GatewayOptions,
): Promise<Gateway> {
  const functions = await loadFunctions(functionsDir)
  for (const [name, extra] of Object.entries(extraApps)) {
    functions.set(name, { fetch: (request) => extra.fetch(request) })
  }
  const server = Deno.serve({ hostname, port, onListen: () => {} }, (request) => {
    const url = new URL(request.url)
    if (url.pathname === '/auth/v1' || url.pathname.startsWith('/auth/v1/')) {
      return auth.fetch(request)
    }
    const match = url.pathname.match(/^\/functions\/v1\/([^/]+)(\/.*)?$/)
    const loaded = match ? functions.get(match[1]!) : undefined
    if (!match || !loaded) {
      return Response.json({ code: 'NOT_FOUND', message: 'Requested function was not found' }, {
        status: 404,
      })
    }
    if ('error' in loaded) {
      return Response.json({ code: 'BOOT_ERROR', message: 'Function failed to start' }, {
        status: 503,
      })
    }
    if (forbiddenMethods.has(request.method.toUpperCase())) {
      return Response.json(
        { code: 'METHOD_NOT_ALLOWED', message: `${request.method} is not allowed` },
        { status: 405 },
      )
    }
    url.pathname = `/${match[1]}${match[2] ?? ''}`
    // A copy without the incoming signal: Deno aborts that once the response is sent, which a
    // function must not mistake for the caller going away.
    return loaded.fetch(
      new Request(url, { method: request.method, headers: request.headers, body: request.body }),
    )
  })
  return {
    url: `http://${hostname}:${server.addr.port}`,
    functions: [...functions].filter(([, loaded]) => 'fetch' in loaded).map(([name]) => name),
    stop: () => server.shutdown(),
  }
}

/**
 * Imports every function's `app.ts`. A function that fails to load answers 503 and is reported,
 * rather than stopping the stack for every other function, as a failed boot does on hosted.
 */
async function loadFunctions(functionsDir: string): Promise<Map<string, LoadedFunction>> {
  const functions = new Map<string, LoadedFunction>()
  const names: string[] = []
  for await (const entry of Deno.readDir(functionsDir)) {
    if (entry.isDirectory && !entry.name.startsWith('_') && !entry.name.startsWith('.')) {
      names.push(entry.name)
    }
  }
  for (const name of names.sort()) {
    const appFile = join(functionsDir, name, 'app.ts')
    try {
      await Deno.stat(appFile)
    } catch {
      continue
    }
    try {
      const module = await import(pathToFileURL(appFile).href)
      if (typeof module.app?.fetch !== 'function') throw new Error('app.ts does not export `app`')
      functions.set(name, { fetch: (request) => module.app.fetch(request) })
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      console.error(`[gateway] function ${name} failed to load: ${message}`)
      functions.set(name, { error: message })
    }
  }
  return functions
}
