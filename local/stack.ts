/**
 * The whole local platform in one call: Postgres (or `DATABASE_URL`), the shim, migrations and
 * seed, the Vault secrets the SQL reads, the pg_net/pg_cron worker, the Notify double, the API
 * gateway (functions and Auth) and the static site. `stop()` ends everything it started, in
 * reverse order, even when one part fails to stop.
 */
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import postgres from 'postgres'
import { createSendEmailHook } from './auth/email.ts'
import { createAuthServer } from './auth/server.ts'
import { createAuthStore } from './auth/store.ts'
import { createTokenSigner } from './auth/tokens.ts'
import { freePort, type FunctionEnvChanges, type StackPorts } from './config.ts'
import { type GatewayOptions, startGateway } from './gateway/gateway.ts'
import { loadOrCreateKeys, publicJwks } from './keys.ts'
import { applyMigrations } from './database/migrations.ts'
import { startNotifyDouble } from './notify_double/server.ts'
import { startPlatformWorker } from './database/platform_worker.ts'
import { startPostgres } from './database/postgres.ts'
import { startWebServer } from './gateway/web_server.ts'
import { type NotificationKind, templateVariable } from '../supabase/functions/_shared/config.ts'

export type StackOptions = {
  /** 0 picks a free port. */
  ports: StackPorts
  dataDir: string
  /**
   * Use this Postgres instead of starting one (the `db` port is then unused): the URL of its
   * `postgres` role, and of its platform superuser (defaults to the first; see LocalSettings).
   */
  databaseUrl?: string
  databaseAdminUrl?: string
  /** Print progress as parts start. */
  quiet?: boolean
  /** The Notify double's limit per key and the pace the sender keeps; Notify's default, 3,000. */
  notifyRatePerMinute?: number
  /**
   * Start no gateway here: local/serve_functions.ts serves `ports.api` from a process of its own
   * (which fault tests kill). Vault and the double's receipts still point at `ports.api`.
   */
  functionsElsewhere?: boolean
  /** Served by the gateway beside the functions; see `GatewayOptions.extraApps`. */
  extraApps?: GatewayOptions['extraApps']
}

export type FunctionsOptions = {
  port: number
  dataDir: string
  /** The database as `postgres` (not a superuser), as hosted gives functions SUPABASE_DB_URL. */
  db: string
  /** The platform superuser's URL, for the Auth stand-in (on hosted, Auth has a role of its own). */
  dbAdmin: string
  notifyUrl: string
  webUrl: string
  notifyRatePerMinute?: number
  extraApps?: GatewayOptions['extraApps']
  /** Applied over the environment below: another shape the platform may give it. */
  envChanges?: FunctionEnvChanges
}

export type Functions = { url: string; functions: string[]; stop(): Promise<void> }

export type Stack = {
  /** `db` is the database as `postgres`; `dbAdmin` as the platform superuser, for platform work. */
  urls: { api: string; db: string; dbAdmin: string; notify: string; web: string }
  keys: { publishable: string; secret: string; sendEmailHookSecret: string }
  /** Functions the gateway serves. */
  functions: string[]
  stop(): Promise<void>
}

const repoRoot = fileURLToPath(new URL('..', import.meta.url))
const supabaseDir = join(repoRoot, 'supabase')
const notifyTemplatesDir = join(repoRoot, 'notify', 'templates')
const webDir = join(repoRoot, 'web')

/** Where DfE support is reached; the real address of the service this journey came from. */
const supportEmail = 'continuing-professional-development@digital.education.gov.uk'

/** Sign-in codes one address may be sent per hour. */
const codesPerHour = 30

