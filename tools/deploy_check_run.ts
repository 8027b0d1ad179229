/**
 * The whole deploy check: the database's part when a database URL is given, the HTTP part when
 * the project's URL is, in the order a person fixes things (database, functions, Auth). Nothing
 * here writes: the database is read in a read-only transaction and every request is a GET or
 * one the function refuses.
 */
import { checkAuth } from './deploy_check_auth.ts'
import { checkDatabase, migrationVersionsIn } from './deploy_check_database.ts'
import { checkFunctions } from './deploy_check_functions.ts'
import { fail, type Finding, skip } from './deploy_check_report.ts'
import { senderKeyFinding } from './deploy_check_sender_key.ts'
import { connectTo } from './_cli.ts'

export type DeployCheckOptions = {
  /** https://<ref>.supabase.co, without a trailing slash. */
  projectUrl?: string
  publishableKey?: string
  secretKey?: string
  databaseUrl?: string
}

const migrationsDir = new URL('../supabase/migrations/', import.meta.url)

export async function runDeployCheck(options: DeployCheckOptions): Promise<Finding[]> {
  const { projectUrl, publishableKey, secretKey, databaseUrl } = options
  const findings: Finding[] = []

  if (databaseUrl) {
    findings.push(...await databaseFindings(databaseUrl, options))
  } else {
    findings.push(skip('Database', 'give --db-url to check Vault, pg_cron and migrations.'))
  }

  if (projectUrl) {
    findings.push(...await checkFunctions(projectUrl))
    if (secretKey) {
      findings.push(
        await senderKeyFinding(
          'Secret key given',
          `${projectUrl}/functions/v1/notifications`,
          secretKey,
          'copy a secret key from Project Settings > API Keys.',
        ),
      )
    }
    findings.push(
      ...await checkAuth(projectUrl, { publishable: publishableKey, secret: secretKey }),
    )
  } else {
    findings.push(skip('Project', 'give --url to check the functions and Auth.'))
  }
  return findings
}

/** The database's findings, with the wake-up call pg_net makes tried after the Vault secrets. */
async function databaseFindings(
  databaseUrl: string,
  { projectUrl, secretKey }: DeployCheckOptions,
): Promise<Finding[]> {
  const wakeCheck = 'Wake-up call from the database'
  const sql = connectTo(databaseUrl)
  try {
    const database = await checkDatabase(sql, {
      projectUrl,
      secretKey,
      migrationVersions: await migrationVersionsIn(migrationsDir),
    })
    const [vaultUrl, vaultSecret, ...rest] = database.findings
    const wake = database.wakeCall
      ? await senderKeyFinding(
        wakeCheck,
        database.wakeCall.url,
        database.wakeCall.secret,
        'set notifications_function_secret to a secret key of this project (see above).',
      )
      : skip(wakeCheck, 'not tried until both Vault secrets are right.')
    return [vaultUrl!, vaultSecret!, wake, ...rest]
  } catch (error) {
    // The driver's messages name the host and user, never the password.
    const message = error instanceof Error ? error.message : String(error)
    return [
      fail(
        'Database',
        `could not connect or read (${message}).`,
        'check --db-url: the connection string from Project Settings > Database, as postgres.',
      ),
    ]
  } finally {
    await sql.end()
  }
}
