/**
 * The page's two calls to the challenge function, each turned into what the page should show.
 * The token goes in the request body, never in a URL, so no server or proxy logs it.
 */
import type { LinkDetails } from './link_details.ts'

export type AppConfig = { apiUrl: string; publishableKey: string }

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

export function checkLink(config: AppConfig, token: string): Promise<Outcome> {
  return call(config, 'status', { token }, (body) => ({
    kind: 'open',
    details: body as LinkDetails,
  }))
}

export function sendReport(config: AppConfig, token: string, reason: string): Promise<Outcome> {
  return call(config, 'report', { token, reason }, () => ({ kind: 'submitted' }))
}

async function call(
  config: AppConfig,
  action: 'status' | 'report',
  payload: Record<string, string>,
  onSuccess: (body: unknown) => Outcome,
): Promise<Outcome> {
  try {
    const response = await fetch(`${config.apiUrl}/functions/v1/challenge/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', apikey: config.publishableKey },
      body: JSON.stringify(payload),
      credentials: 'omit',
      cache: 'no-store',
      signal: AbortSignal.timeout(timeoutMs),
    })
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
