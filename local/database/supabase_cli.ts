/**
 * Runs the Supabase CLI at the version the project deploys with, from npm through `npx` (its
 * binary is an npm optional dependency, so a machine that reaches only the npm registry can run
 * it; `npx` keeps it in its cache after the first run, which `deno task setup` makes). Database
 * commands get `--db-url` with `sslmode=disable`: the local Postgres speaks no TLS.
 */

/** Also in deno.json's `setup` task, which installs it ahead of the first stack. */
export const supabaseCli = 'supabase@2.117.0'

export type CliResult = { code: number; stdout: string; stderr: string }

/**
 * `supabase <args> --db-url <dbUrl>` in `projectDir` (the folder holding `supabase/`). The CLI
 * reads supabase/config.toml, and refuses to go on while an `env(...)` it names is unset: the Send
 * Email Hook's URI and secret are given values of the right shape, since no command run here
 * uses the hook.
 */
export async function runSupabaseCli(
  projectDir: string,
  dbUrl: string,
  ...args: string[]
): Promise<CliResult> {
  const output = await new Deno.Command('npx', {
    args: ['-y', supabaseCli, ...args, '--db-url', withSslDisabled(dbUrl)],
    cwd: projectDir,
    env: {
      SEND_EMAIL_HOOK_URI: 'http://127.0.0.1:1/functions/v1/auth-email-hook',
      SEND_EMAIL_HOOK_SECRET: `v1,whsec_${btoa('local stand-in, never used to sign')}`,
      // The CLI's colours are for terminals; callers read its output.
      NO_COLOR: '1',
    },
    stdin: 'null',
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

function withSslDisabled(url: string): string {
  const parsed = new URL(url)
  parsed.searchParams.set('sslmode', 'disable')
  return parsed.href
}

export type MigrationListRow = { local: string; remote: string }

/**
 * The rows of `supabase migration list`'s table: each version as the migrations folder (`local`)
 * and the database's history (`remote`) have it, `''` on the side that lacks it.
 */
export function parseMigrationList(stdout: string): MigrationListRow[] {
  const rows: MigrationListRow[] = []
  for (const line of stdout.split('\n')) {
    const [local, remote] = line.split('|').map((cell) => cell.replaceAll('`', '').trim())
    if (local === undefined || remote === undefined) continue
    if (/^\d+$/.test(local) || /^\d+$/.test(remote)) rows.push({ local, remote })
  }
  return rows
}
