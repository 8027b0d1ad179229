/**
 * Tests of local/database/migrations.ts against a real Postgres and the real Supabase CLI (from
 * npm, pinned to the version the project deploys with), in a throwaway project with tiny
 * migrations. Needs no stack: it starts a Postgres of its own (see _test_database.ts).
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import postgres from 'postgres'
import { startTestCluster } from './_test_database.ts'
import { applyMigrations, resetDatabase } from './migrations.ts'
import { parseMigrationList, runSupabaseCli } from './supabase_cli.ts'

const migrations: Record<string, string> = {
  '20240101000000_create_notes.sql': `create table public.notes (id int primary key, body text);
create function public.note_count() returns bigint language sql as $$
  select count(*) from public.notes;
$$;
`,
  '20240102000000_add_note_author.sql': 'alter table public.notes add column author text',
  '20240104000000_nothing_yet.sql': '-- only a comment\n',
}

async function writeProject(dir: string): Promise<string> {
  const supabaseDir = join(dir, 'supabase')
  await Deno.mkdir(join(supabaseDir, 'migrations'), { recursive: true })
  await Deno.writeTextFile(
    join(supabaseDir, 'config.toml'),
    'project_id = "local-migrations-test"\n\n[db.seed]\nenabled = true\nsql_paths = ["./seed.sql"]\n',
  )
  for (const [name, text] of Object.entries(migrations)) {
    await Deno.writeTextFile(join(supabaseDir, 'migrations', name), text)
  }
  await Deno.writeTextFile(
    join(supabaseDir, 'seed.sql'),
    "insert into public.notes (id, body) values (1, 'seeded');\n",
  )
  return join(supabaseDir, 'migrations')
}

async function count(url: string, query: string): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    const [row] = await sql.unsafe<{ count: string }[]>(query)
    return Number(row?.count)
  } finally {
    await sql.end()
  }
}

Deno.test('local/database/migrations.ts', async (t) => {
  const cluster = await startTestCluster()
  const projectDir = await Deno.makeTempDir({ prefix: 'local-migrations-test-' })
  try {
    const migrationsDir = await writeProject(projectDir)
    // Migrated as `postgres` (not a superuser), the shim applied as the platform's superuser.
    const { url, adminUrl } = await cluster.createDatabase()

    await t.step(
      'applyMigrations() applies the migrations through the CLI in order and seeds a fresh database',
      async () => {
        const result = await applyMigrations(url, { projectDir, adminUrl })
        assert.deepEqual(result, { applied: Object.keys(migrations), seeded: true })
        assert.equal(await count(url, "select count(*) from public.notes where body = 'seeded'"), 1)
        assert.equal(
          await count(
            url,
            "select count(*) from supabase_migrations.seed_files where path = 'supabase/seed.sql'",
          ),
          1,
        )
      },
    )

    await t.step('supabase migration list finds every migration applied', async () => {
      const cli = await runSupabaseCli(projectDir, url, 'migration', 'list')
      assert.equal(cli.code, 0, cli.stderr)
      const versions = Object.keys(migrations).map((name) => name.slice(0, 14))
      assert.deepEqual(
        parseMigrationList(cli.stdout),
        versions.map((version) => ({ local: version, remote: version })),
      )
    })

    await t.step(
      'applyMigrations() applies only new migrations, an older one too, and seeds only once',
      async () => {
        assert.deepEqual(await applyMigrations(url, { projectDir, adminUrl }), {
          applied: [],
          seeded: false,
        })
        // As when a branch with an older timestamp is merged after a newer one was applied.
        const older = '20240103000000_add_note_created_at.sql'
        await Deno.writeTextFile(
          join(migrationsDir, older),
          'alter table public.notes add column created_at timestamptz',
        )
        assert.deepEqual(await applyMigrations(url, { projectDir, adminUrl }), {
          applied: [older],
          seeded: false,
        })
        assert.equal(await count(url, 'select count(*) from public.notes'), 1)
      },
    )

    await t.step(
      'a failing migration names its file and the error and leaves nothing behind',
      async () => {
        const broken = join(migrationsDir, '20240105000000_create_broken.sql')
        await Deno.writeTextFile(
          broken,
          'create table public.broken (id int);\nselect no_such_column from public.broken;\n',
        )
        try {
          await assert.rejects(
            applyMigrations(url, { projectDir, adminUrl }),
            (error: Error) =>
              /20240105000000_create_broken\.sql/.test(error.message) &&
              /column "no_such_column" does not exist/.test(error.message),
          )
          assert.equal(
            await count(url, "select count(*) from pg_class where relname = 'broken'"),
            0,
          )
          assert.equal(
            await count(
              url,
              "select count(*) from supabase_migrations.schema_migrations where version = '20240105000000'",
            ),
            0,
          )
        } finally {
          await Deno.remove(broken)
        }
      },
    )

    await t.step(
      'resetDatabase() empties the database so migrations and seed run again',
      async () => {
        await resetDatabase(url)
        assert.equal(
          await count(
            url,
            "select count(*) from pg_namespace where nspname = 'supabase_migrations'",
          ),
          0,
        )
        const result = await applyMigrations(url, { projectDir, adminUrl })
        assert.equal(result.applied.length, 4)
        assert.equal(result.seeded, true)
      },
    )

    await t.step(
      'resetDatabase() refuses a database whose auth schema belongs to the platform',
      async () => {
        const { url: platform } = await cluster.createDatabase()
        const sql = postgres(platform, { max: 1, onnotice: () => {} })
        await sql`create schema auth`.finally(() => sql.end())
        await assert.rejects(resetDatabase(platform), /supabase db reset/)
      },
    )
  } finally {
    await cluster.close()
    await Deno.remove(projectDir, { recursive: true })
  }
})
