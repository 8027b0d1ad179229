/**
 * The local platform worker: does the work that pg_net's and pg_cron's background workers do on
 * Supabase, for a database whose `net` and `cron` schemas come from local/database/shim.sql. Where the
 * database has the real extensions (`supabase start`), they do the work and this does nothing.
 */
import postgres from 'postgres'
import { createCronRunner, type CronRun } from './pg_cron_runner.ts'
import { startNetWorker } from './pg_net_worker.ts'

export interface PlatformWorkerOptions {
  /** How often to look for due cron jobs; every second serves second-level schedules. */
  cronTickMs?: number
  /** Fallback poll of the request queue, for a NOTIFY missed while reconnecting. */
  netPollMs?: number
  /** The clock the cron loop reads. */
  now?: () => Date
}

export interface PlatformWorker {
  /** Resolves once both halves are running (or known to be unneeded); rejects if they cannot. */
  ready: Promise<void>
  /** Runs the cron jobs due at `now` that have not run in that slot yet, as the loop would. */
  runDueJobs(now: Date): Promise<CronRun[]>
  /** Sends every queued HTTP request now; resolves when their responses are recorded. */
  drainRequests(): Promise<number>
  stop(): Promise<void>
}

export function startPlatformWorker(
  url: string,
  { cronTickMs = 1000, netPollMs = 1000, now = () => new Date() }: PlatformWorkerOptions = {},
): PlatformWorker {
  const started = shimmedParts(url).then(({ net, cron }) => ({
    net: net ? startNetWorker(url, { pollMs: netPollMs }) : undefined,
    cron: cron ? createCronRunner(url) : undefined,
  }))
  let tick: ReturnType<typeof setInterval> | undefined
  const ready = started.then(async ({ net, cron }) => {
    await net?.ready
    if (cron) {
      tick = setInterval(() => {
        cron.runDueJobs(now()).catch((error) =>
          console.error(`[pg_cron] ${error instanceof Error ? error.message : error}`)
        )
      }, cronTickMs)
    }
  })
  // Callers may never await `ready`; the failure must not become an unhandled rejection.
  ready.catch((error) =>
    console.error(
      `[platform worker] cannot start: ${error instanceof Error ? error.message : error}`,
    )
  )

  return {
    ready,
    async runDueJobs(at) {
      const { cron } = await started
      return cron ? await cron.runDueJobs(at) : []
    },
    async drainRequests() {
      const { net } = await started
      return net ? await net.drain() : 0
    },
    async stop() {
      await ready.catch(() => {})
      clearInterval(tick)
      const { net, cron } = await started.catch(() => ({ net: undefined, cron: undefined }))
      await Promise.all([net?.stop(), cron?.stop()])
    },
  }
}

/** Which of `net` and `cron` are the shim's (the worker's job) rather than real extensions. */
async function shimmedParts(url: string): Promise<{ net: boolean; cron: boolean }> {
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    const [row] = await sql<{ net: boolean; cron: boolean }[]>`
      select
        coalesce(obj_description(to_regnamespace('net'), 'pg_namespace'), '')
          like 'local platform shim%' as net,
        coalesce(obj_description(to_regnamespace('cron'), 'pg_namespace'), '')
          like 'local platform shim%' as cron`
    return { net: row?.net ?? false, cron: row?.cron ?? false }
  } finally {
    await sql.end()
  }
}
