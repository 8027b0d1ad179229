/**
 * `deno task deploy-check --url https://<ref>.supabase.co --publishable-key sb_publishable_...
 * --secret-key sb_secret_... --db-url postgresql://...`: checks a deployed project, changing
 * nothing, and prints one line per check with what to do about anything missing or wrong. Exits
 * 1 when anything is wrong, 0 when all is well, 2 on a bad command line. The secret key and the
 * database URL may come from DEPLOY_CHECK_SECRET_KEY and DEPLOY_CHECK_DB_URL instead, out of
 * the process list.
 */
import { parseArgs } from 'node:util'
import { fromEnvironment } from './_cli.ts'
import { exitCode, formatReport } from './deploy_check_report.ts'
import { type DeployCheckOptions, runDeployCheck } from './deploy_check_run.ts'

const usage = 'deno task deploy-check [--url https://<ref>.supabase.co] ' +
  '[--publishable-key sb_publishable_...] [--secret-key sb_secret_...] ' +
  '[--db-url postgresql://...]  (at least --url or --db-url)'

function readOptions(args: string[]): DeployCheckOptions {
  try {
    const { values } = parseArgs({
      args,
      options: {
        url: { type: 'string' },
        'publishable-key': { type: 'string' },
        'secret-key': { type: 'string' },
        'db-url': { type: 'string' },
      },
    })
    const options = {
      projectUrl: values.url === undefined ? undefined : projectUrl(values.url),
      publishableKey: values['publishable-key'],
      secretKey: values['secret-key'] ?? fromEnvironment('DEPLOY_CHECK_SECRET_KEY'),
      databaseUrl: values['db-url'] ?? fromEnvironment('DEPLOY_CHECK_DB_URL'),
    }
    if (!options.projectUrl && !options.databaseUrl) throw new Error('nothing to check')
    return options
  } catch {
    console.error(`Usage: ${usage}`)
    Deno.exit(2)
  }
}

/** The project's base URL as the checks join paths to it: http(s), no path, no trailing slash. */
function projectUrl(text: string): string {
  const url = new URL(text)
  if (!['https:', 'http:'].includes(url.protocol) || url.pathname.replace(/\/+$/, '') !== '') {
    throw new Error('not a project URL')
  }
  return url.origin
}

try {
  const findings = await runDeployCheck(readOptions(Deno.args))
  console.log(formatReport(findings))
  Deno.exit(exitCode(findings))
} catch (error) {
  // Only the message: a stack trace could show the database URL, password included.
  console.error(
    `The deploy check could not finish: ${error instanceof Error ? error.message : error}`,
  )
  Deno.exit(1)
}
