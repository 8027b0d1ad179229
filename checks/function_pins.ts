/**
 * `deno task check:functions`: deploy bundles each edge function with its own
 * `supabase/functions/<name>/deno.json`, not the root's, so a pin that differs from the root or is
 * missing there works in every local run and breaks only on deploy. This finds every function by
 * its folder (new ones included), checks that each import its map names is pinned exactly as the
 * root pins it, and type-checks the function's `index.ts` with its own map, as deploy resolves it
 * (an import its map lacks fails there). Exits 1 naming every problem.
 */
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { exists } from '../lib/fs.ts'

type ImportMap = Record<string, string>

/** Folders of `functionsDir` that hold an `index.ts`, except `_shared` and other `_` folders. */
export async function findFunctions(functionsDir: string): Promise<string[]> {
  const names: string[] = []
  for await (const entry of Deno.readDir(functionsDir)) {
    if (!entry.isDirectory || entry.name.startsWith('_') || entry.name.startsWith('.')) continue
    if (await exists(join(functionsDir, entry.name, 'index.ts'))) names.push(entry.name)
  }
  return names.sort()
}

/** Each import of `own` (a function's map) that the root does not pin to exactly the same target. */
export function differingPins(name: string, own: ImportMap, root: ImportMap): string[] {
  return Object.entries(own).flatMap(([specifier, target]) => {
    if (!(specifier in root)) {
      return [`${name}/deno.json pins "${specifier}", which the root deno.json does not pin`]
    }
    if (root[specifier] !== target) {
      return [
        `${name}/deno.json pins "${specifier}" to ${target}; the root deno.json pins ${
          root[specifier]
        }`,
      ]
    }
    return []
  })
}

/**
 * Every problem with the functions under `repoRoot/supabase/functions`, or none. `typeCheck`
 * false skips the type checks (the pin comparison alone is instant).
 */
export async function functionProblems(repoRoot: string, typeCheck = true): Promise<string[]> {
  const functionsDir = join(repoRoot, 'supabase', 'functions')
  const root = await readImports(join(repoRoot, 'deno.json'))
  const problems: string[] = []
  for (const name of await findFunctions(functionsDir)) {
    const config = join(functionsDir, name, 'deno.json')
    if (!(await exists(config))) {
      problems.push(`${name} has no deno.json: deploy needs one import map per function`)
      continue
    }
    problems.push(...differingPins(name, await readImports(config), root))
    if (typeCheck) {
      const failure = await typeCheckFailure(config, join(functionsDir, name, 'index.ts'))
      if (failure) {
        problems.push(`${name} does not type-check with its own deno.json:\n${failure}`)
      }
    }
  }
  return problems
}

async function readImports(file: string): Promise<ImportMap> {
  const parsed = JSON.parse(await Deno.readTextFile(file))
  return parsed?.imports ?? {}
}

/**
 * `deno check` with only the function's config, as deploy resolves imports. `--no-lock`: the root
 * lock describes the root config, and checking against it would rewrite it.
 */
async function typeCheckFailure(config: string, entry: string): Promise<string | undefined> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ['check', '--quiet', '--no-lock', '--config', config, entry],
    stdout: 'piped',
    stderr: 'piped',
  }).output()
  if (output.success) return undefined
  const text = new TextDecoder().decode(output.stderr) + new TextDecoder().decode(output.stdout)
  // deno colours its errors; strip the escapes so the report reads in CI logs.
  // deno-lint-ignore no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '').trim()
}

if (import.meta.main) {
  const repoRoot = fileURLToPath(new URL('..', import.meta.url))
  const problems = await functionProblems(repoRoot)
  if (problems.length > 0) {
    console.error(
      `Edge function import maps (${relative(Deno.cwd(), join(repoRoot, 'supabase/functions'))}):`,
    )
    for (const problem of problems) console.error(`- ${problem}`)
    Deno.exit(1)
  }
  console.log('Every function pins what the root pins and type-checks with its own deno.json.')
}
