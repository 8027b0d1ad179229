/**
 * Tests of local/database/migrate.ts against a real Postgres and the real Supabase CLI (from npm, pinned
 * to the version the project deploys with), using a throwaway project with tiny migrations.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import postgres from 'postgres'
import { startTestCluster } from './_test_database.ts'
import { applyMigrations, resetDatabase } from './migrate.ts'

const supabaseCli = 'supabase@2.117.0'

const migrations: Record<string, string> = {
  // Semicolons inside comments, quotes, dollar quotes and a BEGIN ATOMIC body: the statements the
  // CLI records depend on how it splits these.
  '20240101000000_create_notes.sql':
    `-- As docs/architecture.md asks: the real extensions only where the server has them.
do $$
begin
  if exists (select from pg_available_extensions where name = 'pg_net') then
    create extension if not exists pg_net with schema extensions;
  end if;
end
$$;
-- notes; the first table
create table public.notes (id int primary key, body text default 'it''s; fine');
/* block; comment */
create function public.note_count() returns bigint language plpgsql as $body$
begin
  return (select count(*) from public.notes);
end
$body$;
create function public.next_id(a int) returns int language sql
begin atomic
  select a + 1;
end;
`,
  '20240102000000_add_note_author.sql': 'alter table public.notes add column author text',
  '20240103000000_nothing_yet.sql': '-- only a comment\n',
}

async function writeProject(dir: string): Promise<{ migrationsDir: string; seedFile: string }> {
  const migrationsDir = join(dir, 'supabase', 'migrations')
  await Deno.mkdir(migrationsDir, { recursive: true })
  for (const [name, text] of Object.entries(migrations)) {
    await Deno.writeTextFile(join(migrationsDir, name), text)
  }
  const seedFile = join(dir, 'supabase', 'seed.sql')
  await Deno.writeTextFile(seedFile, "insert into public.notes (id, body) values (1, 'seeded');\n")
  return { migrationsDir, seedFile }
}

async function supabase(projectDir: string, dbUrl: string, ...args: string[]) {
  const output = await new Deno.Command('npx', {
    args: ['-y', supabaseCli, ...args, '--db-url', `${dbUrl}?sslmode=disable`],
    cwd: projectDir,
    stdout: 'piped',
    stderr: 'piped',
  }).output()
  const text = new TextDecoder()
  return {
    code: output.code,
    stdout: text.decode(output.stdout),
    stderr: text.decode(output.stderr),
  }
}

async function history(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    return {
      columns: [
        ...await sql`
        select column_name, data_type, is_nullable from information_schema.columns
        where table_schema = 'supabase_migrations' and table_name = 'schema_migrations'
        order by ordinal_position`,
      ],
      rows: [
        ...await sql`
        select version, name, statements from supabase_migrations.schema_migrations
        order by version`,
      ],
    }
  } finally {
    await sql.end()
  }
}

async function count(url: string, query: string): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    const [row] = await sql.unsafe(query)
    return Number(row?.count)
  } finally {
    await sql.end()
  }
}

Deno.test('local/database/migrate.ts', async (t) => {
  const cluster = await startTestCluster()
  const projectDir = await Deno.makeTempDir({ prefix: 'local-migrate-test-' })
  try {
    const project = await writeProject(projectDir)
    // Migrated as `postgres` (not a superuser), the shim applied as the platform's superuser.
    const { url, adminUrl } = await cluster.createDatabase()

    await t.step(
      'applyMigrations() applies the migrations in file-name order and seeds a fresh database',
      async () => {
        const result = await applyMigrations(url, { ...project, adminUrl })
        assert.deepEqual(result, { applied: Object.keys(migrations), seeded: true })
        assert.equal(await count(url, "select count(*) from public.notes where body = 'seeded'"), 1)
        assert.equal(await count(url, 'select public.note_count() as count'), 1)
      },
    )

    await t.step(
      'applyMigrations() records migrations exactly as supabase migration up does',
      async () => {
        const { url: byCli } = await cluster.createDatabase()
        const cli = await supabase(projectDir, byCli, 'migration', 'up')
        assert.equal(cli.code, 0, cli.stderr)
        assert.deepEqual(await history(url), await history(byCli))
      },
    )

    await t.step(
      'supabase migration up finds the database applyMigrations() migrated up to date',
      async () => {
        const cli = await supabase(projectDir, url, 'migration', 'up')
        assert.equal(cli.code, 0, cli.stderr)
        assert.match(cli.stdout, /up to date/)
        assert.doesNotMatch(cli.stderr, /Applying migration/)
      },
    )

    await t.step('applyMigrations() applies only new migrations and seeds only once', async () => {
      assert.deepEqual(await applyMigrations(url, { ...project, adminUrl }), {
        applied: [],
        seeded: false,
      })
      const later = '20240104000000_add_note_created_at.sql'
      await Deno.writeTextFile(
        join(project.migrationsDir, later),
        'alter table public.notes add column created_at timestamptz',
      )
      assert.deepEqual(await applyMigrations(url, { ...project, adminUrl }), {
        applied: [later],
        seeded: false,
      })
      assert.equal(await count(url, 'select count(*) from public.notes'), 1)
    })

    await t.step(
      'a failing migration names its file and line and leaves nothing behind',
      async () => {
        const broken = '20240105000000_create_broken.sql'
        await Deno.writeTextFile(
          join(project.migrationsDir, broken),
          'create table public.broken (id int);\nselect no_such_column from public.broken;\n',
        )
        try {
          await assert.rejects(
            applyMigrations(url, { ...project, adminUrl }),
            /Migration 20240105000000_create_broken\.sql failed at line 2: column "no_such_column" does not exist/,
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
          await Deno.remove(join(project.migrationsDir, broken))
        }
      },
    )

    await t.step(
      'a first run stopped by a broken migration still seeds once it is fixed',
      async () => {
        const { url: fresh, adminUrl: freshAdmin } = await cluster.createDatabase()
        const broken = join(project.migrationsDir, '20240101500000_create_typo.sql')
        await Deno.writeTextFile(broken, 'create tabel public.typo (id int);')
        try {
          await assert.rejects(
            applyMigrations(fresh, { ...project, adminUrl: freshAdmin }),
            /create_typo\.sql failed at line 1/,
          )
          assert.equal(
            await count(fresh, "select count(*) from pg_class where relname = 'notes'"),
            1,
          )
        } finally {
          await Deno.remove(broken)
        }
        const result = await applyMigrations(fresh, { ...project, adminUrl: freshAdmin })
        assert.equal(result.seeded, true)
        assert.equal(await count(fresh, 'select count(*) from public.notes'), 1)
      },
    )

    await t.step(
      'applyMigrations() never seeds a database that was migrated without a seed',
      async () => {
        const { url: byCli, adminUrl: byCliAdmin } = await cluster.createDatabase()
        const cli = await supabase(projectDir, byCli, 'migration', 'up')
        assert.equal(cli.code, 0, cli.stderr)
        assert.deepEqual(await applyMigrations(byCli, { ...project, adminUrl: byCliAdmin }), {
          applied: [],
          seeded: false,
        })
        assert.equal(await count(byCli, 'select count(*) from public.notes'), 0)
      },
    )

    await t.step(
      'supabase db push --include-seed finds the seed already applied and recorded',
      async () => {
        const cli = await supabase(projectDir, url, 'db', 'push', '--include-seed', '--yes')
        assert.equal(cli.code, 0, cli.stderr)
        assert.match(cli.stdout, /Remote database is up to date/)
        assert.doesNotMatch(cli.stderr, /Seeding data from/)
        assert.equal(await count(url, 'select count(*) from public.notes'), 1)
      },
    )

    await t.step(
      'applyMigrations() refuses a database whose recorded migration file is gone',
      async () => {
        const name = '20240104000000_add_note_created_at.sql'
        const text = await Deno.readTextFile(join(project.migrationsDir, name))
        await Deno.remove(join(project.migrationsDir, name))
        try {
          await assert.rejects(
            applyMigrations(url, { ...project, adminUrl }),
            /has migrations 20240104000000 but/,
          )
        } finally {
          await Deno.writeTextFile(join(project.migrationsDir, name), text)
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
        const result = await applyMigrations(url, { ...project, adminUrl })
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
