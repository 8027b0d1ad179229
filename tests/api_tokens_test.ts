/**
 * Lead Provider API tokens through the running stack: DfE support creates one for a provider
 * (its value answered once, only its sha256 stored), the token works on the API, the provider's
 * own users see it listed without its value, nobody else may make or list them, and once support
 * revokes it the API answers 401.
 */
import assert from 'node:assert/strict'
import { callApi } from './_lead_provider_api.ts'
import { callProvider } from './provider_world.ts'
import { callSupport, type SignedInUser, withSupportWorld } from './support_world.ts'

type Listed = {
  api_token_id: string
  name: string
  created_by_email: string | null
  last_used_at: string | null
  revoked_at: string | null
}

/** Asks, as `caller`, for a new API token for the lead provider. */
const createToken = (caller: SignedInUser, leadProviderId: string, body: { name: string }) =>
  callSupport(caller, 'POST', `/lead-providers/${leadProviderId}/api-tokens`, body)

Deno.test(
  'support creates a token shown once and stored as a hash, the provider sees it listed without its value, and revoking it stops the API',
  withSupportWorld(async (sql, w) => {
    const [provider] = await sql<{ lead_provider_id: string }[]>`
      select lead_provider_id from public.partnerships where partnership_id = ${w.link.partnershipId}`
    const leadProviderId = provider!.lead_provider_id

    const providers = await callSupport(w.support, 'GET', '/lead-providers')
    assert.equal(providers.status, 200)
    const listed = providers.body.lead_providers as { id: string; name: string }[]
    assert.ok(listed.some((lp) => lp.id === leadProviderId && lp.name === w.link.leadProviderName))

    const created = await createToken(w.support, leadProviderId, {
      name: '  Student record system  ',
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    const token = created.body.token as string
    assert.match(token, /^lpapi_[A-Za-z0-9_-]{43}$/)
    const [stored] = await sql<{ name: string; hash_matches: boolean; holds_value: boolean }[]>`
      select t.name,
        t.token_hash = extensions.digest(convert_to(${token}, 'UTF8'), 'sha256') as hash_matches,
        position(${token} in row_to_json(t)::text) > 0 as holds_value
      from app.api_tokens t where t.api_token_id = ${created.body.api_token_id as string}`
    assert.deepEqual(stored, {
      name: 'Student record system',
      hash_matches: true,
      holds_value: false,
    })

    assert.equal((await callApi('GET', '/delivery-partners', { token })).status, 200)

    const seenBySupport = await callSupport(
      w.support,
      'GET',
      `/lead-providers/${leadProviderId}/api-tokens`,
    )
    const seenByProvider = await callProvider('/api-tokens', { token: w.provider.accessToken })
    assert.equal(seenByProvider.status, 200)
    for (const text of [JSON.stringify(seenBySupport.body), seenByProvider.text]) {
      assert.ok(!text.includes(token), 'a listing never shows the value')
    }
    const [mine] = (seenByProvider.body as { tokens: Listed[] }).tokens
    assert.equal(mine?.name, 'Student record system')
    assert.equal(mine?.created_by_email, w.support.email)
    assert.ok(mine?.last_used_at, 'last used is shown')
    assert.equal(mine?.revoked_at, null)

    // A provider user may not make or revoke tokens, nor read support's lists.
    const byProvider = await createToken(w.provider, leadProviderId, { name: 'Mine' })
    assert.equal(byProvider.status, 403)
    assert.equal((await callSupport(w.provider, 'GET', '/lead-providers')).status, 403)
    assert.equal(
      (await callSupport(w.provider, 'POST', `/api-tokens/${mine!.api_token_id}/revoke`)).status,
      403,
    )

    const revoked = await callSupport(w.support, 'POST', `/api-tokens/${mine!.api_token_id}/revoke`)
    assert.equal(revoked.status, 200)
    assert.equal((await callApi('GET', '/delivery-partners', { token })).status, 401)
    const after = await callProvider('/api-tokens', { token: w.provider.accessToken })
    assert.ok((after.body as { tokens: Listed[] }).tokens[0]?.revoked_at)
  }),
)

Deno.test(
  'support token routes refuse a blank name, an unknown provider and an unknown token with a clear 4xx',
  withSupportWorld(async (_sql, w) => {
    const unknown = crypto.randomUUID()
    const blank = await createToken(w.support, unknown, { name: '   ' })
    assert.equal(blank.status, 400)
    assert.match(JSON.stringify(blank.body), /Enter a name for the token/)
    const noProvider = await createToken(w.support, unknown, { name: 'System' })
    assert.equal(noProvider.status, 404)
    assert.equal(
      (await callSupport(w.support, 'GET', `/lead-providers/${unknown}/api-tokens`)).status,
      404,
    )
    assert.equal(
      (await callSupport(w.support, 'POST', `/api-tokens/${unknown}/revoke`)).status,
      404,
    )
    assert.equal(
      (await callSupport(w.support, 'GET', '/lead-providers/nope/api-tokens')).status,
      400,
    )
  }),
)
