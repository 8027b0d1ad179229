/**
 * What the command-line tools share: their arguments, the database they talk to and how they end.
 * The only module in `tools/` that reads the environment.
 */
import { parseArgs } from 'node:util'
import postgres from 'postgres'
import { formatSummary, type Rejection } from './load_summary.ts'
import { RefusedError } from './refused_error.ts'
import { readTextFile } from './text_file.ts'

// The local stack's database (`deno task dev`), so a developer can run the tools without flags.
const localDatabaseUrl = 'postgresql://postgres:postgres@127.0.0.1:54322/postgres'

export type CommandLine = { positionals: string[]; databaseUrl: string; out: string | undefined }

/** Reads `<positional...> [--database-url URL] [--out FILE]`; exits with usage on anything else. */
export function readCommandLine(
  args: string[],
  usage: string,
  positionalCount: number,
): CommandLine {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { 'database-url': { type: 'string' }, out: { type: 'string' } },
      allowPositionals: true,
    })
    if (positionals.length !== positionalCount) throw new Error('wrong number of arguments')
    return {
      positionals,
      databaseUrl: values['database-url'] ?? Deno.env.get('DATABASE_URL') ?? localDatabaseUrl,
      out: values.out,
    }
  } catch {
    console.error(`Usage: ${usage}`)
    Deno.exit(2)
  }
}

/**
 * A value a person may give in the environment rather than as a flag, because a flag (a password
 * in a URL, a secret key) can be seen in the process list.
 */
export function fromEnvironment(name: string): string | undefined {
  return Deno.env.get(name) || undefined
}

export function connectTo(databaseUrl: string): postgres.Sql {
  return postgres(databaseUrl, { max: 1, onnotice: () => {} })
}

/**
 * Runs a command's work and exits 0, or 1 with a message for the person running it. Unexpected
 * errors show only their message: a stack trace would tell them nothing and could show the URL.
 */
export async function runCommand(work: () => Promise<void>): Promise<never> {
  try {
    await work()
    Deno.exit(0)
  } catch (error) {
    const known = error instanceof RefusedError || error instanceof Deno.errors.NotFound
    const message = error instanceof Error ? error.message : String(error)
    console.error(known ? message : `Failed: ${message}`)
    Deno.exit(1)
  }
}

/**
 * The whole of a loader command: `<file.csv> [--database-url URL]`, load, print the summary made
 * of `counts` and the rejected rows.
 */
export async function runLoadCommand<Summary extends { rejected: Rejection[] }>(
  usage: string,
  load: (sql: postgres.Sql, text: string) => Promise<Summary>,
  counts: (summary: Summary) => Record<string, number>,
): Promise<never> {
  const { positionals: [file], databaseUrl } = readCommandLine(Deno.args, usage, 1)
  return await runCommand(async () => {
    const text = await readTextFile(file!)
    const sql = connectTo(databaseUrl)
    try {
      const summary = await load(sql, text)
      console.log(formatSummary(counts(summary), summary.rejected))
    } finally {
      await sql.end()
    }
  })
}
