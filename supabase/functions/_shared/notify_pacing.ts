/**
 * Pacing for sends to GOV.UK Notify. Notify refuses a key's requests beyond its limit per rolling
 * minute (3,000 by default) with a 429, so the sender takes a token from a bucket before each
 * request. The bucket refills a little under the limit and holds only a small burst, so that even
 * two runs back to back inside one minute stay under it and a backlog drains without a 429.
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
}

/** The share of Notify's limit the sender uses: the rest absorbs bursts and network jitter. */
const shareOfLimit = 0.95

/** A bucket that keeps a key's requests under `limitPerMinute` in any rolling minute. */
export function notifyPacer(limitPerMinute: number, clock: Clock): TokenBucket {
  const burst = Math.max(1, Math.floor(limitPerMinute / 600))
  return tokenBucket({
    perMinute: Math.floor(limitPerMinute * shareOfLimit),
    burst,
    clock,
  })
}

export function tokenBucket(
  { perMinute, burst, clock }: {
    perMinute: number
    burst: number
    clock: Clock
  },
): TokenBucket {
  if (!(perMinute > 0) || !(burst >= 1)) {
    throw new RangeError('perMinute and burst must be positive')
  }
  const perMs = perMinute / 60_000
  let tokens = burst
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
  }
}
