/**
 * GOV.UK Notify's API rate limit: each API key may make so many requests in any 60 seconds
 * (3,000 by default; docs.notifications.service.gov.uk "API rate limits"). A rolling window of
 * the times of accepted requests; refused requests are not counted.
 */

const WINDOW_MS = 60_000

export type RateLimiter = {
  readonly perMinute: number
  /** Counts the request and returns true, or returns false when the key is over its limit. */
  tryAcquire(key: string): boolean
  setPerMinute(perMinute: number): void
}

export function createRateLimiter(perMinute: number, now: () => Date): RateLimiter {
  const windows = new Map<string, { times: number[]; start: number }>()
  let limit = perMinute

  return {
    get perMinute() {
      return limit
    },
    tryAcquire(key) {
      const time = now().getTime()
      const window = windows.get(key) ?? { times: [], start: 0 }
      windows.set(key, window)
      while (
        window.start < window.times.length && window.times[window.start]! <= time - WINDOW_MS
      ) {
        window.start++
      }
      // Drop expired entries in bulk now and then rather than shifting the array on each request.
      if (window.start > 1024 && window.start * 2 > window.times.length) {
        window.times = window.times.slice(window.start)
        window.start = 0
      }
      if (window.times.length - window.start >= limit) return false
      window.times.push(time)
      return true
    },
    setPerMinute(perMinute) {
      limit = perMinute
    },
  }
}
