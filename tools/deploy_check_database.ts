/**
 * The deploy check's look at the database: the Vault secrets the migrations read, the pg_cron
 * sweep and who owns it, and which migrations are applied. It reads in one read-only transaction,
 * so it cannot change anything, and reads only what hosted's `postgres` (not a superuser) may:
 * `vault.decrypted_secrets`, `cron.job`, `cron.job_run_details` and
 * `supabase_migrations.schema_migrations`. Each check runs in a savepoint of its own, so one
 * that cannot read its table fails alone.
 */
import { sameSecret } from '../supabase/functions/_shared/auth.ts'
import type postgres from 'postgres'
import { fail, type Finding, ok, skip } from './deploy_check_report.ts'

export type DatabaseCheckOptions = {
  /** The project's URL, to compare the Vault URL with. */
  projectUrl?: string
  /** The project's secret key, to compare the Vault secret with (never shown). */
  secretKey?: string
  /** The migration versions in this checkout. */
  migrationVersions: string[]
}

/**
 * How pg_net reaches the sender, as Vault says: the caller tries it with a request the sender
 * refuses whatever the key (deploy_check_sender_key.ts).
 */
export type WakeCall = { url: string; secret: string }

export type DatabaseReport = { findings: Finding[]; wakeCall?: WakeCall }

/** The role that runs the migrations on hosted, so the one that schedules the sweep. */
const sweepOwner = 'postgres'
const sweepName = 'notifications-sweep'
const sweepSchedule = '5 seconds'
const sweepCommand = 'select app.sweep_notifications()'
const functionPath = '/functions/v1/notifications'

export async function checkDatabase(
  sql: postgres.Sql,
  options: DatabaseCheckOptions,
): Promise<DatabaseReport> {
  return await sql.begin(async (tx) => {
    await tx`set transaction read only`
    const vault = await checkVault(tx, options)
    const cron = await checkSweep(tx)
    const migrations = await guarded(tx, 'Migrations', (sp) => checkMigrations(sp, options))
    return { findings: [...vault.findings, ...cron, migrations], wakeCall: vault.wakeCall }
  })
}

/** Runs one check in a savepoint; an error it raises becomes its failure. */
async function guarded(
  tx: postgres.TransactionSql,
  check: string,
  run: (sp: postgres.TransactionSql) => Promise<Finding>,
): Promise<Finding> {
  try {
    return await tx.savepoint(run)
  } catch (error) {
    return unreadable(check, error)
  }
}

function unreadable(check: string, error: unknown): Finding {
  const message = error instanceof Error ? error.message : String(error)
  return fail(
    check,
    `could not be read (${message}).`,
    'connect as postgres, with the database URL from Project Settings > Database.',
  )
}

async function checkVault(
  tx: postgres.TransactionSql,
  { projectUrl, secretKey }: DatabaseCheckOptions,
): Promise<DatabaseReport> {
  const urlCheck = 'Vault secret notifications_function_url'
  const secretCheck = 'Vault secret notifications_function_secret'
  let secrets: Map<string, string | null>
  try {
    secrets = await tx.savepoint(async (sp) => {
      const rows = await sp<{ name: string; value: string | null }[]>`
        select name, decrypted_secret as value from vault.decrypted_secrets
        where name in ('notifications_function_url', 'notifications_function_secret')`
      return new Map(rows.map((row) => [row.name, row.value]))
    })
  } catch (error) {
    return { findings: [unreadable(urlCheck, error), unreadable(secretCheck, error)] }
  }
  const expectedUrl = projectUrl ? `${projectUrl}${functionPath}` : undefined
  const url = secrets.get('notifications_function_url')
  const secret = secrets.get('notifications_function_secret')
  const findings: Finding[] = []

  if (!url) {
    findings.push(fail(
      urlCheck,
      'missing, so nothing wakes the sender and no email is sent.',
      `in the SQL editor: select vault.create_secret('${
        expectedUrl ?? `https://<project ref>.supabase.co${functionPath}`
      }', 'notifications_function_url');`,
    ))
  } else if (expectedUrl ? url !== expectedUrl : !url.endsWith(functionPath)) {
    findings.push(fail(
      urlCheck,
      `is ${url}, not ${expectedUrl ?? `a URL ending ${functionPath}`}.`,
      `select vault.update_secret(id, '${expectedUrl ?? `<project URL>${functionPath}`}') ` +
        `from vault.secrets where name = 'notifications_function_url';`,
    ))
  } else {
    findings.push(ok(urlCheck, `points at ${url}.`))
  }

  const setSecret = "in the SQL editor: select vault.update_secret(id, '<secret key>') from " +
    "vault.secrets where name = 'notifications_function_secret'; (vault.create_secret when it " +
    'is missing).'
  if (!secret) {
    findings.push(fail(secretCheck, 'missing, so the sender cannot be woken.', setSecret))
  } else if (!secretKey) {
    findings.push(ok(secretCheck, 'present (give --secret-key to compare it with the key).'))
  } else if (!sameSecret(secret, secretKey)) {
    findings.push(fail(secretCheck, 'is not the secret key given.', setSecret))
  } else {
    findings.push(ok(secretCheck, 'is the secret key given.'))
  }

  // A URL known to be wrong is not called: the secret goes only where it should.
  const urlRight = findings[0]!.outcome === 'ok'
  return { findings, wakeCall: url && secret && urlRight ? { url, secret } : undefined }
}