export async function startStack(
  {
    ports,
    dataDir,
    databaseUrl,
    databaseAdminUrl = databaseUrl,
    quiet,
    notifyRatePerMinute = 3000,
    functionsElsewhere,
    extraApps,
  }: StackOptions,
): Promise<Stack> {
  const log = (message: string) => quiet || console.error(`[stack] ${message}`)
  const stops: (() => Promise<void>)[] = []
  const stop = async () => {
    for (const stopPart of stops.reverse()) {
      await stopPart().catch((error) => console.error(`[stack] stopping: ${describe(error)}`))
    }
    stops.length = 0
  }

  try {
    const keys = await loadOrCreateKeys(dataDir)
    const apiPort = ports.api || freePort()
    const notifyPort = ports.notify || freePort()
    const webPort = ports.web || freePort()
    const api = `http://127.0.0.1:${apiPort}`
    const web = `http://127.0.0.1:${webPort}`

    let db = databaseUrl
    let dbAdmin = databaseAdminUrl
    if (!db || !dbAdmin) {
      log('starting Postgres')
      const server = await startPostgres({ dataDir, port: ports.db || freePort() })
      stops.push(server.stop)
      db = server.url
      dbAdmin = server.adminUrl
    }

    log('applying migrations')
    const { applied, seeded } = await applyMigrations(db, {
      projectDir: repoRoot,
      adminUrl: dbAdmin,
    })
    log(`${applied.length} migration(s) applied${seeded ? ', seeded' : ''}`)
    // As `postgres`, as the README's deploy steps do in the hosted SQL editor.
    await storeVaultSecrets(db, {
      notifications_function_url: `${api}/functions/v1/notifications`,
      notifications_function_secret: keys.secretKey,
    })

    const templates = await readTemplateManifest(notifyTemplatesDir)
    log('starting the Notify double')
    const notify = await startNotifyDouble({
      port: notifyPort,
      hostname: '127.0.0.1',
      apiKeys: [keys.notifyApiKey],
      templatesDirs: templates.length ? [notifyTemplatesDir] : [],
      callbackUrl: `${api}/functions/v1/notify-callback`,
      callbackBearerToken: keys.notifyCallbackToken,
      ratePerMinute: notifyRatePerMinute,
    })
    stops.push(notify.stop)

    let gateway: Functions | undefined
    if (!functionsElsewhere) {
      log('starting the gateway')
      gateway = await startFunctions({
        port: apiPort,
        dataDir,
        db,
        dbAdmin,
        notifyUrl: notify.url,
        webUrl: web,
        notifyRatePerMinute,
        extraApps,
      })
      stops.push(gateway.stop)
    }

    // pg_net's and pg_cron's workers are the platform's: they run as its superuser.
    const worker = startPlatformWorker(dbAdmin)
    stops.push(worker.stop)
    await worker.ready

    const siteDir = join(dataDir, 'web')
    await buildWeb(siteDir, api, log)
    const site = await startWebServer({
      port: webPort,
      distDir: siteDir,
      appConfig: { apiUrl: api, publishableKey: keys.publishableKey },
    })
    stops.push(site.stop)

    return {
      urls: { api: gateway?.url ?? api, db, dbAdmin, notify: notify.url, web: site.url },
      keys: {
        publishable: keys.publishableKey,
        secret: keys.secretKey,
        sendEmailHookSecret: keys.sendEmailHookSecret,
      },
      functions: gateway?.functions ?? [],
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}

/**
 * The gateway, serving every function and the Auth stand-in in this process, with the environment
 * the platform gives functions (handed to their app factories; this process's own is left
 * alone). `stop()` lets requests in progress finish, then closes the functions' database pools.
 */
export async function startFunctions(
  {
    port,
    dataDir,
    db,
    dbAdmin,
    notifyUrl,
    webUrl,
    notifyRatePerMinute = 3000,
    extraApps,
    envChanges = {},
  }: FunctionsOptions,
): Promise<Functions> {
  const keys = await loadOrCreateKeys(dataDir)
  const api = `http://127.0.0.1:${port}`
  const templates = await readTemplateManifest(notifyTemplatesDir)
  const authStore = createAuthStore(dbAdmin, { codesPerHour, maxCodeAttempts: 5 })
  try {
    await authStore.prepare()
    const jwks = publicJwks(keys)
    const functionEnv = withChanges({
      SUPABASE_URL: api,
      SUPABASE_DB_URL: db,
      SUPABASE_PUBLISHABLE_KEYS: JSON.stringify({ default: keys.publishableKey }),
      SUPABASE_SECRET_KEYS: JSON.stringify({ default: keys.secretKey }),
      SUPABASE_JWKS: JSON.stringify(jwks),
      NOTIFY_API_KEY: keys.notifyApiKey,
      NOTIFY_BASE_URL: notifyUrl,
      NOTIFY_CALLBACK_BEARER_TOKEN: keys.notifyCallbackToken,
      NOTIFY_RATE_PER_MINUTE: String(notifyRatePerMinute),
      SEND_EMAIL_HOOK_SECRET: keys.sendEmailHookSecret,
      WEB_ORIGIN: webUrl,
      SUPPORT_EMAIL: supportEmail,
      ...Object.fromEntries(
        templates.map(({ kind, id }) => [templateVariable(kind), id]),
      ),
    }, envChanges)
    const auth = createAuthServer({
      store: authStore,
      signer: await createTokenSigner(`${api}/auth/v1`, keys.signingKey),
      jwks,
      // Configured as `[auth.hook.send_email]` is on hosted: Auth calls our function to send.
      sendEmail: createSendEmailHook({
        uri: `${api}/functions/v1/auth-email-hook`,
        secrets: [keys.sendEmailHookSecret],
        siteUrl: webUrl,
        externalUrl: `${api}/auth/v1`,
      }),
      apiKeys: [keys.publishableKey, keys.secretKey],
    })
    const gateway = await startGateway({
      port,
      functionsDir: join(supabaseDir, 'functions'),
      functionEnv,
      auth,
      extraApps,
    })
    return {
      url: gateway.url,
      functions: gateway.functions,
      // The functions' pools live in this process: the gateway closes them once it has finished
      // its requests, so the database can stop cleanly.
      async stop() {
        await gateway.stop()
        await authStore.close()
      },
    }
  } catch (error) {
    await authStore.close()
    throw error
  }
}

/** `env` with `changes` applied over it; a null change unsets the variable. */
function withChanges(
  env: Record<string, string>,
  changes: FunctionEnvChanges,
): Record<string, string> {
  const changed = { ...env }
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete changed[name]
    else changed[name] = value
  }
  return changed
}

/** Creates or updates each named Vault secret, as one would in the SQL editor on hosted. */
async function storeVaultSecrets(url: string, secrets: Record<string, string>): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    for (const [name, value] of Object.entries(secrets)) {
      const [existing] = await sql<
        { id: string }[]
      >`select id from vault.secrets where name = ${name}`
      if (existing) await sql`select vault.update_secret(${existing.id}, ${value})`
      else await sql`select vault.create_secret(${value}, ${name})`
    }
  } finally {
    await sql.end()
  }
}

