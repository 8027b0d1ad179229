/**
 * Brings a database up to date the way a deploy does: the platform shim (local/database/shim.sql)
 * as the platform superuser, then the Supabase CLI itself, as `postgres` (the role `supabase db
 * push` uses on hosted, not a superuser): `db push --include-seed` applies each pending migration
 * in its own transaction, recorded in supabase_migrations.schema_migrations, then runs the seed
 * files not yet recorded in supabase_migrations.seed_files (a changed seed only has its hash
 * updated), exactly as `supabase db push --include-seed` would against hosted.
 */
import postgres from 'postgres'
import { runSupabaseCli } from './supabase_cli.ts'

export interface ApplyMigrationsOptions {
  /** The folder holding `supabase/` (config.toml, migrations, seed.sql). */
  projectDir: string
  /**
   * The platform superuser's URL (`supabase_admin`), which applies the shim. Defaults to the
   * URL given, which suits only a database whose platform parts exist already (`supabase
   * start`): there the shim finds everything in place and changes nothing.
   */
  adminUrl?: string
}

export interface AppliedMigrations {
  /** File names of the migrations applied by this call, in the order applied. */
  applied: string[]
  /** Whether this call ran a seed file. */
  seeded: boolean
}

const shimFile = new URL('./shim.sql', import.meta.url)
/** Serialises concurrent callers (two test runs, dev and test) on one database. */
const advisoryLockKey = 5_432_001

export async function applyMigrations(
  url: string,
  { projectDir, adminUrl = url }: ApplyMigrationsOptions,
): Promise<AppliedMigrations> {
  // The shim comes first: on a fresh cluster it creates the role `url` names. The lock, taken by
  // the shim's session, is held until the CLI is done.
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  try {
    await admin`select pg_advisory_lock(${advisoryLockKey})`
    await runShim(admin)
    // --include-all: a branch merged later may bring a migration older than the newest one
    // applied here; the local database takes it, as the old runner did, rather than stopping.
    const cli = await runSupabaseCli(
      projectDir,
      url,
      'db',
      'push',
      '--include-all',
      '--include-seed',
      '--yes',
    )
    if (cli.code !== 0) {
      throw new Error(`supabase db push failed:\n${cli.stderr.trim() || cli.stdout.trim()}`)
    }
    return {
      applied: [...cli.stderr.matchAll(/^Applying migration (\S+\.sql)\.\.\.$/gm)].map((m) =>
        m[1]!
      ),
      seeded: /^Seeding data from /m.test(cli.stderr),
    }
  } finally {
    // Closing the session also releases the advisory lock.
    await admin.end()
  }
}

/**
 * Applies only the platform shim (idempotent), as the platform superuser whose URL is given, for
 * tests and tools that need no migrations.
 */
export async function applyShim(adminUrl: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} })
  try {
    await sql`select pg_advisory_lock(${advisoryLockKey})`
    await runShim(sql)
  } finally {
    await sql.end()
  }
}

async function runShim(sql: postgres.Sql): Promise<void> {
  const text = await Deno.readTextFile(shimFile)
  try {
    // One simple-protocol query: the whole file runs as one implicit transaction.
    await sql.unsafe(text)
  } catch (error) {
    if (!(error instanceof postgres.PostgresError)) throw error
    const position = Number(error.position)
    const line = position > 0
      ? ` at line ${[...text].slice(0, position).join('').split('\n').length}`
      : ''
    const extra = [error.detail, error.hint].filter(Boolean).map((text) => `\n${text}`).join('')
    throw new Error(`The platform shim failed${line}: ${error.message}${extra}`, { cause: error })
  }
}

/**
 * Empties the local database so the next start migrates and seeds from scratch: drops and
 * recreates it (roles, being cluster-wide, stay). Refuses a database whose `auth` schema belongs
 * to the real platform: reset that with `supabase db reset`.
 */
export async function resetDatabase(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  let database: string
  try {
    const [row] = await sql<{ database: string; platform_owned: boolean }[]>`
      select
        current_database() as database,
        to_regnamespace('auth') is not null
          and coalesce(obj_description(to_regnamespace('auth'), 'pg_namespace'), '')
            not like 'local platform shim%' as platform_owned`
    if (!row || row.platform_owned) {
      throw new Error(
        "This database has the Supabase platform's own auth schema; reset it with `supabase db reset`.",
      )
    }
    database = row.database
  } finally {
    await sql.end()
  }
  const admin = postgres(url, { database: 'template1', max: 1, onnotice: () => {} })
  try {
    await admin`drop database if exists ${admin(database)} with (force)`
    await admin`create database ${admin(database)}`
  } finally {
    await admin.end()
  }
}
