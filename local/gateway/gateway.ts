/**
 * The local API gateway, standing where Supabase's sits: `/functions/v1/<name>/...` reaches the
 * function's Hono app in-process, seeing the path as `/<name>/...` as it does on hosted, and
 * `/auth/v1/...` reaches the Auth stand-in. Like the hosted gateway with `verify_jwt = false`, it
 * checks nothing itself and passes every method, CORS preflights included, to the function.
 *
 * Each function's app is made by the factory its `app.ts` exports, `create<Name>App` (`<Name>`
 * the folder's name in PascalCase: `lead-provider-api` -> `createLeadProviderApiApp`), given what
 * its `index.ts` gives it on hosted: the configuration read from the environment the platform
 * sets (here `functionEnv`, never this process's own) and a database pool of its own.
 */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { type Config, readConfig } from '../../supabase/functions/_shared/config.ts'
import type { Database } from '../../supabase/functions/_shared/db.ts'
import { type FunctionDeps, platformDeps } from '../../supabase/functions/_shared/function_deps.ts'

type FetchHandler = (request: Request) => Response | Promise<Response>

/** A function's app factory, as each `app.ts` exports one. */
export type AppFactory = (deps: FunctionDeps<keyof Config>) => { fetch: FetchHandler }

export type GatewayOptions = {
  hostname?: string
  port: number
  /** `supabase/functions`: every folder in it with an `app.ts`, except `_shared`, is served. */
  functionsDir: string
  /** The environment the platform gives each function: its variables, by name. */
  functionEnv: Record<string, string>
  auth: { fetch: FetchHandler }
  /**
   * Apps served beside the functions, by name, at `/functions/v1/<name>/...`: for benchmarks only
   * (bench/ gives a floor route), so nothing outside `supabase/functions` ever ships.
   */
  extraApps?: Record<string, AppFactory>
}

export type Gateway = { url: string; functions: string[]; stop(): Promise<void> }

type LoadedFunction = { fetch: FetchHandler } | { error: string }

type Served = { functions: Map<string, LoadedFunction>; close(): Promise<void> }

/**
 * Methods the Fetch standard forbids in a `Request`, so the copy below would throw (a 500). Hosted
 * answers them with a 4xx before any function runs; so does this gateway.
 */
const forbiddenMethods = new Set(['CONNECT', 'TRACE', 'TRACK'])

export async function startGateway(
  { hostname = '127.0.0.1', port, functionsDir, functionEnv, auth, extraApps = {} }: GatewayOptions,
): Promise<Gateway> {
  const { functions, close } = await loadFunctions(functionsDir, functionEnv, extraApps)
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
    // Requests in progress finish first, then each function's pool closes.
    stop: async () => {
      await server.shutdown()
      await close()
    },
  }
}

/**
 * Makes every function's app, and the extra apps, each with a configuration and a database pool
 * of its own, as each function has on hosted. A function that fails to load answers 503 and is
 * reported, rather than stopping the stack for every other function, as a failed boot does on
 * hosted.
 */
async function loadFunctions(
  functionsDir: string,
  env: Record<string, string>,
  extraApps: Record<string, AppFactory>,
): Promise<Served> {
  const functions = new Map<string, LoadedFunction>()
  const databases: Database[] = []
  const serve = (factory: AppFactory): LoadedFunction => {
    const deps = platformDeps(readConfig((name) => env[name]))
    databases.push(deps.database)
    const app = factory(deps)
    return { fetch: (request) => app.fetch(request) }
  }
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
    const factoryName = `create${pascalCase(name)}App`
    try {
      const module = await import(pathToFileURL(appFile).href)
      const factory = module[factoryName]
      if (typeof factory !== 'function') throw new Error(`app.ts does not export ${factoryName}`)
      functions.set(name, serve(factory))
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      console.error(`[gateway] function ${name} failed to load: ${message}`)
      functions.set(name, { error: message })
    }
  }
  for (const [name, factory] of Object.entries(extraApps)) functions.set(name, serve(factory))
  return {
    functions,
    close: async () => {
      await Promise.all(databases.map((database) => database.close()))
    },
  }
}

/** `lead-provider-api` -> `LeadProviderApi`. */
function pascalCase(name: string): string {
  return name.split(/[-_]/).map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('')
}
