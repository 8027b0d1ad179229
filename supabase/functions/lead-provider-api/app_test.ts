/**
 * Who the Lead Provider API admits, through `app.request()` on the app its factory makes with a
 * literal configuration and a database bound to a transaction rolled back after each test
 * (tests/_handlers.ts). The token is made and revoked as DfE support does it, through the support
 * function's app on the same transaction. tests/lead_provider_api_test.ts keeps the API's
 * routes, through the running stack.
 */
import assert from 'node:assert/strict'
import { accessToken, bearer, handlerTest, testConfig } from '../../../tests/_handlers.ts'
import { createWorld } from '../../tests/_db.ts'
import { createSupportApp } from '../support/app.ts'
import { createLeadProviderApiApp } from './app.ts'

handlerTest(
  'lead-provider-api answers 401 for no token, an unknown one and a revoked one, and 403 for a sign-in session',
  async ({ tx, database }) => {
    const world = await createWorld(tx)
    const api = createLeadProviderApiApp({ config: testConfig, database })
    const support = createSupportApp({ config: testConfig, database })
    const supportToken = await accessToken(world.supportUserId)
    const issued = await support.request(
      `/support/lead-providers/${world.a.leadProviderId}/api-tokens`,
      bearer(supportToken, { name: 'Test system' }),
    )
    assert.equal(issued.status, 201)
    const { api_token_id: apiTokenId, token } = await issued.json()

    const list = (headers: Record<string, string> = {}) =>
      api.request('/lead-provider-api/partnerships', { headers })
    const assertRefused = async (response: Response, status: number, code: string) => {
      assert.equal(response.status, status)
      const body = await response.json()
      assert.equal(body.errors[0].code, code, JSON.stringify(body))
    }
    await assertRefused(await list(), 401, 'unauthorised')
    await assertRefused(
      await list({ authorization: `Bearer lpapi_${'x'.repeat(43)}` }),
      401,
      'unauthorised',
    )
    await assertRefused(await list({ authorization: `Basic ${token}` }), 401, 'unauthorised')
    await assertRefused(
      await list({ authorization: `Bearer ${await accessToken(world.a.userId)}` }),
      403,
      'wrong_credential',
    )

    const admitted = await list({ authorization: `Bearer ${token}` })
    assert.equal(admitted.status, 200)
    await admitted.body?.cancel()
    const [used] = await tx`
      select last_used_at from app.api_tokens where api_token_id = ${apiTokenId}`
    assert.ok(used?.last_used_at instanceof Date, 'last_used_at is recorded')

    const revoked = await support.request(
      `/support/api-tokens/${apiTokenId}/revoke`,
      bearer(supportToken, {}),
    )
    assert.equal(revoked.status, 200)
    await revoked.body?.cancel()
    await assertRefused(await list({ authorization: `Bearer ${token}` }), 401, 'unauthorised')
  },
)
