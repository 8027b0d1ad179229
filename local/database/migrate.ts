/**
 * Brings a database up to date the way the Supabase CLI would: applies the platform shim
 * (local/database/shim.sql) as the platform superuser, then, as `postgres` (the role `supabase db push`
 * uses on hosted, not a superuser), each migration file not yet recorded, in file-name order, each in its own
 * transaction, recording it in supabase_migrations.schema_migrations exactly as Supabase CLI
 * 2.117.0 does, so `supabase migration up --db-url ...` afterwards finds nothing to do. Seeds, as
 * `supabase db reset` does, only a fresh database (no migrations, never seeded).
 */
import postgres from 'postgres'
import { dirname, join, relative, resolve } from 'node:path'
import { splitStatements } from './sql_statements.ts'

export interface ApplyMigrationsOptions {
  /** Usually `supabase/migrations`. */
  migrationsDir: string
  /** Usually `supabase/seed.sql`; a missing file means no seed. */
  seedFile: string
  /** Defaults to local/database/shim.sql. */
  shimFile?: string | URL
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
  /** Whether this call ran the seed file. */
  seeded: boolean
}

interface MigrationFile {
  fileName: string
  version: string
  name: string
}

type Sql = postgres.Sql

const defaultShimFile = new URL('./shim.sql', import.meta.url)
/** The CLI's own pattern; it skips other files in the folder, and so do we. */
const migrationFileName = /^([0-9]+)_(.*)\.sql$/
/** Marks a fresh database until its seed has run (see markSeedPendingIfNeverSeeded). */
const seedPending = 'local platform: seed pending'
/** Serialises concurrent callers (two test runs, dev and test) on one database. */
const advisoryLockKey = 5_432_001

export async function applyMigrations(
  url: string,
  { migrationsDir, seedFile, shimFile = defaultShimFile, adminUrl = url }: ApplyMigrationsOptions,
): Promise<AppliedMigrations> {
  // The shim comes first: on a fresh cluster it creates the role `url` names. The lock, taken by
  // the shim's session, is held until the migrating session is done.
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  try {
    await admin`select pg_advisory_lock(${advisoryLockKey})`
    await runShim(admin, shimFile)
    const sql = postgres(url, { max: 1, onnotice: () => {} })
    try {
      await createHistoryTables(sql)

      const files = await readMigrationFiles(migrationsDir)
      const recorded = await recordedVersions(sql)
      assertEveryRecordedFileExists(recorded, files, migrationsDir)
      if (recorded.size === 0) await markSeedPendingIfNeverSeeded(sql)

      const applied: string[] = []
      for (const file of files.filter(({ version }) => !recorded.has(version))) {
        await applyMigration(sql, migrationsDir, file)
        applied.push(file.fileName)
      }
      const seeded = await seedIfPending(sql, migrationsDir, seedFile)
      return { applied, seeded }
    } finally {
      await sql.end()
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
export async function applyShim(adminUrl: string, shimFile: string | URL = defaultShimFile) {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} })
  try {
    await sql`select pg_advisory_lock(${advisoryLockKey})`
    await runShim(sql, shimFile)
  } finally {
    await sql.end()
  }
}

