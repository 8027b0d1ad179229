import assert from 'node:assert/strict'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { changedMigrations } from './migrations_unchanged.ts'

const repoRoot = fileURLToPath(new URL('..', import.meta.url))

Deno.test('every migration in this repo reads as it was first committed', async () => {
  assert.deepEqual(await changedMigrations(repoRoot), [])
})

function git(cwd: string, ...args: string[]) {
  const output = new Deno.Command('git', {
    args: ['-c', 'user.name=Test', '-c', 'user.email=test@example.test', ...args],
    cwd,
    stdout: 'null',
    stderr: 'piped',
  }).outputSync()
  assert.ok(output.success, new TextDecoder().decode(output.stderr))
}

/** A throwaway repo with one committed migration, `..._one.sql`. */
async function repoWithMigration(): Promise<{ dir: string; file: string }> {
  const dir = await Deno.makeTempDir({ prefix: 'migrations-unchanged-test-' })
  const file = join(dir, 'supabase', 'migrations', '20990101000000_one.sql')
  await Deno.mkdir(join(dir, 'supabase', 'migrations'), { recursive: true })
  await Deno.writeTextFile(file, 'select 1;\n')
  git(dir, 'init', '--quiet')
  git(dir, 'add', '-A')
  git(dir, 'commit', '--quiet', '-m', 'one')
  return { dir, file }
}

Deno.test('changedMigrations() names a committed migration edited since, committed or not, or gone', async () => {
  const { dir, file } = await repoWithMigration()
  try {
    await Deno.writeTextFile(join(dir, 'supabase', 'migrations', '20990102000000_two.sql'), '')
    assert.deepEqual(await changedMigrations(dir, {}), [], 'an uncommitted new file is fine')

    await Deno.writeTextFile(file, 'select 2;\n')
    const [problem] = await changedMigrations(dir, {})
    assert.match(
      problem!,
      /^supabase\/migrations\/20990101000000_one\.sql differs from the version/,
    )

    git(dir, 'commit', '--quiet', '-am', 'edit the migration')
    assert.equal((await changedMigrations(dir, {})).length, 1, 'committing the edit does not help')

    await Deno.remove(file)
    assert.deepEqual(await changedMigrations(dir, {}), [
      'supabase/migrations/20990101000000_one.sql was committed and is gone: a migration, once ' +
      'committed, stays',
    ])
  } finally {
    await Deno.remove(dir, { recursive: true })
  }
})
