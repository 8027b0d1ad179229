/**
 * The one-sender lock as a run holds it. It is a short lease (a few seconds) renewed every second
 * by a heartbeat while the run works, so the lock of a run whose process died frees itself within
 * seconds, not after a whole run's length.
 *
 * `held()` is whether the lock is surely still ours by this process's clock: the lease counted
 * from when the last renewal was asked for, which is no later than when the database granted it.
 * The run starts no request to Notify once it is false. So when another run takes the lock over
 * from this one, every request of this one ended (answered or timed out) within Notify's timeout
 * of the lease running out, and `app.begin_notification_run` makes this run's claimed emails due
 * again only then (`inFlightSeconds`), to be looked up at Notify before any is sent again.
 */
import type { Clock } from '../_shared/notify_pacing.ts'
import type { Outbox, PacingLeft } from './outbox.ts'

export type RunLockOptions = {
  leaseSeconds: number
  heartbeatMs: number
  /** How long a request to Notify started before the lease ran out may still be in flight. */
  inFlightSeconds: number
}

export type RunLock = {
  /** Takes the lock and starts the heartbeat; false when another live run holds it. */
  take(): Promise<boolean>
  /** What the last run left of its pacing, if the lock was taken from one that ended cleanly. */
  pacingLeft(): PacingLeft | undefined
  /** Ours for sure now: held, renewed in time, not taken over. */
  held(): boolean
  /** Another run took the lock: this one stopped renewing in time. */
  lost(): boolean
  /**
   * Stops the heartbeat (waiting for a renewal under way, so none lands after this). `end`: give
   * the lock up now, leaving the pacing (`pacingTokens`) for the next run, for a run that starts
   * no more sends and leaves no claimed email behind but those of sends in flight. Otherwise it
   * runs out within its lease, and the run that takes it over makes what this one left due again.
   * Once stopped, `held()` is false: no send may start.
   */
  stop(options: { end: boolean; pacingTokens: number }): Promise<void>
}

export function runLock(
  outbox: Outbox,
  runId: string,
  clock: Clock,
  options: RunLockOptions,
  onError: (error: unknown) => void,
): RunLock {
  let validUntil = 0
  let taken = false
  let pacing: PacingLeft | undefined
  let lost = false
  let renewing: Promise<void> | undefined
  let timer: ReturnType<typeof setInterval> | undefined

  async function renew(): Promise<boolean> {
    const asked = clock.now()
    const ours = await outbox.beginRun(
      runId,
      options.leaseSeconds,
      options.inFlightSeconds,
    )
    if (ours) validUntil = asked + options.leaseSeconds * 1000
    return ours
  }

  function beat(): void {
    // One renewal at a time: a slow database must not pile them up.
    if (renewing || lost) return
    renewing = renew()
      .then((ours) => {
        if (!ours) lost = true
      })
      // A failed renewal is tried again on the next beat; sends stop by themselves if the lease
      // runs out meanwhile (`held()`).
      .catch(onError)
      .finally(() => renewing = undefined)
  }

  return {
    async take() {
      const asked = clock.now()
      const took = await outbox.takeRun(runId, options.leaseSeconds, options.inFlightSeconds)
      if (took.began) validUntil = asked + options.leaseSeconds * 1000
      taken = took.began
      pacing = took.pacing
      lost = false
      if (taken) timer = setInterval(beat, options.heartbeatMs)
      return taken
    },
    pacingLeft: () => pacing,
    held: () => taken && !lost && clock.now() < validUntil,
    lost: () => lost,
    async stop({ end, pacingTokens }) {
      clearInterval(timer)
      timer = undefined
      const wasTaken = taken
      taken = false
      await renewing
      if (wasTaken && !lost && end) await outbox.endRun(runId, pacingTokens)
    },
  }
}