async function runShim(sql: Sql, shimFile: string | URL): Promise<void> {
  const text = await Deno.readTextFile(shimFile)
  try {
    // One simple-protocol query: the whole file runs as one implicit transaction.
    await sql.unsafe(text)
  } catch (error) {
    throw sqlFileError(`The platform shim ${shimFile}`, text, error)
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

/** The same statements, in the same order, as the CLI's CreateMigrationTable and CreateSeedTable. */
async function createHistoryTables(sql: Sql): Promise<void> {
  await sql`create schema if not exists supabase_migrations`
  await sql`create table if not exists supabase_migrations.schema_migrations (version text not null primary key)`
  await sql`alter table supabase_migrations.schema_migrations add column if not exists statements text[]`
  await sql`alter table supabase_migrations.schema_migrations add column if not exists name text`
  await sql`create table if not exists supabase_migrations.seed_files (path text not null primary key, hash text not null)`
}

async function readMigrationFiles(migrationsDir: string): Promise<MigrationFile[]> {
  const files: MigrationFile[] = []
  for await (const entry of Deno.readDir(migrationsDir)) {
    const match = entry.isFile ? migrationFileName.exec(entry.name) : null
    if (match?.[1] !== undefined && match[2] !== undefined) {
      files.push({ fileName: entry.name, version: match[1], name: match[2] })
    }
  }
  return files.sort((a, b) => a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0)
}

async function recordedVersions(sql: Sql): Promise<Set<string>> {
  const rows = await sql<{ version: string }[]>`
    select version from supabase_migrations.schema_migrations`
  return new Set(rows.map(({ version }) => version))
}

/** The CLI refuses to go on in this case too; a renamed or deleted migration needs a reset. */
function assertEveryRecordedFileExists(
  recorded: Set<string>,
  files: MigrationFile[],
  migrationsDir: string,
): void {
  const onDisk = new Set(files.map(({ version }) => version))
  const missing = [...recorded].filter((version) => !onDisk.has(version)).sort()
  if (missing.length > 0) {
    throw new Error(
      `The database has migrations ${missing.join(', ')} but ${migrationsDir} has no such files. ` +
        'Restore them, or reset the local database (deno task reset).',
    )
  }
}

async function applyMigration(sql: Sql, migrationsDir: string, file: MigrationFile) {
  const text = await Deno.readTextFile(join(migrationsDir, file.fileName))
  const statements = splitStatements(text)
  try {
    await sql.begin(async (tx) => {
      // One simple-protocol query runs the whole file, whatever its number of statements.
      await tx.unsafe(text)
      // The CLI encodes a file without statements as NULL rather than an empty array.
      await tx`
        insert into supabase_migrations.schema_migrations (version, name, statements)
        values (${file.version}, ${file.name}, ${
        statements.length > 0 ? statements : null
      }::text[])`
    })
  } catch (error) {
    throw sqlFileError(`Migration ${file.fileName}`, text, error)
  }
}

/**
 * A fresh database (no migration, no seed) is marked as awaiting its seed until the seed has run,
 * so a first run that stops at a broken migration still seeds once the migration is fixed, while
 * a database that was migrated elsewhere (say, by `supabase db push`) is never seeded by us.
 */
async function markSeedPendingIfNeverSeeded(sql: Sql): Promise<void> {
  const [seed] = await sql`select 1 from supabase_migrations.seed_files limit 1`
  if (!seed) await sql.unsafe(`comment on table supabase_migrations.seed_files is '${seedPending}'`)
}

/**
 * Runs the seed file if the database awaits it, and records it in supabase_migrations.seed_files
 * (path from the project folder, sha256 of the file) as the CLI does, so `supabase db push
 * --include-seed` would not run it again.
 */
async function seedIfPending(sql: Sql, migrationsDir: string, seedFile: string): Promise<boolean> {
  const [state] = await sql<{ pending: boolean }[]>`
    select coalesce(obj_description('supabase_migrations.seed_files'::regclass, 'pg_class'), '')
      = ${seedPending} as pending`
  if (!state?.pending) return false

  const seed = await readSeed(migrationsDir, seedFile)
  try {
    await sql.begin(async (tx) => {
      if (seed) {
        await tx.unsafe(seed.text)
        await tx`
          insert into supabase_migrations.seed_files (path, hash)
          values (${seed.path}, ${seed.hash})
          on conflict (path) do update set hash = excluded.hash`
      }
      await tx`comment on table supabase_migrations.seed_files is null`
    })
  } catch (error) {
    throw sqlFileError(`Seed file ${seed?.path}`, seed?.text ?? '', error)
  }
  return seed !== undefined
}

/** The seed file's text, its path as the CLI records it, and its sha256; undefined if absent. */
async function readSeed(migrationsDir: string, seedFile: string) {
  const bytes = await Deno.readFile(seedFile).catch((error) => {
    if (error instanceof Deno.errors.NotFound) return undefined
    throw error
  })
  if (bytes === undefined) return undefined
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  return {
    text: new TextDecoder().decode(bytes),
    path: relative(dirname(dirname(resolve(migrationsDir))), resolve(seedFile)),
    hash: Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join(''),
  }
}

/** Names the file and line where Postgres stopped; Postgres gives a character position. */
function sqlFileError(what: string, text: string, error: unknown): Error {
  if (!(error instanceof postgres.PostgresError)) return error as Error
  const position = Number(error.position)
  const line = position > 0
    ? ` at line ${[...text].slice(0, position).join('').split('\n').length}`
    : ''
  const extra = [error.detail, error.hint].filter(Boolean).map((text) => `\n${text}`).join('')
  return new Error(`${what} failed${line}: ${error.message}${extra}`, { cause: error })
}
