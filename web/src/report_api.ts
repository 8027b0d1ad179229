/**
 * The page's two calls to the challenge function, each turned into what the page should show.
 * The token goes in the request body, never in a URL, so no server or proxy logs it.
 *
 * Each call is a CORS "simple request": a POST whose JSON body is labelled `text/plain`, with no
 * headers of our own (no `apikey`: the function needs no key, and the platform's gateway asks
 * for none when the function's `verify_jwt` is off), so the browser sends it without asking the
 * API first with an OPTIONS preflight. The function parses and checks the body exactly as it
 * checks JSON, and still answers only our site's origin with CORS headers, so no other site can
 * read an answer.
 */
import type { LinkDetails } from './link_details.ts'

export type Outcome =
  | { kind: 'open'; details: LinkDetails }
  | { kind: 'submitted' }
  | { kind: 'already_reported'; schoolName: string }
  | { kind: 'expired' }
  | { kind: 'superseded' }
  | { kind: 'not_found' }
  | { kind: 'reason_required' }
  | { kind: 'problem' }

/** Long enough for a slow mobile connection; after it the person is told to try later. */
const timeoutMs = 20_000

/**
 * The challenge function's base URL, which the build writes into every page (the one address the
 * page's content security policy lets it call); null on a page built without it.
 */
export function challengeApiUrl(): string | null {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="app-api-url"]')
  return meta?.content ? `${meta.content}/functions/v1/challenge` : null
}

/** POSTs `payload` to `<challengeApiUrl>/<action>` as a simple request (see above). */
export function postToChallenge(
  apiUrl: string,
  action: 'status' | 'report' | 'new-link',
  payload: Record<string, string>,
): Promise<Response> {
  return fetch(`${apiUrl}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
    body: JSON.stringify(payload),
    credentials: 'omit',
    cache: 'no-store',
    signal: AbortSignal.timeout(timeoutMs),
  })
}

export function checkLink(apiUrl: string, token: string): Promise<Outcome> {
  return call(apiUrl, 'status', { token }, (body) => ({
    kind: 'open',
    details: body as LinkDetails,
  }))
}

export function sendReport(apiUrl: string, token: string, reason: string): Promise<Outcome> {
  return call(apiUrl, 'report', { token, reason }, () => ({ kind: 'submitted' }))
}

async function call(
  apiUrl: string,
  action: 'status' | 'report',
  payload: Record<string, string>,
  onSuccess: (body: unknown) => Outcome,
): Promise<Outcome> {
  try {
    const response = await postToChallenge(apiUrl, action, payload)
    const body: unknown = await response.json()
    return response.ok ? onSuccess(body) : refusal(response.status, body)
  } catch {
    // Offline, timed out, blocked or not JSON: nothing was recorded that we know of.
    return { kind: 'problem' }
  }
}

function refusal(status: number, body: unknown): Outcome {
  switch (status) {
    case 404:
      return { kind: 'not_found' }
    case 409:
      return { kind: 'already_reported', schoolName: errorField(body, 'school_name') }
    case 410:
      return errorField(body, 'code') === 'link_superseded'
        ? { kind: 'superseded' }
        : { kind: 'expired' }
    case 422:
      return { kind: 'reason_required' }
    default:
      return { kind: 'problem' }
  }
}

function errorField(body: unknown, name: string): string {
  const error = (body as { error?: Record<string, unknown> } | null)?.error
  const value = error?.[name]
  return typeof value === 'string' ? value : ''
}
