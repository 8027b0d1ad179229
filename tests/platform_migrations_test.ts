/**
 * The stack's database was migrated by the Supabase CLI itself (local/database/migrations.ts):
 * `supabase migration list --db-url` agrees with it, every file in supabase/migrations applied
 * and recorded, nothing recorded that the folder lacks, and the seed recorded as the CLI does.
 */
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { parseMigrationList, runSupabaseCli } from '../local/database/supabase_cli.ts'
import { connect, stack } from './_stack.ts'

const repoRoot = fileURLToPath(new URL('..', import.meta.url))

async function migrationFileVersions(): Promise<string[]> {
  const versions: string[] = []
  for await (const entry of Deno.readDir(new URL('../supabase/migrations', import.meta.url))) {
    const version = /^(\d+)_.*\.sql$/.exec(entry.name)?.[1]
    if (entry.isFile && version) versions.push(version)
  }
  return versions.sort()
}

Deno.test('supabase migration list --db-url agrees with the stack database and the migrations folder', async () => {
  const cli = await runSupabaseCli(repoRoot, stack.databaseUrl, 'migration', 'list')
  assert.equal(cli.code, 0, cli.stderr)
  const files = await migrationFileVersions()
  assert.deepEqual(
    parseMigrationList(cli.stdout),
    files.map((version) => ({ local: version, remote: version })),
  )

  const sql = connect()
  try {
    const recorded = await sql<{ version: string }[]>`
      select version from supabase_migrations.schema_migrations order by version`
    assert.deepEqual(recorded.map(({ version }) => version), files)
    const seeds = await sql<{ path: string }[]>`select path from supabase_migrations.seed_files`
    assert.deepEqual(seeds.map(({ path }) => path), ['supabase/seed.sql'])
  } finally {
    await sql.end()
  }
})
