/**
 * For the Lead Provider API's tests: a world of two lead providers (tests/provider_world.ts) each
 * with an API token, and a client that calls the function through the gateway as a provider's
 * system would and holds every answer to openapi.json (tests/_openapi.ts).
 */
import { assertMatchesOpenApi } from './_openapi.ts'
import { connect, stack } from './_stack.ts'
import { createProviderWorld, type ProviderWorld, type TestProvider } from './provider_world.ts'
import * as insert from './world.ts'

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

/** The builder's, under the name these tests have always used. */
export const addApiToken = insert.apiToken

export async function createApiWorld({ schools = 5 } = {}): Promise<ApiWorld> {
  const w = await createProviderWorld({ schools })
  const sql = connect()
  try {
    const a = await insert.apiToken(sql, w.a.id)
    const b = await insert.apiToken(sql, w.b.id)
    const name = `${w.a.name} Second Partners`
    const partnerId = await insert.deliveryPartner(sql, name)
    await insert.relationships(sql, w.a.id, [partnerId], w.cohortId)
    return {
      ...w,
      a: { ...w.a, apiToken: a.token, apiTokenId: a.id },
      b: { ...w.b, apiToken: b.token, apiTokenId: b.id },
      otherPartner: { id: partnerId, name },
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
