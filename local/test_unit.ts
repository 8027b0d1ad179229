/**
 * `deno task test:unit`: runs, in parallel and within a minute, every test file that needs no
 * stack and no Postgres. A file needs them when it imports, directly or through other modules of
 * ours, tests/_stack.ts (which reads the TEST_* variables `deno task test` sets) or
 * local/database/postgres.ts (the local platform's own tests start a Postgres each, which takes
 * longer than this task should); `deno task test` runs those, and everything else too.
 * `--list` prints the files instead. Extra arguments pass through to `deno test`.
 */
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = fileURLToPath(new URL('..', import.meta.url))
/** Modules that reach a running stack or start a Postgres. */
const slowModules = new Set([
  join(repoRoot, 'tests', '_stack.ts'),
  join(repoRoot, 'local', 'database', 'postgres.ts'),
])
/** Not ours, built, or the running stack's data. */
const skippedFolders = new Set(['node_modules', '.local', 'dist', '.git'])
const importSpecifier = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g

async function testFiles(folder: string): Promise<string[]> {
  const found: string[] = []
  for await (const entry of Deno.readDir(folder)) {
    const path = join(folder, entry.name)
    if (entry.isDirectory && !skippedFolders.has(entry.name)) found.push(...await testFiles(path))
    else if (entry.isFile && entry.name.endsWith('_test.ts')) found.push(path)
  }
  return found
}

const reachesStack = new Map<string, Promise<boolean>>()

/** Whether `file` imports one of `slowModules`, directly or through relative imports. */
function needsStack(file: string, seen = new Set<string>()): Promise<boolean> {
  if (slowModules.has(file)) return Promise.resolve(true)
  if (seen.has(file)) return Promise.resolve(false)
  seen.add(file)
  const known = reachesStack.get(file)
  if (known) return known
  const answer = (async () => {
    const text = await Deno.readTextFile(file).catch(() => '')
    for (const [, specifier] of text.matchAll(importSpecifier)) {
      if (await needsStack(resolve(dirname(file), specifier!), seen)) return true
    }
    return false
  })()
  reachesStack.set(file, answer)
  return answer
}

const unitFiles: string[] = []
for (const file of (await testFiles(repoRoot)).sort()) {
  if (!(await needsStack(file))) unitFiles.push(relative(repoRoot, file))
}

const args = Deno.args.filter((arg) => arg !== '--list')
if (args.length < Deno.args.length) {
  console.log(unitFiles.join('\n'))
  Deno.exit(0)
}

const tests = new Deno.Command(Deno.execPath(), {
  args: ['test', '-A', '--parallel', ...args, ...unitFiles],
  cwd: repoRoot,
}).spawn()
Deno.exit((await tests.status).code)
