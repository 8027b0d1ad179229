/**
 * When to try a failed send again: exponential backoff with jitter, so rows that failed together
 * (Notify briefly down, a burst of 429s) do not all come back in the same second.
 */

export type BackoffPolicy = {
  /** Attempts a row may use before it is failed for good. */
  maxAttempts: number
  /** Delay after the first failed attempt; doubled for each further one. */
  baseMs: number
  /** The longest delay. */
  capMs: number
}

export const defaultBackoff: BackoffPolicy = {
  // Twenty attempts span an hour or more (58 min at the least jitter) before an email is failed
  // for good, so a Notify incident is ridden out; eight spanned as little as 127 s.
  maxAttempts: 20,
  baseMs: 2_000,
  capMs: 10 * 60_000,
}

/**
 * The delay before the next try after `attempts` tries, or undefined when the row has used all
 * its attempts. "Equal jitter": half the exponential delay, plus a random share of the other half,
 * so the wait never collapses to nothing.
 */
export function retryDelayMs(
  attempts: number,
  policy: BackoffPolicy = defaultBackoff,
  random: () => number = Math.random,
): number | undefined {
  if (attempts >= policy.maxAttempts) return undefined
  const exponential = Math.min(
    policy.capMs,
    policy.baseMs * 2 ** Math.max(0, attempts - 1),
  )
  return Math.round(exponential / 2 + random() * (exponential / 2))
}
