/**
 * `deno task check:migrations`: a migration, once committed, is history that other databases have
 * already applied; editing it changes nothing there and makes this repo lie about them. So each
 * file in `supabase/migrations` must read exactly as it did in the commit that first added it to
 * this branch's own line of history (`--first-parent`: for work merged into main, the merge that
 * landed it, so a migration may be reworked on its branch until it lands; a file not yet committed
 * is new and passes), and none may disappear. Needs the git history: CI clones in full.
 *
 * One historic exception, kept so the check can pass on the history we have:
 * `20261129001000_create_notification_sender_functions.sql` was edited in commit ab4f677 (the
 * deadlock fix: `app.mark_notification_sent` locks the partnership first) before any hosted
 * database existed. It is held to that edited version; the rule applies to it from then on.
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** File name -> the commit whose version of it is the one that counts (see the module comment). */
export const allowedEdits: Readonly<Record<string, string>> = {
  '20261129001000_create_notification_sender_functions.sql':
    'ab4f677f091026eb582d1d726db9505722521876',
}

const migrationsPath = 'supabase/migrations'

/** Each migration of the repo at `repoRoot` that differs from its committed version, or none. */
export async function changedMigrations(
  repoRoot: string,
  edits: Readonly<Record<string, string>> = allowedEdits,
): Promise<string[]> {
  if ((await git(repoRoot, 'rev-parse', '--is-shallow-repository')).trim() !== 'false') {
    throw new Error('This clone is shallow: clone with full history (git fetch --unshallow)')
  }
  const problems: string[] = []
  const names = [...Deno.readDirSync(join(repoRoot, migrationsPath))]
    .filter((entry) => entry.isFile && entry.name.endsWith('.sql'))
    .map((entry) => entry.name)
    .sort()
  const everCommitted = await git(
    repoRoot,
    'log',
    '--first-parent',
    '--diff-filter=A',
    '--name-only',
    '--format=',
    '--',
    migrationsPath,
  )
  for (const path of new Set(everCommitted.split('\n').filter((line) => line.endsWith('.sql')))) {
    if (!names.includes(path.slice(migrationsPath.length + 1))) {
      problems.push(`${path} was committed and is gone: a migration, once committed, stays`)
    }
  }
  for (const name of names) {
    const path = `${migrationsPath}/${name}`
    const commit = edits[name] ?? await firstCommitOf(repoRoot, path)
    if (!commit) continue
    const committed = await git(repoRoot, 'show', `${commit}:${path}`)
    if (committed !== await Deno.readTextFile(join(repoRoot, path))) {
      problems.push(
        `${path} differs from the version committed in ${commit}: add a new migration instead`,
      )
    }
  }
  return problems
}

/**
 * The oldest commit on the first-parent line that added `path`, or undefined when git has never
 * seen it.
 */
async function firstCommitOf(repoRoot: string, path: string): Promise<string | undefined> {
  const commits = await git(
    repoRoot,
    'log',
    '--first-parent',
    '--diff-filter=A',
    '--format=%H',
    '--reverse',
    '--',
    path,
  )
  return commits.split('\n').find((line) => line !== '')
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  const output = await new Deno.Command('git', { args, cwd, stdout: 'piped', stderr: 'piped' })
    .output()
  if (!output.success) {
    throw new Error(`git ${args.join(' ')}: ${new TextDecoder().decode(output.stderr).trim()}`)
  }
  return new TextDecoder().decode(output.stdout)
}

if (import.meta.main) {
  const problems = await changedMigrations(fileURLToPath(new URL('..', import.meta.url))).catch(
    (error: Error) => [error.message],
  )
  if (problems.length > 0) {
    for (const problem of problems) console.error(`- ${problem}`)
    Deno.exit(1)
  }
  console.log('Every committed migration reads as it was first committed.')
}
