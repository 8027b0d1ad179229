/**
 * Unit: the Auth stand-in refuses, with GoTrue's 4xx, a correctly signed access token whose
 * `sub` or `session_id` is not a uuid, before it asks its store anything. The store here points
 * at a database that does not exist, so any lookup would end in a 500 and fail the test.
 */
import assert from 'node:assert/strict'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { createAuthServer } from './server.ts'
import { createAuthStore } from './store.ts'
import { createTokenSigner } from './tokens.ts'

const issuer = 'http://127.0.0.1:1/auth/v1'
const apiKey = 'sb_publishable_unit'

async function authApp() {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true })
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'unit', alg: 'ES256' }
  const app = createAuthServer({
    store: createAuthStore('postgresql://nobody@127.0.0.1:1/none', {
      codesPerHour: 1,
      maxCodeAttempts: 1,
    }),
    signer: await createTokenSigner(issuer, signingKey),
    jwks: { keys: [] },
    sendEmail: () => Promise.resolve(undefined),
    apiKeys: [apiKey],
  })
  /** A token signed with the stand-in's own key, with the claims given. */
  const token = (claims: { sub: string; session_id: string }) =>
    new SignJWT({ email: 'someone@example.test', role: 'authenticated', ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: 'unit', typ: 'JWT' })
      .setIssuer(issuer)
      .setSubject(claims.sub)
      .setAudience('authenticated')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey)
  return { app, token }
}

const requests = [
  { method: 'GET', path: '/auth/v1/user' },
  { method: 'POST', path: '/auth/v1/logout' },
]

Deno.test('unit: GET /user and POST /logout answer 403 bad_jwt for a session_id that is not a uuid', async () => {
  const { app, token } = await authApp()
  const bearer = await token({ sub: crypto.randomUUID(), session_id: 'not-a-uuid' })
  for (const { method, path } of requests) {
    const response = await app.request(path, {
      method,
      headers: { apikey: apiKey, authorization: `Bearer ${bearer}` },
    })
    assert.equal(response.status, 403, `${method} ${path}`)
    assert.deepEqual(await response.json(), {
      code: 403,
      error_code: 'bad_jwt',
      msg: 'invalid claim: session_id claim must be a UUID',
    })
  }
})

Deno.test('unit: GET /user and POST /logout answer 400 bad_jwt for a sub that is not a uuid', async () => {
  const { app, token } = await authApp()
  const bearer = await token({ sub: "1' or 1=1", session_id: crypto.randomUUID() })
  for (const { method, path } of requests) {
    const response = await app.request(path, {
      method,
      headers: { apikey: apiKey, authorization: `Bearer ${bearer}` },
    })
    assert.equal(response.status, 400, `${method} ${path}`)
    assert.equal((await response.json()).error_code, 'bad_jwt')
  }
})
