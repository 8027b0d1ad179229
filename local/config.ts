/**
 * The local stack's settings from the environment: ports, the data folder and an optional
 * external database. The one reader of `Deno.env` in local/ (the functions have their own).
 */
import { resolve } from 'node:path'
import { z } from 'zod'

export type StackPorts = { db: number; api: number; notify: number; web: number }

export type LocalSettings = {
  ports: StackPorts
  dataDir: string
  /**
   * Another Postgres to use instead of the embedded one (e.g. `supabase start`'s): the URL of its
   * `postgres` role, which migrations, seed, functions and tools use.
   */
  databaseUrl: string | undefined
  /**
   * That Postgres's platform superuser (`supabase_admin`), for the shim, the Auth stand-in and
   * the pg_net/pg_cron worker; defaults to `databaseUrl`, enough where the platform's parts are
   * real (`supabase start`: the shim then has nothing to do).
   */
  databaseAdminUrl: string | undefined
  /** The Notify double's limit per key, and the pace the sender keeps under it. */
  notifyRatePerMinute: number
  /**
   * Changes to the environment the functions get, for tests of the platform's other shapes of it
   * (local/serve_functions.ts): a name set to text takes that value, a name set to null is unset.
   */
  functionsEnv: FunctionEnvChanges
}

export type FunctionEnvChanges = Record<string, string | null>

/** `LOCAL_FUNCTIONS_ENV`: a JSON object of variable names to text or null. */
const functionsEnvSchema = z.string().transform((text, ctx): FunctionEnvChanges => {
  try {
    const parsed = z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), z.string().nullable())
      .safeParse(JSON.parse(text))
    if (parsed.success) return parsed.data
  } catch {
    // reported below
  }
  ctx.addIssue({ code: 'custom', message: 'must be a JSON object of names to text or null' })
  return z.NEVER
})

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback)

const envSchema = z.object({
  LOCAL_DB_PORT: port(54322),
  LOCAL_API_PORT: port(54321),
  LOCAL_NOTIFY_PORT: port(54324),
  LOCAL_WEB_PORT: port(3000),
  LOCAL_DATA_DIR: z.string().min(1).default('.local'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  DATABASE_ADMIN_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  LOCAL_NOTIFY_RATE_PER_MINUTE: z.coerce.number().int().positive().default(3000),
  LOCAL_FUNCTIONS_ENV: functionsEnvSchema.optional(),
})

export function localSettings(env: Record<string, string | undefined> = Deno.env.toObject()) {
  const result = envSchema.safeParse(env)
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`)
    throw new Error(`Invalid local settings: ${problems.join('; ')}`)
  }
  const parsed = result.data
  if (parsed.DATABASE_ADMIN_URL && !parsed.DATABASE_URL) {
    throw new Error('Invalid local settings: DATABASE_ADMIN_URL is used only with DATABASE_URL')
  }
  return {
    ports: {
      db: parsed.LOCAL_DB_PORT,
      api: parsed.LOCAL_API_PORT,
      notify: parsed.LOCAL_NOTIFY_PORT,
      web: parsed.LOCAL_WEB_PORT,
    },
    dataDir: resolve(parsed.LOCAL_DATA_DIR),
    databaseUrl: parsed.DATABASE_URL,
    databaseAdminUrl: parsed.DATABASE_URL && (parsed.DATABASE_ADMIN_URL ?? parsed.DATABASE_URL),
    notifyRatePerMinute: parsed.LOCAL_NOTIFY_RATE_PER_MINUTE,
    functionsEnv: parsed.LOCAL_FUNCTIONS_ENV ?? {},
  } satisfies LocalSettings
}

/** A port nothing listens on right now, for parts started on "any free port". */
export function freePort(): number {
  const listener = Deno.listen({ hostname: '127.0.0.1', port: 0 })
  const { port } = listener.addr
  listener.close()
  return port
}
