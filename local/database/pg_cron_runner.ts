/**
 * Runs the jobs in the pg_cron shim's cron.job table, as pg_cron would: each run in a connection
 * of its own, to the job's database, as the job's user, recorded in cron.job_run_details. A job
 * runs at most once per schedule slot and never overlaps its own previous run. The caller says
 * what time it is, so tests need not wait for a minute to pass.
 */
import postgres from 'postgres'
import { dueSlot, parseSchedule } from './pg_cron_schedule.ts'

export interface CronRun {
  jobid: number
  runid: number
  status: 'succeeded' | 'failed'
  returnMessage: string
}

export interface CronRunner {
  /** Runs every active job due at `now` that has not yet run in that slot; resolves when done. */
  runDueJobs(now: Date): Promise<CronRun[]>
  /** Waits for runs in progress, then closes the connections. */
  stop(): Promise<void>
}

interface Job {
  jobid: number
  jobname: string | null
  schedule: string
  command: string
  database: string
  username: string
}

export function createCronRunner(url: string): CronRunner {
  const sql = postgres(url, { max: 2, onnotice: () => {} })
  const lastSlot = new Map<number, number>()
  const running = new Map<number, Promise<CronRun>>()

  async function runDueJobs(now: Date): Promise<CronRun[]> {
    const jobs = await sql<Job[]>`
      select jobid, jobname, schedule, command, database, username
      from cron.job where active order by jobid`
    const started: Promise<CronRun>[] = []
    // No await inside this loop: claiming a slot and starting the run happen together, so two
    // overlapping calls cannot both start the same job.
    for (const job of jobs) {
      const slot = slotDue(job, now)
      if (slot === null || lastSlot.get(job.jobid) === slot || running.has(job.jobid)) continue
      lastSlot.set(job.jobid, slot)
      const run = runJob(url, sql, job).finally(() => running.delete(job.jobid))
      running.set(job.jobid, run)
      started.push(run)
    }
    return await Promise.all(started)
  }

  return {
    runDueJobs,
    async stop() {
      await Promise.allSettled(running.values())
      await sql.end()
    },
  }
}

function slotDue(job: Job, now: Date): number | null {
  try {
    return dueSlot(parseSchedule(job.schedule), now)
  } catch {
    // cron.schedule validates; a row edited by hand may still hold nonsense. pg_cron skips it.
    return null
  }
}

async function runJob(url: string, sql: postgres.Sql, job: Job): Promise<CronRun> {
  const [details] = await sql<{ runid: number }[]>`
    insert into cron.job_run_details (jobid, database, username, command, status, start_time)
    values (${job.jobid}, ${job.database}, ${job.username}, ${job.command}, 'starting', now())
    returning runid`
  const runid = Number(details?.runid)
  const result = await execute(url, sql, job, runid)
  await sql`
    update cron.job_run_details
    set status = ${result.status}, return_message = ${result.returnMessage}, end_time = now()
    where runid = ${runid}`
  if (result.status === 'failed') {
    console.error(`[pg_cron] job ${job.jobname ?? job.jobid} failed: ${result.returnMessage}`)
  }
  return { jobid: job.jobid, runid, ...result }
}

async function execute(
  url: string,
  sql: postgres.Sql,
  job: Job,
  runid: number,
): Promise<Pick<CronRun, 'status' | 'returnMessage'>> {
  const connection = postgres(url, { database: job.database, max: 1, onnotice: () => {} })
  try {
    const [session] = await connection<{ pid: number; user: string }[]>`
      select pg_backend_pid() as pid, current_user as user`
    if (session && session.user !== job.username) {
      await connection`set session authorization ${connection(job.username)}`
    }
    await sql`
      update cron.job_run_details set status = 'running', job_pid = ${session?.pid ?? null}
      where runid = ${runid}`
    const results = await connection.unsafe(job.command)
    return { status: 'succeeded', returnMessage: commandTag(results) }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return { status: 'failed', returnMessage: `ERROR:  ${message}` }
  } finally {
    await connection.end()
  }
}

/** Postgres's command tag for the last statement (`INSERT 0 1`, `SELECT 3`), as pg_cron records. */
function commandTag(results: postgres.RowList<postgres.Row[]>): string {
  const last = (Array.isArray(results[0]) ? results.at(-1) : results) as
    | { command?: string; count?: number }
    | undefined
  const command = last?.command ?? ''
  if (command === 'INSERT') return `INSERT 0 ${last?.count ?? 0}`
  return typeof last?.count === 'number' && command !== '' ? `${command} ${last.count}` : command
}
