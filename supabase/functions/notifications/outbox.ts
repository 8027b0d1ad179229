/**
 * The outbox as the sender sees it: the `app.*` SQL functions that claim due emails under a lease
 * and record what Notify said. Each call is its own short transaction, so a result is on disk
 * the moment it is known, and a run that dies loses nothing but its lease.
 *
 * Each is one statement on its own, as the challenge function's calls are (issue 16): no
 * transaction around it and no role set, so it runs as the connection's own role, which owns these
 * `security definer` functions, and commits as it ends. `withService` added three round trips
 * (begin, settings, commit) to every call, and a run makes two or three calls for each email.
 */
import type { Query } from '../_shared/db.ts'
import type { NotificationKind } from '../_shared/config.ts'

/** A claimed email, with its personalisation as the database built it. */
export type ClaimedEmail = {
  notificationId: string
  kind: NotificationKind
  recipientEmail: string
  /** Includes `token` (the plain link token) for school and tutor emails. */
  personalisation: Record<string, string>
  /** Tries so far, this one included. */
  attempts: number
  /** An earlier try may have reached Notify: ask before sending again. */
  outcomeUnknown: boolean
}

/** The pacing a run left as it ended cleanly: its bucket's tokens, `ageMs` ago. */
export type PacingLeft = { tokens: number; ageMs: number }

export type Outbox = {
  /**
   * Takes the one-sender lock as `beginRun` does and, when it is taken, the pacing the last run
   * left if it ended cleanly (undefined otherwise), for this run to carry on.
   */
  takeRun(
    runId: string,
    leaseSeconds: number,
    inFlightSeconds: number,
  ): Promise<{ began: boolean; pacing: PacingLeft | undefined }>
  /**
   * Takes (or renews) the one-sender lock; false when another live run holds it. Taking it over
   * from a run that stopped renewing makes that run's claimed rows due `inFlightSeconds` after
   * its lock ran out.
   */
  beginRun(
    runId: string,
    leaseSeconds: number,
    inFlightSeconds: number,
  ): Promise<boolean>
  /** Whether no run holds a live lock now; reads only (a successor waiting for the lock asks). */
  runFree(): Promise<boolean>
  /** Gives the lock up and leaves the run's pacing (its bucket's tokens now) for the next run. */
  endRun(runId: string, pacingTokens: number): Promise<void>
  anyDue(): Promise<boolean>
  /** When the next queued email falls due (epoch ms), if any is queued. */
  nextDueAt(): Promise<number | undefined>
  claim(maxRows: number, leaseSeconds: number): Promise<ClaimedEmail[]>
  recordSent(notificationId: string, notifyId: string): Promise<void>
  /** `retryAt` undefined: failed for good. */
  recordFailure(
    notificationId: string,
    error: string,
    retryAt: number | undefined,
  ): Promise<void>
  /**
   * Gives a claimed email back untried. `outcomeUnknown`: it was claimed to be looked up at Notify
   * first (an earlier try may have landed), and stays so.
   */
  release(notificationId: string, outcomeUnknown: boolean): Promise<void>
  /**
   * Asks for another run straight away (through pg_net, as the outbox trigger does); false when
   * it could not (the Vault secrets are missing).
   */
  wakeNextRun(): Promise<boolean>
  /** The same for a run about to stop: the run it wakes waits for this one's lock. */
  handOver(): Promise<boolean>
}

type ClaimRow = {
  notification_id: string
  kind: NotificationKind
  recipient_email: string
  personalisation: Record<string, string>
  attempts: number
  outcome_unknown: boolean
}

/**
 * The outbox in the database `sql` reaches: the function's own pool (`Database.sql`), or a test's.
 * Asked for at each call, so a function whose database is not configured still starts.
 */
export function createSqlOutbox(sql: () => Query): Outbox {
  return {
    async takeRun(runId, leaseSeconds, inFlightSeconds) {
      const [row] = await sql()<
        { began: boolean | null; pacing_tokens: number | null; pacing_age_ms: number | null }[]
      >`select * from app.take_notification_run(${runId}, ${leaseSeconds}, ${inFlightSeconds})`
      const began = row?.began === true
      const pacing = began && row?.pacing_tokens != null && row.pacing_age_ms != null
        ? { tokens: row.pacing_tokens, ageMs: row.pacing_age_ms }
        : undefined
      return { began, pacing }
    },
    async beginRun(runId, leaseSeconds, inFlightSeconds) {
      const [row] = await sql()<{ began: boolean | null }[]>`
        select app.begin_notification_run(${runId}, ${leaseSeconds}, ${inFlightSeconds}) as began`
      return row?.began === true
    },
    async runFree() {
      const [row] = await sql()<{ free: boolean }[]>`select app.notification_run_free() as free`
      return row?.free === true
    },
    async endRun(runId, pacingTokens) {
      await sql()`select app.end_notification_run(${runId}, ${pacingTokens})`
    },
    async anyDue() {
      const [row] = await sql()<{ due: boolean }[]>`select app.notifications_due() as due`
      return row?.due === true
    },
    async nextDueAt() {
      const [row] = await sql()<{ at: Date | null }[]>`select app.next_notification_due_at() as at`
      return row?.at?.getTime()
    },
    async claim(maxRows, leaseSeconds) {
      const rows = await sql()<ClaimRow[]>`
        select * from app.claim_notifications(${maxRows}, ${leaseSeconds})`
      return rows.map((row) => ({
        notificationId: row.notification_id,
        kind: row.kind,
        recipientEmail: row.recipient_email,
        personalisation: row.personalisation,
        attempts: row.attempts,
        outcomeUnknown: row.outcome_unknown,
      }))
    },
    async recordSent(notificationId, notifyId) {
      await sql()`select app.record_notification_sent(${notificationId}, ${notifyId})`
    },
    async recordFailure(notificationId, error, retryAt) {
      const at = retryAt === undefined ? null : new Date(retryAt)
      await sql()`select app.record_notification_failure(${notificationId}, ${error}, ${at})`
    },
    async release(notificationId, outcomeUnknown) {
      await sql()`select app.release_notification(${notificationId}, ${outcomeUnknown})`
    },
    async wakeNextRun() {
      const [row] = await sql()<{ request: string | null }[]>`
        select app.wake_notifications() as request`
      return row?.request != null
    },
    async handOver() {
      const [row] = await sql()<{ request: string | null }[]>`
        select app.hand_over_notifications() as request`
      return row?.request != null
    },
  }
}
