/**
 * One run of the sender: while it holds the one-sender lock and its time budget lasts, it claims
 * due emails, sends each through Notify at a paced rate with a few in flight, and records every
 * answer at once. Retryable failures come back later with backoff; a 400 fails the row with
 * Notify's reason; a 403 (the key is wrong) stops the run and gives back what it had claimed, so
 * no attempt is wasted on a fault that is ours. Logs carry counts only, never addresses, tokens
 * or personalisation.
 */
import { type BackoffPolicy, defaultBackoff, retryDelayMs } from '../_shared/notify_backoff.ts'
import type { NotifyFailure, NotifySender } from '../_shared/notify_client.ts'
import type { Clock, TokenBucket } from '../_shared/notify_pacing.ts'
import type { NotifyEmail } from './email.ts'
import type { ClaimedEmail, Outbox } from './outbox.ts'

export type DispatchDeps = {
  outbox: Outbox
  notify: NotifySender
  compose(email: ClaimedEmail): NotifyEmail
  pacer: TokenBucket
  clock: Clock
  random?: () => number
}

export type DispatchOptions = {
  /** Stop claiming after this long; sends in flight still finish and are recorded. */
  timeBudgetMs: number
  /** Rows claimed at a time: about a second's worth at the paced rate. */
  batchSize: number
  /** Sends in flight at once. */
  concurrency: number
  /** How long a claimed row stays ours; longer than a batch takes to send. */
  leaseSeconds: number
  /** Notify's answers are awaited this long (the client's own timeout). */
  notifyTimeoutMs: number
  /** While a retry is due within the budget, look for work this often. */
  idlePollMs: number
  backoff: BackoffPolicy
}

export const defaultDispatchOptions: Omit<DispatchOptions, 'batchSize'> = {
  timeBudgetMs: 50_000,
  concurrency: 8,
  leaseSeconds: 120,
  notifyTimeoutMs: 10_000,
  idlePollMs: 1_000,
  backoff: defaultBackoff,
}

export type RunOutcome =
  /** Nothing due within the budget. */
  | 'finished'
  | 'budget_spent'
  /** Another run holds the lock: it will send what is due. */
  | 'busy'
  /** Notify refused the API key (403). */
  | 'key_rejected'
  /** The lock expired and another run took it (this run was too slow to renew it). */
  | 'lock_lost'

export type RunCounts = {
  claimed: number
  sent: number
  /** Found at Notify already (an earlier try landed): recorded, not sent again. */
  alreadyAtNotify: number
  retrying: number
  failed: number
  released: number
}

export type RunResult = { outcome: RunOutcome; counts: RunCounts }

