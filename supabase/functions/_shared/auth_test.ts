/**
 * Unit: `requireUser` against access tokens signed as the local Auth stand-in signs them (its own
 * signer, with a key made here and given to the middleware as the project's JWKS) and forged
 * ones, and `requireSecretKey` against the project's secret key, through `app.request()`. Needs
 * no stack and no environment: the configuration is a literal one.
 */
import assert from 'node:assert/strict'
import { generateKeyPair, SignJWT } from 'jose'
import { testAuthUser, testTokenIssuer } from '../../../local/auth/_test_user.ts'
import { requireSecretKey, requireUser, sameSecret, type UserEnv } from './auth.ts'
import { literalConfig } from './config.ts'
import { functionApp } from './http.ts'

const apiUrl = 'http://127.0.0.1:54321'
const project = {
  publishableKey: `sb_publishable_${crypto.randomUUID()}`,
  secretKey: `sb_secret_${crypto.randomUUID()}`,
}
const issuer = await testTokenIssuer(apiUrl)

/** The parts of what the platform gives every function that these middlewares read. */
const config = literalConfig({
  supabaseUrl: apiUrl,
  jwks: issuer.jwks,
  secretKeys: [project.secretKey],
  webOrigin: 'http://127.0.0.1:3000',
})

/** An access token for a new user, as the Auth stand-in issues one at sign-in. */
async function signedInToken(): Promise<{ id: string; token: string }> {
  const user = testAuthUser(`who-${crypto.randomUUID()}@example.test`)
  return { id: user.id, token: await issuer.accessToken(user) }
}

function testApp() {
  const app = functionApp<UserEnv>('who', config)
  app.get('/me', requireUser(config), (c) => c.json({ sub: c.var.claims.sub }))
  app.post('/internal', requireSecretKey(config), (c) => c.json({ ok: true }))
  return app
}

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } })

Deno.test('requireUser admits a signed-in user and passes their claims on', async () => {
  const { id, token } = await signedInToken()
  const response = await testApp().request('/who/me', bearer(token))
  assert.equal(response.status, 200)
  assert.deepEqual(await response.json(), { sub: id })
})

Deno.test('requireUser answers 401 without a token', async () => {
  const response = await testApp().request('/who/me')
  assert.equal(response.status, 401)
  assert.equal((await response.json()).error.code, 'unauthorised')
})

Deno.test('requireUser answers 401 for a token signed with another key', async () => {
  const { privateKey: otherKey } = await generateKeyPair('ES256')
  const forged = await token(otherKey, issuer.kid, { aud: 'authenticated', exp: '1h' })
  const response = await testApp().request('/who/me', bearer(forged))
  assert.equal(response.status, 401)
})

Deno.test('requireUser answers 401 legacy_jwt_signing_key for a token signed with a legacy JWT secret', async () => {
  // What Auth issues on a project still on its legacy JWT secret: good claims, HS256.
  const secret = new TextEncoder().encode(`legacy-jwt-secret-${crypto.randomUUID()}`)
  const legacy = await new SignJWT({ role: 'authenticated', email: 'someone@example.test' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(crypto.randomUUID())
    .setIssuer(`${apiUrl}/auth/v1`)
    .setAudience('authenticated')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(secret)
  const response = await testApp().request('/who/me', bearer(legacy))
  assert.equal(response.status, 401)
  const { error } = await response.json()
  assert.equal(error.code, 'legacy_jwt_signing_key')
  assert.match(error.message, /must move to asymmetric JWT signing keys/)
})

Deno.test('requireUser answers 401 unauthorised for text that is not a token', async () => {
  for (const text of ['not-a-token', 'a.b.c', `${btoa('{"alg":"HS256"')}.e30.x`]) {
    const response = await testApp().request('/who/me', bearer(text))
    assert.equal(response.status, 401)
    assert.equal((await response.json()).error.code, 'unauthorised')
  }
})

Deno.test('requireUser answers 401 for the publishable key or the secret key', async () => {
  for (const key of [project.publishableKey, project.secretKey]) {
    const response = await testApp().request('/who/me', bearer(key))
    assert.equal(response.status, 401)
  }
})

Deno.test('requireSecretKey admits the secret key as bearer or apikey', async () => {
  const asBearer = await testApp().request('/who/internal', {
    method: 'POST',
    ...bearer(project.secretKey),
  })
  assert.equal(asBearer.status, 200)
  const asApiKey = await testApp().request('/who/internal', {
    method: 'POST',
    headers: { apikey: project.secretKey },
  })
  assert.equal(asApiKey.status, 200)
})

Deno.test('requireSecretKey answers 401 for the publishable key or a user token', async () => {
  const { token: userToken } = await signedInToken()
  for (const key of [project.publishableKey, userToken, `${project.secretKey}x`]) {
    const response = await testApp().request('/who/internal', { method: 'POST', ...bearer(key) })
    assert.equal(response.status, 401)
    assert.equal((await response.json()).error.code, 'unauthorised')
  }
})

Deno.test('sameSecret() is true only for identical strings', () => {
  assert.equal(sameSecret('sb_secret_abc', 'sb_secret_abc'), true)
  assert.equal(sameSecret('sb_secret_abc', 'sb_secret_abd'), false)
  assert.equal(sameSecret('sb_secret_ab', 'sb_secret_abc'), false)
  assert.equal(sameSecret('', 'sb_secret_abc'), false)
})

function token(key: CryptoKey, kid: string, { aud, exp }: { aud: string; exp: string }) {
  return new SignJWT({ role: 'authenticated', email: 'someone@example.test' })
    .setProtectedHeader({ alg: 'ES256', kid })
    .setSubject(crypto.randomUUID())
    .setIssuer(`${apiUrl}/auth/v1`)
    .setAudience(aud)
    .setIssuedAt()
    .setExpirationTime(exp)
    .sign(key)
}
