/**
 * A whole local stack of a fault test's own, so that what the test breaks (Postgres, the
 * functions, Notify) breaks for nobody else: free ports, a temporary data folder, Postgres
 * started here (so it can be restarted), the Notify double and the pg_net/pg_cron worker here,
 * and the functions in a process of their own (local/serve_functions.ts, so they can be killed).
 * Also the checks every fault test ends with: each email sent to Notify exactly once, and each
 * report, send and receipt recorded exactly once.
 */
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import postgres from 'postgres'
import { freePort } from '../local/config.ts'
import { loadOrCreateKeys } from '../local/keys.ts'
import { startPostgres } from '../local/database/postgres.ts'
import { waitForReadyLine } from '../local/ready_line.ts'
import { startStack } from '../local/stack.ts'
import { eventually, type MailboxMessage } from './_stack.ts'

const repoRoot = fileURLToPath(new URL('..', import.meta.url))

export type FaultStack = {
  urls: { api: string; db: string; notify: string }
  /** A connection to this stack's database as `postgres` (not a superuser, as on hosted). */
  sql: postgres.Sql
  restartPostgres(how: 'fast' | 'crash', options?: { downMs?: number }): Promise<void>
  /** Starts the functions process (the stack starts one); resolves once it answers. */
  startFunctions(): Promise<void>
  /** SIGKILL: no shutdown, requests in flight die with it. */
  killFunctions(): Promise<void>
  /** How often the functions process died by itself and was started again, as the platform would. */
  functionsRestarts(): number
  /** The double refuses every connection for this long, then comes back with its mailbox. */
  notifyOutage(seconds: number): Promise<void>
  /** Faults queued at the double and not yet met by a send. */
  pendingFaults(): Promise<number>
  /**
   * Moves time past every lease, the run lock's and the claimed emails', as waiting out their
   * length (docs/reliability.md) would; only this stack's database is touched.
   */
  expireLeases(): Promise<void>
  /** Every email the double accepted, oldest first. */
  messages(): Promise<MailboxMessage[]>
  /**
   * Sends `notify-callback` the delivery receipt Notify would send for `message` with `status`,
   * as Notify does (bearer token); returns what the function answered.
   */
  sendReceipt(message: MailboxMessage, status: string): Promise<{ result: string }>
  stop(): Promise<void>
}