export async function runDispatch(
  deps: DispatchDeps,
  options: DispatchOptions,
): Promise<RunResult> {
  const { outbox, clock } = deps
  const runId = crypto.randomUUID()
  const endsAt = clock.now() + options.timeBudgetMs
  // Outlives the budget and the slowest sends still in flight when it is spent.
  const runLeaseSeconds = Math.ceil((options.timeBudgetMs + 3 * options.notifyTimeoutMs) / 1000) +
    options.leaseSeconds
  const counts: RunCounts = {
    claimed: 0,
    sent: 0,
    alreadyAtNotify: 0,
    retrying: 0,
    failed: 0,
    released: 0,
  }
  let stopped: RunOutcome | undefined
  const slots = semaphore(options.concurrency)
  const inFlight = new Set<Promise<void>>()

  async function sendOne(email: ClaimedEmail): Promise<void> {
    try {
      if (email.outcomeUnknown) {
        const found = await deps.notify.findByReference(email.notificationId)
        if (found.result === 'found') {
          await outbox.recordSent(email.notificationId, found.notifyId)
          counts.alreadyAtNotify++
          return
        }
        if (found.result !== 'not_found') {
          return await recordFailure(email, found)
        }
      }
      const request = deps.compose(email)
      const outcome = await deps.notify.sendEmail(
        request.templateId,
        request.emailAddress,
        request.personalisation,
        request.reference,
      )
      if (outcome.result !== 'accepted') {
        return await recordFailure(email, outcome)
      }
      await outbox.recordSent(email.notificationId, outcome.notifyId)
      counts.sent++
    } catch (error) {
      // The row keeps its lease and comes back when it expires, marked as perhaps sent.
      log('error', 'notification_send_error', { kind: errorKind(error) })
    }
  }

  async function recordFailure(
    email: ClaimedEmail,
    failure: NotifyFailure,
  ): Promise<void> {
    switch (failure.result) {
      case 'key_rejected':
        stopped = 'key_rejected'
        await outbox.release(email.notificationId)
        counts.released++
        return
      case 'rejected':
        await outbox.recordFailure(
          email.notificationId,
          failure.reason,
          undefined,
        )
        counts.failed++
        return
      case 'retry': {
        const delay = retryDelayMs(
          email.attempts,
          options.backoff,
          deps.random,
        )
        if (delay === undefined) {
          const reason = `Gave up after ${email.attempts} attempts. ${failure.reason}`
          await outbox.recordFailure(email.notificationId, reason, undefined)
          counts.failed++
          return
        }
        // An unanswered request may still land: look for it only after it surely has.
        const wait = failure.outcomeUnknown ? Math.max(delay, options.notifyTimeoutMs) : delay
        const reason = failure.outcomeUnknown
          ? `Outcome unknown: ${failure.reason}`
          : failure.reason
        await outbox.recordFailure(
          email.notificationId,
          reason,
          clock.now() + wait,
        )
        counts.retrying++
        return
      }
    }
  }

  async function dispatch(batch: ClaimedEmail[]): Promise<void> {
    for (const email of batch) {
      if (!stopped) {
        await deps.pacer.take()
        await slots.acquire()
      }
      if (stopped) {
        await outbox.release(email.notificationId)
        counts.released++
        continue
      }
      const sending = sendOne(email).finally(() => {
        slots.release()
        inFlight.delete(sending)
      })
      inFlight.add(sending)
    }
  }

  /** Waits for work due within the budget; false when there is none. */
  async function awaitWork(): Promise<boolean> {
    if (inFlight.size > 0) {
      await Promise.race(inFlight)
      return true
    }
    const next = await outbox.nextDueAt()
    if (next === undefined || next >= endsAt) return false
    await clock.sleep(
      Math.max(0, Math.min(next - clock.now(), options.idlePollMs)),
    )
    return true
  }

  /** Sends while this run holds the lock; the caller ends the lock. */
  async function work(): Promise<void> {
    while (!stopped) {
      if (clock.now() >= endsAt) stopped = 'budget_spent'
      else if (!(await outbox.beginRun(runId, runLeaseSeconds))) {
        stopped = 'lock_lost'
      }
      if (stopped) break
      const batch = await outbox.claim(options.batchSize, options.leaseSeconds)
      counts.claimed += batch.length
      if (batch.length > 0) await dispatch(batch)
      else if (!(await awaitWork())) break
    }
    await Promise.all(inFlight)
  }

  // A row committed just as a run finishes may have woken a run that found the lock taken, so
  // after letting go, look once more before leaving.
  let rounds = 0
  do {
    if (!(await outbox.beginRun(runId, runLeaseSeconds))) {
      // Another run took over after this one let go: it sends the rest.
      return finish({ outcome: rounds === 0 ? 'busy' : 'finished', counts })
    }
    rounds++
    try {
      await work()
    } finally {
      await outbox.endRun(runId)
    }
  } while (!stopped && clock.now() < endsAt && (await outbox.anyDue()))
  // A backlog outlasts one run: hand over at once rather than wait for the minute's sweep.
  if (stopped === 'budget_spent' && (await outbox.anyDue())) {
    await outbox.wakeNextRun()
  }
  return finish({ outcome: stopped ?? 'finished', counts })
}

function finish(result: RunResult): RunResult {
  const level = result.outcome === 'key_rejected' ? 'error' : 'info'
  log(level, 'notifications_run', {
    outcome: result.outcome,
    ...result.counts,
  })
  return result
}

function log(
  level: 'info' | 'error',
  event: string,
  fields: Record<string, unknown>,
): void {
  const line = JSON.stringify({ level, event, ...fields })
  if (level === 'error') console.error(line)
  else console.log(line)
}

/** What kind of error it was, for logs: its code or name, never its message (it may hold data). */
function errorKind(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown'
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' ? `${error.name} ${code}` : error.name
}

/** At most `size` holders at once; the rest wait in turn. */
function semaphore(size: number) {
  let free = size
  const waiting: (() => void)[] = []
  return {
    async acquire(): Promise<void> {
      if (free > 0) {
        free--
        return
      }
      await new Promise<void>((resolve) => waiting.push(resolve))
    },
    release(): void {
      const next = waiting.shift()
      if (next) next()
      else free++
    },
  }
}
