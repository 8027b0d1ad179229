/**
 * Checks that a call really comes from this project's Supabase Auth: Auth signs every hook call
 * per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`) with the secret
 * shown in Auth > Hooks, and the `standardwebhooks` library checks the signature in constant time
 * and refuses a timestamp more than 5 minutes from now, so a recorded call cannot be replayed
 * later.
 */
import { Webhook } from 'standardwebhooks'

/**
 * True when one of `secrets` (each `whsec_<base64>`, several while one is rotated) signed this
 * exact body with these headers, at most 5 minutes ago.
 */
export function signedByAuth(body: string, headers: Headers, secrets: string[]): boolean {
  const signed = {
    'webhook-id': headers.get('webhook-id') ?? '',
    'webhook-timestamp': headers.get('webhook-timestamp') ?? '',
    'webhook-signature': headers.get('webhook-signature') ?? '',
  }
  return secrets.some((secret) => {
    try {
      new Webhook(secret).verify(body, signed, { jsonParse: false })
      return true
    } catch {
      // Missing headers, a stale timestamp or another secret's signature: try the next secret.
      return false
    }
  })
}