type SweepJob = {
  jobid: string
  schedule: string
  command: string
  username: string
  active: boolean
}

async function checkSweep(tx: postgres.TransactionSql): Promise<Finding[]> {
  const check = `pg_cron job ${sweepName}`
  let jobs: SweepJob[]
  try {
    jobs = await tx.savepoint((sp) =>
      sp<SweepJob[]>`
        select jobid::text, schedule, command, username, active from cron.job
        where jobname = ${sweepName} order by jobid`
    )
  } catch (error) {
    return [unreadable(check, error)]
  }
  const job = sweepFinding(jobs)
  const lastRun = jobs.length
    ? await guarded(tx, `${check}, last run`, (sp) => lastRunFinding(sp, jobs))
    : skip(`${check}, last run`, 'no job to have run.')
  return [job, lastRun]
}

/** Whether the sweep is scheduled once, by the right role, active, as the migration made it. */
export function sweepFinding(jobs: SweepJob[]): Finding {
  const check = `pg_cron job ${sweepName}`
  const schedule = `select cron.schedule('${sweepName}', '${sweepSchedule}', '${sweepCommand}');`
  if (jobs.length === 0) {
    return fail(
      check,
      'not scheduled, so retries, reminders and lost wake-ups are never sent.',
      `as ${sweepOwner}, in the SQL editor: ${schedule}`,
    )
  }
  const problems: string[] = []
  const fixes: string[] = []
  for (const job of jobs) {
    if (job.username !== sweepOwner) {
      problems.push(`job ${job.jobid} belongs to ${job.username}, not ${sweepOwner}`)
      fixes.push(
        `as ${job.username}: select cron.unschedule(${job.jobid}); then as ${sweepOwner}: ${schedule}`,
      )
      continue
    }
    if (!job.active) {
      problems.push(`job ${job.jobid} is not active`)
      fixes.push(`select cron.alter_job(${job.jobid}, active := true);`)
    }
    if (job.schedule !== sweepSchedule || job.command !== sweepCommand) {
      problems.push(`job ${job.jobid} runs '${job.command}' on '${job.schedule}'`)
      fixes.push(schedule)
    }
  }
  if (!jobs.some((job) => job.username === sweepOwner)) fixes.push(`as ${sweepOwner}: ${schedule}`)
  if (problems.length) return fail(check, `${problems.join('; ')}.`, fixes.join(' '))
  return ok(check, `active, every 5 seconds ('${sweepSchedule}'), owned by ${sweepOwner}.`)
}

async function lastRunFinding(tx: postgres.TransactionSql, jobs: SweepJob[]): Promise<Finding> {
  const check = `pg_cron job ${sweepName}, last run`
  const [run] = await tx<{ status: string; message: string | null; at: Date | null }[]>`
    select status, return_message as message, start_time as at from cron.job_run_details
    where jobid = any(${jobs.map((job) => job.jobid)}::bigint[])
    order by start_time desc nulls last limit 1`
  if (!run) return ok(check, 'none yet (it runs every 5 seconds).')
  if (run.status === 'failed') {
    return fail(
      check,
      `failed at ${run.at?.toISOString()}: ${(run.message ?? '').slice(0, 200)}`,
      'put right what the message names; the next run is within a minute.',
    )
  }
  return ok(check, `${run.status} at ${run.at?.toISOString()}.`)
}

async function checkMigrations(
  tx: postgres.TransactionSql,
  { migrationVersions }: DatabaseCheckOptions,
): Promise<Finding> {
  const rows = await tx<{ version: string }[]>`
    select version from supabase_migrations.schema_migrations`
  return migrationsFinding(migrationVersions, rows.map((row) => row.version))
}

/** Every migration of the checkout applied, and none the checkout does not have. */
export function migrationsFinding(inCheckout: string[], applied: string[]): Finding {
  const appliedSet = new Set(applied)
  const checkoutSet = new Set(inCheckout)
  const missing = inCheckout.filter((version) => !appliedSet.has(version)).sort()
  const unknown = applied.filter((version) => !checkoutSet.has(version)).sort()
  if (missing.length === 0 && unknown.length === 0) {
    return ok('Migrations', `all ${inCheckout.length} in supabase/migrations are applied.`)
  }
  const problems = [
    ...(missing.length ? [`not applied: ${missing.join(', ')}`] : []),
    ...(unknown.length ? [`applied but not in this checkout: ${unknown.join(', ')}`] : []),
  ]
  return fail(
    'Migrations',
    `${problems.join('; ')}.`,
    missing.length
      ? 'supabase db push (see README, Deploy to Supabase).'
      : 'check out the branch that was deployed, or the newer one.',
  )
}

/** The versions of the migrations in a folder: the timestamp before the first `_`. */
export async function migrationVersionsIn(dir: URL): Promise<string[]> {
  const versions: string[] = []
  for await (const entry of Deno.readDir(dir)) {
    const match = entry.isFile ? entry.name.match(/^(\d+)_.*\.sql$/) : null
    if (match) versions.push(match[1]!)
  }
  return versions.sort()
}
