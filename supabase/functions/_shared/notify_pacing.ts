/**
 * Pacing for sends to GOV.UK Notify. Notify refuses a key's requests beyond its limit per rolling
 * minute (3,000 by default) with a 429, so the sender takes a token from a bucket before each
 * request. The bucket refills a little under the limit and holds only a small burst. A run that
 * follows one that ended cleanly carries on its predecessor's bucket (`resume`, the tokens left
 * in the database at the hand-over), so a chain of runs paces as one bucket would: a short pause
 * at a hand-over is made up from the burst, and no minute goes over the limit. A run that starts
 * any other way (the first, or after a run that died) starts with one token, not a burst.
 */

/** Time as the sender sees it; injected so tests never wait on the wall clock. */
export type Clock = {
  now(): number
  sleep(ms: number): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}

export type TokenBucket = {
  /** Resolves when a request may be made. Callers take tokens one at a time, in turn. */
  take(): Promise<void>
  /** The tokens in the bucket now (with what has refilled), to hand to the next run. */
  level(): number
  /**
   * Carries on from a bucket that held `tokens` `ageMs` ago (the previous run's, as it left it),
   * refilled since at the rate, never above the burst.
   */
  resume(tokens: number, ageMs: number): void
}

/**
 * The share of Notify's limit the sender uses. The rest (60 a minute at 3,000) absorbs the
 * bucket's burst (a fifth of a second's sends: 10 at 3,000), one token per run started afresh
 * within the minute, and requests that reach Notify late and bunch up: at 3,000 a minute, up to
 * about a second of such delay.
 */
export const shareOfLimit = 0.98

/** A bucket that keeps a key's requests under `limitPerMinute` in any rolling minute. */
export function notifyPacer(limitPerMinute: number, clock: Clock): TokenBucket {
  // Enough to make up a hand-over's pause (tens of milliseconds) without going over the limit.
  const burst = Math.max(1, Math.floor(limitPerMinute / 300))
  return tokenBucket({
    perMinute: Math.floor(limitPerMinute * shareOfLimit),
    burst,
    initial: 1,
    clock,
  })
}

export function tokenBucket(
  { perMinute, burst, initial = burst, clock }: {
    perMinute: number
    burst: number
    /** Tokens at the start (at most `burst`). */
    initial?: number
    clock: Clock
  },
): TokenBucket {
  if (!(perMinute > 0) || !(burst >= 1)) {
    throw new RangeError('perMinute and burst must be positive')
  }
  const perMs = perMinute / 60_000
  let tokens = Math.min(burst, initial)
  let refilledAt = clock.now()

  function refill() {
    const now = clock.now()
    tokens = Math.min(burst, tokens + (now - refilledAt) * perMs)
    refilledAt = now
  }

  return {
    async take() {
      refill()
      while (tokens < 1) {
        await clock.sleep(Math.ceil((1 - tokens) / perMs))
        refill()
      }
      tokens -= 1
    },
    level() {
      refill()
      return tokens
    },
    resume(left, ageMs) {
      tokens = Math.min(burst, Math.max(0, left) + Math.max(0, ageMs) * perMs)
      refilledAt = clock.now()
    },
  }
}