export async function startFaultStack(
  { notifyRatePerMinute = 3000 }: { notifyRatePerMinute?: number } = {},
): Promise<FaultStack> {
  const dataDir = await Deno.makeTempDir({ prefix: 'ect-faults-' })
  const ports = { db: freePort(), api: freePort(), notify: freePort(), web: freePort() }
  const database = await startPostgres({ dataDir, port: ports.db })
  const stack = await startStack({
    ports,
    dataDir,
    databaseUrl: database.url,
    databaseAdminUrl: database.adminUrl,
    quiet: true,
    notifyRatePerMinute,
    functionsElsewhere: true,
  }).catch(async (error) => {
    await database.stop()
    throw error
  })
  const keys = await loadOrCreateKeys(dataDir)
  const sql = postgres(database.url, { max: 2, onnotice: () => {} })

  let functions: Deno.ChildProcess | undefined
  let restarts = 0
  let stopping = false
  const functionsEnv = {
    DATABASE_URL: database.url,
    DATABASE_ADMIN_URL: database.adminUrl,
    LOCAL_DATA_DIR: dataDir,
    LOCAL_API_PORT: String(ports.api),
    LOCAL_NOTIFY_PORT: String(ports.notify),
    LOCAL_WEB_PORT: String(ports.web),
    LOCAL_NOTIFY_RATE_PER_MINUTE: String(notifyRatePerMinute),
  }

  async function startFunctions(): Promise<void> {
    if (functions) throw new Error('the functions are already running')
    const child = new Deno.Command(Deno.execPath(), {
      args: ['run', '-A', 'local/serve_functions.ts', '--stop-when-stdin-closes'],
      cwd: repoRoot,
      env: functionsEnv,
      stdin: 'piped',
      stdout: 'piped',
      stderr: 'inherit',
    }).spawn()
    functions = child
    void child.status.then(async () => {
      if (functions !== child) return
      // Not killed by the test: postgres.js 3.4.9 can throw where nothing catches it when
      // Postgres closes a connection under it (porsager/postgres#1208), and a process started
      // while Postgres recovers cannot start. The platform starts a new worker; so do we.
      functions = undefined
      restarts++
      console.error('[faults] the functions process died; starting another')
      await new Promise((resolve) => setTimeout(resolve, 1_000))
      if (!stopping) await startFunctions().catch(() => {})
    })
    await waitForReadyLine(child, 'the functions process')
  }

  async function endFunctions(signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
    const child = functions
    if (!child) return
    functions = undefined
    child.kill(signal)
    await child.status
    await child.stdin.close().catch(() => {})
  }

  const fault: FaultStack = {
    urls: { api: stack.urls.api, db: database.url, notify: stack.urls.notify },
    sql,
    restartPostgres: (how, options) => database.restart(how, options),
    startFunctions,
    killFunctions: () => endFunctions('SIGKILL'),
    functionsRestarts: () => restarts,
    async notifyOutage(seconds) {
      const response = await fetch(`${stack.urls.notify}/_double/outage`, {
        method: 'POST',
        body: JSON.stringify({ seconds }),
      })
      assert.equal(response.status, 202, await response.text())
    },
    async pendingFaults() {
      const response = await fetch(`${stack.urls.notify}/_double/state`)
      return (await response.json() as { pendingFaults: number }).pendingFaults
    },
    async expireLeases() {
      await sql`update app.notification_runs set lease_expires_at = now()`
      await sql`
        update public.notifications set lease_expires_at = now() where status = 'sending'`
    },
    async messages() {
      const response = await fetch(`${stack.urls.notify}/messages`)
      assert.equal(response.status, 200)
      return (await response.json() as MailboxMessage[]).reverse()
    },
    async sendReceipt(message, status) {
      const response = await fetch(`${stack.urls.api}/functions/v1/notify-callback`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${keys.notifyCallbackToken}`,
        },
        body: JSON.stringify({
          id: message.id,
          reference: message.reference,
          to: message.to,
          status,
          created_at: message.created_at,
          completed_at: message.completed_at ?? message.created_at,
          sent_at: message.sent_at,
          notification_type: 'email',
          template_id: message.template_id,
          template_version: message.template_version,
        }),
      })
      assert.equal(response.status, 200)
      return await response.json()
    },
    async stop() {
      stopping = true
      await endFunctions('SIGTERM')
      await sql.end({ timeout: 5 })
      await stack.stop()
      await database.stop()
      await Deno.remove(dataDir, { recursive: true })
    },
  }
  try {
    await startFunctions()
  } catch (error) {
    await fault.stop()
    throw error
  }
  return fault
}

/**
 * The end of every fault test: each of these first emails was accepted by Notify exactly once,
 * under its own reference, and recorded as sent with Notify's id; each partnership was reported
 * once and notified once. Returns the outbox rows, for the test's own figures.
 */
export async function assertEverySchoolToldOnce(
  stack: FaultStack,
  partnershipIds: string[],
): Promise<FirstEmailRow[]> {
  const rows = await stack.sql<FirstEmailRow[]>`
    select notification_id, partnership_id, status, attempts, notify_id, last_error, sent_at
    from public.notifications
    where partnership_id = any(${partnershipIds}::uuid[]) and kind in ('school_first', 'tutor_first')`
  assert.equal(rows.length, partnershipIds.length, 'one first email per partnership')
  const accepted = new Map<string, MailboxMessage[]>()
  for (const message of await stack.messages()) {
    if (message.reference) {
      accepted.set(message.reference, [...accepted.get(message.reference) ?? [], message])
    }
  }
  for (const row of rows) {
    assert.equal(row.status, 'sent', `${row.notification_id}: ${row.last_error}`)
    const sent = accepted.get(row.notification_id) ?? []
    assert.equal(sent.length, 1, `${row.notification_id} reached Notify exactly once`)
    assert.equal(row.notify_id, sent[0]!.id, 'recorded with the id Notify gave it')
  }

  const events = await stack.sql<{ kind: string; partnerships: number; events: number }[]>`
    select kind, count(distinct partnership_id)::int as partnerships, count(*)::int as events
    from public.partnership_events
    where partnership_id = any(${partnershipIds}::uuid[]) and kind in ('reported', 'notified')
    group by kind order by kind`
  assert.deepEqual([...events], [
    { kind: 'notified', partnerships: partnershipIds.length, events: partnershipIds.length },
    { kind: 'reported', partnerships: partnershipIds.length, events: partnershipIds.length },
  ], 'every report and every send recorded once')
  return rows
}

export type FirstEmailRow = {
  notification_id: string
  partnership_id: string
  status: string
  attempts: number
  notify_id: string | null
  last_error: string | null
  sent_at: Date | null
}

/** How many of these partnerships' first emails are recorded as sent. */
export async function firstEmailsSent(
  stack: FaultStack,
  partnershipIds: string[],
): Promise<number> {
  const [row] = await stack.sql<{ sent: number }[]>`
    select count(*)::int as sent from public.notifications
    where partnership_id = any(${partnershipIds}::uuid[])
      and kind in ('school_first', 'tutor_first') and status = 'sent'`
  return row!.sent
}

/** Waits, up to `timeoutMs`, until every one of these partnerships' first emails is sent. */
export async function allFirstEmailsSent(
  stack: FaultStack,
  partnershipIds: string[],
  timeoutMs: number,
): Promise<void> {
  await eventually(
    async () =>
      (await firstEmailsSent(stack, partnershipIds)) === partnershipIds.length || undefined,
    { what: 'the whole backlog to be sent', timeoutMs },
  )
}

/**
 * What the sender's runs reported doing, added up: each run is a pg_net request whose answer
 * (`{outcome, counts}`) pg_net keeps. A run killed mid-way never answers.
 */
export async function runCounts(stack: FaultStack): Promise<Record<string, number>> {
  const answers = await stack.sql<{ content: string }[]>`
    select content from net._http_response where status_code = 200`
  const totals: Record<string, number> = {}
  for (const { content } of answers) {
    const counts: Record<string, number> = JSON.parse(content).counts ?? {}
    for (const [name, value] of Object.entries(counts)) totals[name] = (totals[name] ?? 0) + value
  }
  return totals
}

/** Prints a test's figures as one line, for docs/reliability.md; never asserted on. */
export function printFigures(name: string, figures: Record<string, unknown>): void {
  console.log(`[figures] ${JSON.stringify({ test: name, ...figures })}`)
}
