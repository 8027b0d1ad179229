/**
 * For the Lead Provider API's tests: a world of two lead providers (tests/provider_world.ts) each
 * with an API token, and a client that calls the function through the gateway as a provider's
 * system would and holds every answer to openapi.json (tests/_openapi.ts).
 */
import type postgres from 'postgres'
import { assertMatchesOpenApi } from './_openapi.ts'
import { connect, stack } from './_stack.ts'
import { createProviderWorld, type ProviderWorld, type TestProvider } from './provider_world.ts'

export type ApiProvider = TestProvider & {
  apiToken: string
  apiTokenId: string
}
export type ApiWorld = ProviderWorld & {
  a: ApiProvider
  b: ApiProvider
  /** A second delivery partner A works with in the cohort. */
  otherPartner: { id: string; name: string }
}

/** A token as `app.create_api_token` makes them; stored here the same way, as its sha256. */
export async function addApiToken(
  sql: postgres.Sql,
  leadProviderId: string,
  { requestsPerMinute = 100_000, name = 'Test system' } = {},
): Promise<{ token: string; id: string }> {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  const token = `lpapi_${
    btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_')
      .replace(/=+$/, '')
  }`
  const [row] = await sql<{ api_token_id: string }[]>`
    insert into app.api_tokens (lead_provider_id, name, token_hash, requests_per_minute)
    values (${leadProviderId}, ${name}, extensions.digest(convert_to(${token}, 'UTF8'), 'sha256'),
      ${requestsPerMinute})
    returning api_token_id`
  return { token, id: row!.api_token_id }
}

export async function createApiWorld({ schools = 5 } = {}): Promise<ApiWorld> {
  const w = await createProviderWorld({ schools })
  const sql = connect()
  try {
    const a = await addApiToken(sql, w.a.id)
    const b = await addApiToken(sql, w.b.id)
    const name = `${w.a.name} Second Partners`
    const [partner] = await sql<{ id: string }[]>`
      insert into public.delivery_partners (name) values (${name})
      returning delivery_partner_id as id`
    await sql`
      insert into public.provider_relationships (lead_provider_id, delivery_partner_id, cohort_id)
      select ${w.a.id}, ${
      partner!.id
    }, cohort_id from public.cohorts where start_year = ${w.cohort}`
    return {
      ...w,
      a: { ...w.a, apiToken: a.token, apiTokenId: a.id },
      b: { ...w.b, apiToken: b.token, apiTokenId: b.id },
      otherPartner: { id: partner!.id, name },
    }
  } finally {
    await sql.end()
  }
}

export type ApiAnswer = {
  status: number
  body: unknown
  text: string
  headers: Headers
}

/**
 * Calls the API through the gateway. Unless `unchecked`, the answer must match openapi.json, or
 * the call throws: a response that departs from the document fails the test that received it.
 */
export async function callApi(
  method: string,
  path: string,
  { token, body, headers = {}, unchecked = false }: {
    token?: string
    body?: unknown
    headers?: Record<string, string>
    unchecked?: boolean
  } = {},
): Promise<ApiAnswer> {
  const sent = new Headers(headers)
  if (token !== undefined) sent.set('authorization', `Bearer ${token}`)
  if (body !== undefined && !sent.has('content-type')) {
    sent.set('content-type', 'application/vnd.api+json')
  }
  const response = await fetch(
    `${stack.apiUrl}/functions/v1/lead-provider-api${path}`,
    {
      method,
      headers: sent,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    },
  )
  const text = await response.text()
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = undefined
  }
  if (!unchecked) {
    assertMatchesOpenApi({
      method,
      path: path.split('?')[0]!,
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body: parsed,
    })
  }
  return {
    status: response.status,
    body: parsed,
    text,
    headers: response.headers,
  }
}

/** A create body as a provider's system sends it. */
export function partnershipBody(
  attributes: {
    cohort: number | string
    delivery_partner_id: string
    urn?: string
    school_id?: string
  },
) {
  return { data: { type: 'partnership', attributes } }
}
