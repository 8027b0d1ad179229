/**
 * One run of the sender: while it holds the one-sender lock and its budgets last, it claims due
 * emails, sends each through Notify at a paced rate with a few in flight, and records every
 * answer at once. Retryable failures come back later with backoff; a 400 fails the row with
 * Notify's reason; a 403 (the key is wrong) stops the run and gives back what it had claimed, so
 * no attempt is wasted on a fault that is ours. Logs carry counts only, never addresses, tokens
 * or personalisation.
 *
 * Two budgets end a run: wall time (well inside the platform's 150 s) and CPU time (inside its
 * 2 s per request). A run that spends either with work left hands over at once: it has woken the
 * next run a moment before, gives the lock up as soon as it starts no more sends (its last sends
 * are answered and recorded after), and leaves its pacing with the lock, so the next run, on
 * budgets of its own, claims and sends at once and carries the same bucket on.
 */
import { type BackoffPolicy, defaultBackoff, retryDelayMs } from '../_shared/notify_backoff.ts'
import type { NotifyFailure, NotifySender } from '../_shared/notify_client.ts'
import type { Clock, TokenBucket } from '../_shared/notify_pacing.ts'
import type { CpuClock } from './cpu_clock.ts'
import type { NotifyEmail } from './email.ts'
import type { ClaimedEmail, Outbox } from './outbox.ts'
import { runLock } from './run_lock.ts'

export type DispatchDeps = {
  outbox: Outbox
  notify: NotifySender
  compose(email: ClaimedEmail): NotifyEmail
  pacer: TokenBucket
  clock: Clock
  /** Absent where the runtime has no CPU clock: then only the wall-time budget ends a run. */
  cpu?: CpuClock | undefined
  random?: () => number
}

export type DispatchOptions = {
  /** Stop claiming after this long; sends in flight still finish and are recorded. */
  timeBudgetMs: number
  /**
   * Stop claiming and sending once the run has used this much CPU. The platform stops a request
   * at 2 s; 1.5 s leaves half a second for what follows the last check (the sends in flight
   * recorded, the lock given up, the next run woken, the answer written: tens of milliseconds in
   * `deno task bench`) and for the request's own start, with room to spare.
   */
  cpuBudgetMs: number
  /** Rows claimed at a time: about a second's worth at the paced rate. */
  batchSize: number
  /**
   * Sends in flight at once (each until its answer is recorded). Enough that a slow moment at
   * Notify or the database (a send and its record taking a third of a second) does not hold the
   * rate under the pace: 16 in flight keep 49 a second going up to 0.33 s a send.
   */
  concurrency: number
  /**
   * How long a claimed row stays ours. The run lock, not this, is what brings back the rows of a
   * run that died; this is the bound for a row whose record failed in a run that ended.
   */
  leaseSeconds: number
  /** The run lock's lease: how soon a dead run's lock frees itself. */
  lockLeaseSeconds: number
  /** How often a working run renews its lock: several times within its lease. */
  heartbeatMs: number
  /**
   * A run that expects to spend a budget within this long, with work left, wakes its successor
   * now, so the successor has started and is waiting for the lock when this run gives it up.
   * Looked at before each send. Long enough for a wake-up's way through pg_net and the function's
   * start on a busy machine (2 s was not, locally); the successor waits by reading only.
   */
  handoverLeadMs: number
  /** A successor woken that way waits this long for the lock (0: answer `busy` at once). */
  awaitLockMs: number
  /** Notify's answers are awaited this long (the client's own timeout). */
  notifyTimeoutMs: number
  /** While a retry is due within the budget, look for work this often. */
  idlePollMs: number
  backoff: BackoffPolicy
}

export const defaultDispatchOptions: Omit<DispatchOptions, 'batchSize'> = {
  timeBudgetMs: 50_000,
  cpuBudgetMs: 1_500,
  concurrency: 16,
  leaseSeconds: 120,
  lockLeaseSeconds: 5,
  heartbeatMs: 1_000,
  handoverLeadMs: 3_000,
  awaitLockMs: 0,
  notifyTimeoutMs: 10_000,
  idlePollMs: 1_000,
  backoff: defaultBackoff,
}

export type RunOutcome =
  /** Nothing due within the budget. */
  | 'finished'
  | 'budget_spent'
  | 'cpu_budget_spent'
  /** Another run holds the lock: it will send what is due. */
  | 'busy'
  /** Notify refused the API key (403). */
  | 'key_rejected'
  /** Another run took the lock over, or it was not renewed before the time budget ran out. */
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

export type RunResult = {
  outcome: RunOutcome
  counts: RunCounts
  /**
   * CPU milliseconds the run used by the process's CPU clock (null where there is none), up to
   * when it let go if it let go with sends in flight (their records are left out).
   */
  cpuMs: number | null
  /** It woke the next run to carry on with work left. */
  handedOver: boolean
}

