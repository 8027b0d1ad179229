/**
 * Made-up values that tests and benchmarks write or send: URNs clear of the seed's and of each
 * other's, tokens in the product's own format, and instants relative to now.
 */

/** `count` URNs in a row, from a random 8-digit base, clear of the seed's 6-digit URNs. */
export function uniqueUrns(count: number): string[] {
  const base = 10_000_000 + Math.floor(Math.random() * (89_000_000 - count))
  return Array.from({ length: count }, (_, index) => String(base + index))
}

/** A token as the product makes them: 32 random bytes, base64url without padding (43 chars). */
export function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_')
    .replace(/=+$/, '')
}

/** An instant `days` from now (negative: ago), as JSON carries a timestamptz. */
export function daysFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString()
}
