/**
 * Who is asking, for the per-client limit on "Get a new link": a sha256 of the caller's address,
 * so the address itself is never stored or logged.
 *
 * Hosted Supabase puts the caller's address first in `x-forwarded-for` (its gateway appends the
 * hops after it). A caller can send its own `x-forwarded-for` and so spread requests over made-up
 * addresses; the per-URN limit, which no header changes, is what keeps a school's inbox safe.
 * With no header at all (a direct call), every such caller shares one key.
 */
export async function clientAddressHash(headers: Headers): Promise<Uint8Array> {
  const first = headers.get('x-forwarded-for')?.split(',')[0]?.trim().toLowerCase() ||
    'unknown'
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(first),
  )
  return new Uint8Array(digest)
}