export async function runDispatch(
  deps: DispatchDeps,
  options: DispatchOptions,
): Promise<RunResult> {
  const { outbox, clock, cpu } = deps
  const runId = crypto.randomUUID()
  let startedAt = clock.now()
  let endsAt = startedAt + options.timeBudgetMs
  // Counted from when the lock is first ours (below). A successor waiting for the lock spends
  // little (one query each 100 ms), and locally the process clock would count its predecessor's
  // last sends as well.
  let cpuAtStart = cpu?.usedMs()
  const cpuUsed = () => cpu && cpuAtStart !== undefined ? cpu.usedMs() - cpuAtStart : undefined
  const lock = runLock(
    outbox,
    runId,
    clock,
    {
      leaseSeconds: options.lockLeaseSeconds,
      heartbeatMs: options.heartbeatMs,
      // A request started just before the lease ran out, plus a second for the clocks' grain.
      inFlightSeconds: Math.ceil(options.notifyTimeoutMs / 1000) + 1,
    },
    (error) =>
      log('error', 'notifications_lock_renewal_error', {
        kind: errorKind(error),
      }),
  )
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
  /** Claimed by this run and not yet recorded or given back. */
  const unsettled = new Set<string>()
  /** Sends started. */
  let dispatched = 0
  let handedOver = false
  /** The last claim was a full batch: more is due than this batch, so a successor will be needed. */
  let moreDue = false
  /** Sends in flight that look an email up at Notify first: they may yet need the lock to send. */
  let lookingUp = 0
  /** A send's outcome could not be recorded: its row stays claimed until the lock runs out. */
  let recordFailed = false
  /**
   * The CPU used when the run let go early: what it answers, as after that the successor works
   * too, and where one process serves both (locally) the process clock counts both.
   */
  let cpuAtLetGo: number | undefined

  /** Whether the run may go on: sets `stopped` when a budget is spent or the lock is lost. */
  async function mayGoOn(): Promise<boolean> {
    if (stopped) return false
    if (!(await lockSure())) stopped = 'lock_lost'
    else if (clock.now() >= endsAt) stopped = 'budget_spent'
    // After one send at least, so that a chain of runs always moves the backlog on.
    else if (dispatched > 0 && (cpuUsed() ?? 0) >= options.cpuBudgetMs) {
      stopped = 'cpu_budget_spent'
    }
    return !stopped
  }

  /**
   * Whether the lock is surely ours, waiting while that is in doubt: a renewal is late (say the
   * database is restarting) and nobody has taken the lock over. The heartbeat goes on trying; if a
   * renewal lands before another run takes the lock, this run carries on where it stopped.
   */
  async function lockSure(): Promise<boolean> {
    while (!lock.held()) {
      if (lock.lost() || clock.now() >= endsAt) return false
      await clock.sleep(lockPollMs)
    }
    return true
  }

  async function sendOne(email: ClaimedEmail): Promise<void> {
    if (email.outcomeUnknown) lookingUp++
    try {
      if (email.outcomeUnknown) {
        const found = await deps.notify.findByReference(email.notificationId)
        if (found.result === 'found') {
          await outbox.recordSent(email.notificationId, found.notifyId)
          counts.alreadyAtNotify++
          return settled(email)
        }
        if (found.result === 'retry') {
          // Not known yet whether the earlier try landed: it must be looked up again, not sent.
          return await recordFailure(email, { ...found, outcomeUnknown: true })
        }
        if (found.result !== 'not_found') return await recordFailure(email, found)
        // No request to Notify without the lock (run_lock.ts): the next run sends it.
        if (!(await lockSure())) return
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
      settled(email)
    } catch (error) {
      // The row stays claimed and comes back, marked as perhaps sent (see `unsettled`).
      recordFailed = true
      log('error', 'notification_send_error', { kind: errorKind(error) })
    } finally {
      if (email.outcomeUnknown) lookingUp--
    }
  }

  function settled(email: ClaimedEmail): void {
    unsettled.delete(email.notificationId)
  }

  async function release(email: ClaimedEmail): Promise<void> {
    // Only while the lock is ours: a run that took it over may have claimed the row meanwhile.
    if (!lock.held()) return
    await outbox.release(email.notificationId, email.outcomeUnknown)
    counts.released++
    settled(email)
  }

  async function recordFailure(
    email: ClaimedEmail,
    failure: NotifyFailure,
  ): Promise<void> {
    switch (failure.result) {
      case 'key_rejected':
        stopped = 'key_rejected'
        return await release(email)
      case 'rejected':
        await outbox.recordFailure(
          email.notificationId,
          failure.reason,
          undefined,
        )
        counts.failed++
        return settled(email)
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
          return settled(email)
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
        return settled(email)
      }
    }
  }

  async function dispatch(batch: ClaimedEmail[]): Promise<void> {
    for (const [i, email] of batch.entries()) {
      let slot = false
      if (await mayGoOn()) {
        await deps.pacer.take()
        await slots.acquire()
        slot = true
      }
      // Checked again after waiting: the lock or a budget may have run out meanwhile.
      if (!(await mayGoOn())) {
        if (slot) slots.release()
        // All at once: the successor is waiting for this run's lock, and each is a round trip.
        await Promise.all(batch.slice(i).map(release))
        return
      }
      // Each send: a run's CPU can run out faster than its batches come round.
      if (moreDue) await handOverSoon()
      dispatched++
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

  /**
   * Wakes the successor once this run expects to spend a budget within `handoverLeadMs`: the wall
   * time left, or the CPU left at the rate this run has used it so far.
   */
  async function handOverSoon(): Promise<void> {
    if (handedOver) return
    const now = clock.now()
    const cpu = cpuUsed()
    const cpuLeftMs = cpu && cpu > 0
      ? (options.cpuBudgetMs - cpu) * (now - startedAt) / cpu
      : Infinity
    if (Math.min(endsAt - now, cpuLeftMs) > options.handoverLeadMs) return
    handedOver = await outbox.handOver()
  }

  /** Takes the lock, waiting up to `awaitLockMs` for a run about to give it up. */
  async function takeLock(awaitLockMs: number): Promise<boolean> {
    const until = clock.now() + awaitLockMs
    while (!(await lock.take())) {
      // Waits by looking only (app.notification_run_free), often: each look's delay is a pause in
      // sending at the hand-over, and a try to take the lock is a write.
      do {
        if (clock.now() >= until) return false
        await clock.sleep(handoverPollMs)
      } while (!(await outbox.runFree()))
    }
    return true
  }

  /** Sends while this run holds the lock; the caller ends the lock. */
  async function work(): Promise<void> {
    while (await mayGoOn()) {
      const batch = await outbox.claim(options.batchSize, options.leaseSeconds)
      counts.claimed += batch.length
      for (const email of batch) unsettled.add(email.notificationId)
      // A full batch: more is due, so it may be time to wake the successor (looked at each send).
      moreDue = batch.length === options.batchSize
      if (batch.length > 0) await dispatch(batch)
      // A short batch took all that was due: wait for more rather than ask again at once.
      if (batch.length < options.batchSize && !(await awaitWork())) break
    }
    if (mayLetGoEarly()) {
      // The successor, woken ahead, is waiting for the lock: it may claim and send now. Every
      // send in flight was started while this run held the lock and its email stays claimed under
      // its own lease until recorded, so no run sends it again meanwhile, and the tokens they
      // took are in the pacing handed on.
      cpuAtLetGo = cpuUsed()
      await lock.stop({ end: true, pacingTokens: deps.pacer.level() })
    }
    await Promise.all(inFlight)
  }

  /**
   * A run that spent a budget lets go before its last sends are answered, unless one of them may
   * still need the lock (an email being looked up at Notify before it is sent) or a record has
   * failed (that email must come back when the lock runs out, not after its own lease).
   */
  function mayLetGoEarly(): boolean {
    return (stopped === 'budget_spent' || stopped === 'cpu_budget_spent') &&
      lookingUp === 0 && !recordFailed && lock.held()
  }

  // A row committed just as a run finishes may have woken a run that found the lock taken, so
  // after letting go, look once more before leaving.
  let rounds = 0
  do {
    if (!(await takeLock(rounds === 0 ? options.awaitLockMs : 0))) {
      // Another run took over after this one let go: it sends the rest.
      return finish({
        outcome: rounds === 0 ? 'busy' : 'finished',
        counts,
        cpuMs: roundMs(cpuUsed()),
        handedOver: false,
      })
    }
    // Carry on the bucket of the run before, if it ended cleanly: no pause, no fresh start.
    const left = lock.pacingLeft()
    if (left) deps.pacer.resume(left.tokens, left.ageMs)
    // The budgets start when the lock is ours (a successor may have waited for it).
    if (rounds === 0) {
      startedAt = clock.now()
      endsAt = startedAt + options.timeBudgetMs
      cpuAtStart = cpu?.usedMs()
    }
    rounds++
    try {
      await work()
    } finally {
      // A run that leaves claimed rows behind (it lost the lock, or a record failed) lets the
      // lock run out instead: the run that takes it over brings those rows back within seconds.
      await lock.stop({
        end: unsettled.size === 0 && !lock.lost(),
        pacingTokens: deps.pacer.level(),
      })
    }
  } while (!stopped && clock.now() < endsAt && (await outbox.anyDue()))
  // A backlog outlasts one run: if the successor was not woken ahead, wake it now rather than
  // wait for the sweep.
  if (
    !handedOver && (stopped === 'budget_spent' || stopped === 'cpu_budget_spent') &&
    unsettled.size === 0 && (await outbox.anyDue())
  ) {
    handedOver = await outbox.wakeNextRun()
  }
  return finish({
    outcome: stopped ?? 'finished',
    counts,
    cpuMs: roundMs(cpuAtLetGo ?? cpuUsed()),
    handedOver,
  })
}

/** How often a run whose lock renewal is late looks again. */
const lockPollMs = 100
/** How often a successor waiting for its predecessor's lock looks again. */
const handoverPollMs = 20

function roundMs(ms: number | undefined): number | null {
  return ms === undefined ? null : Math.round(ms)
}

function finish(result: RunResult): RunResult {
  const level = result.outcome === 'key_rejected' ? 'error' : 'info'
  log(level, 'notifications_run', {
    outcome: result.outcome,
    ...result.counts,
    cpuMs: result.cpuMs,
    handedOver: result.handedOver,
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