type TemplateEntry = { id: string; kind: NotificationKind }

/** The service's Notify templates; none yet is not an error (the emails are being written). */
async function readTemplateManifest(dir: string): Promise<TemplateEntry[]> {
  try {
    return JSON.parse(await Deno.readTextFile(join(dir, 'templates.json')))
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return []
    throw new Error(`${dir}/templates.json: ${describe(error)}`)
  }
}

type BuildSite = (options: {
  outDir: string
  apiUrl: string
  supportEmail: string
  preview: boolean
}) => Promise<void>

/**
 * Builds the site with `web/build.ts` into this stack's own folder (two stacks at once must not
 * overwrite each other's pages, whose content security policy names their API). A missing or
 * broken build is reported, not fatal: the API stays up and the site's own tests fail instead.
 */
async function buildWeb(outDir: string, apiUrl: string, log: (message: string) => void) {
  const script = join(webDir, 'build.ts')
  try {
    await Deno.stat(script)
  } catch {
    log('no web/build.ts yet: the site is empty')
    return
  }
  log('building the site')
  try {
    const { buildSite }: { buildSite: BuildSite } = await import(pathToFileURL(script).href)
    await buildSite({ outDir, apiUrl, supportEmail, preview: true })
  } catch (error) {
    console.error(`[stack] web/build.ts failed: ${describe(error)}`)
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
