/// <reference lib="dom" />
/**
 * The portal's calls to the `provider` function, with the signed-in person's access token. A
 * 401 (the session ended) sends them to sign in; other refusals become `ApiError`s carrying the
 * function's error code and message.
 */
import { accessToken, appConfig, sendToSignIn } from './provider_session.ts'

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message)
  }
}

/** Long enough for a 10,000-school report on a slow connection. */
const timeoutMs = 120_000

async function request(path: string, body?: unknown): Promise<Response> {
  const { apiUrl, publishableKey } = appConfig()
  const response = await fetch(`${apiUrl}/functions/v1/provider${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      apikey: publishableKey,
      authorization: `Bearer ${await accessToken()}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'omit',
    cache: 'no-store',
    signal: AbortSignal.timeout(timeoutMs),
  })
  if (response.status === 401) return sendToSignIn()
  if (!response.ok) {
    const answer = await response.json().catch(() => ({}))
    const error = (answer as { error?: { code?: string; message?: string } }).error
    throw new ApiError(
      response.status,
      error?.code ?? 'unknown',
      error?.message ?? 'Sorry, there is a problem with the service',
    )
  }
  return response
}

export async function getJson<T>(path: string): Promise<T> {
  return await (await request(path)).json() as T
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  return await (await request(path, body)).json() as T
}

/** Fetches a file with the person's token and hands it to the browser as a download. */
export async function download(path: string, filename: string): Promise<void> {
  const blob = await (await request(path)).blob()
  const url = URL.createObjectURL(blob)
  const anchor = document.createElement('a')
  anchor.href = url
  anchor.download = filename
  document.body.append(anchor)
  anchor.click()
  anchor.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** What the function answers; the shapes of supabase/functions/provider. */
export type DeliveryPartner = { id: string; name: string }
export type ProviderCohort = {
  start_year: number
  delivery_partners: DeliveryPartner[]
  schools: number
  challenged: number
}
export type Me = {
  lead_provider: { id: string; name: string }
  user: { full_name: string; email: string }
  cohorts: ProviderCohort[]
  challenged: number
}
export type Partnership = {
  partnership_id: string
  urn: string
  school_name: string
  delivery_partner_name: string
  reported_at: string
  status: 'active' | 'challenged'
  challenged_at: string | null
  challenge_reason_label: string | null
}
export type PartnershipDetail = Partnership & {
  cohort: number
  local_authority: string | null
  trust_name: string | null
}
export type PartnershipPage = {
  total: number
  page: number
  page_size: number
  partnerships: Partnership[]
}
export type ReportRow = {
  row_number: number
  given: string
  urn: string | null
  school_name: string | null
  error: string | null
  partnership_id: string | null
}
export type ReportResult = {
  delivery_partner: DeliveryPartner
  counts: { rows: number; errors: number; valid: number; confirmed: number }
  rows: ReportRow[]
}
