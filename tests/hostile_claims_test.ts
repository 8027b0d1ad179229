/**
 * Forged claims with a genuine signature: the `provider` and `support` apps in this process
 * (`app.request()`), trusting the stack's signing key and one of the test's own, so tokens can
 * be signed that are expired, not yet valid, for another audience or issuer, with another role,
 * or with a `sub` that is no user. A correctly signed token with good claims is admitted (so the
 * refusals are the claims' doing); every other is a 401 or 403 with a code, changes nothing, and
 * the functions log no error. Through the gateway such tokens cannot be made: the stack's private
 * key is its own (hostile_provider_test.ts and hostile_support_test.ts forge what can be).
 */
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import {
  type Answer,
  assertNoErrorLogged,
  assertRefused,
  assertUnchanged,
  readAnswer,
} from './_hostile_checks.ts'
import { forEachInput } from './_hostile_inputs.ts'
import { stack, stackFunctionDeps } from './_stack.ts'
import { createProviderApp } from '../supabase/functions/provider/app.ts'
import { createSupportApp } from '../supabase/functions/support/app.ts'
import { withSupportWorld } from './support_world.ts'

const kid = `hostile-test-${crypto.randomUUID()}`
const { privateKey, publicKey } = await generateKeyPair('ES256')

const stackJwks = await (await fetch(`${stack.apiUrl}/auth/v1/.well-known/jwks.json`)).json()
// The stack's keys and the test's own, as the functions' JWKS.
const deps = await stackFunctionDeps({
  SUPABASE_JWKS: JSON.stringify({
    keys: [...stackJwks.keys, { ...(await exportJWK(publicKey)), kid, alg: 'ES256' }],
  }),
})
const provider = createProviderApp(deps)
const support = createSupportApp(deps)
const closeDb = () => deps.database.close()

/** A test in a support world of its own; the apps' pool is closed after each test. */
const withWorld = (fn: Parameters<typeof withSupportWorld>[0]) => async () => {
  try {
    await withSupportWorld(fn)()
  } finally {
    await closeDb()
  }
}

type Claims = Record<string, unknown>

const issuer = `${stack.apiUrl}/auth/v1`

/** Claims as the Auth server writes them for `sub`, signed with the test's trusted key. */
function sign(sub: string, changes: Claims = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  const claims: Claims = {
    sub,
    role: 'authenticated',
    aud: 'authenticated',
    iss: issuer,
    iat: now,
    exp: now + 600,
    session_id: crypto.randomUUID(),
    ...changes,
  }
  for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name]
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' }).sign(privateKey)
}

async function request(
  app: typeof provider,
  path: string,
  token: string,
  json?: unknown,
): Promise<Answer> {
  const response = await app.request(path, {
    method: json === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(json === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: json === undefined ? undefined : JSON.stringify(json),
  })
  return await readAnswer(response, path)
}

/** One claim made wrong; any one of them must cost the token its access. */
const badClaim: fc.Arbitrary<[string, unknown]> = fc.oneof(
  fc.constantFrom<[string, unknown]>(
    ['exp', undefined],
    ['sub', undefined],
    ['aud', undefined],
    ['aud', 'anon'],
    ['aud', ['anon']],
    ['iss', undefined],
    ['iss', `${issuer}/`],
    ['iss', 'https://evil.example/auth/v1'],
    ['role', 'service_role'],
    ['role', 'anon'],
    ['role', 'supabase_admin'],
    ['role', undefined],
    ['sub', ''],
    ['sub', 'not-a-uuid'],
    ['sub', "' or 'a'='a"],
    ['sub', '00000000-0000-0000-0000-00000000000g'],
    ['sub', 42],
    ['sub', null],
  ),
  fc.integer({ min: 1, max: 10 * 365 * 24 * 3600 }).map((ago): [string, unknown] => [
    'exp',
    Math.floor(Date.now() / 1000) - 60 - ago,
  ]),
  fc.integer({ min: 120, max: 10 * 365 * 24 * 3600 }).map((ahead): [string, unknown] => [
    'nbf',
    Math.floor(Date.now() / 1000) + ahead,
  ]),
)

Deno.test(
  'provider and support refuse 150 generated tokens with a genuine signature and a bad claim, change nothing and log no error',
  withWorld(async (sql, w) => {
    const routes: [typeof provider, string, unknown?][] = [
      [provider, '/provider/me'],
      [provider, `/provider/partnerships/${w.link.partnershipId}`],
      [provider, '/provider/reports/check', {
        cohort: 2090,
        delivery_partner_id: crypto.randomUUID(),
        urns: [w.link.urn],
      }],
      [support, `/support/schools/${w.link.urn}`],
      [support, `/support/partnerships/${w.link.partnershipId}/challenge`, { reason: 'mistake' }],
    ]
    // The control: good claims under the same key are admitted.
    assert.equal((await request(provider, '/provider/me', await sign(w.provider.id))).status, 200)
    const schoolPage = await request(
      support,
      `/support/schools/${w.link.urn}`,
      await sign(w.support.id),
    )
    assert.equal(schoolPage.status, 200, schoolPage.text)

    const scope = { partnershipIds: [w.link.partnershipId] }
    await assertNoErrorLogged(() =>
      assertUnchanged(sql, scope, () =>
        forEachInput(
          fc.tuple(
            fc.uniqueArray(badClaim, { minLength: 1, maxLength: 3, selector: ([name]) => name }),
            fc.constantFrom(...routes),
            fc.constantFrom(w.provider.id, w.support.id),
          ),
          150,
          async ([bad, [app, path, json], sub]) => {
            const token = await sign(sub, Object.fromEntries(bad))
            const answer = await request(app, path, token, json)
            assertRefused(answer, { codes: ['unauthorised', 'session_expired'] })
          },
        ))
    )
  }),
)

Deno.test(
  'a genuine token for the wrong person gets 403 from each function, and extra claims grant nothing',
  withWorld(async (sql, w) => {
    const extras: Claims = {
      app_metadata: { role: 'support', provider: 'email' },
      user_metadata: { lead_provider_id: crypto.randomUUID() },
      is_support_user: true,
      lead_provider_id: crypto.randomUUID(),
    }
    await assertUnchanged(sql, { partnershipIds: [w.link.partnershipId] }, async () => {
      for (const sub of [w.provider.id, crypto.randomUUID()]) {
        const answer = await request(
          support,
          `/support/partnerships/${w.link.partnershipId}/challenge`,
          await sign(sub, extras),
          { reason: 'mistake' },
        )
        assertRefused(answer, { codes: ['not_support_user'], secrets: [w.link.schoolName] })
      }
      for (const sub of [w.support.id, crypto.randomUUID()]) {
        const answer = await request(provider, '/provider/me', await sign(sub, extras))
        assertRefused(answer, { codes: ['not_a_provider_user'] })
      }
      const own = await request(provider, '/provider/me', await sign(w.provider.id, extras))
      assert.equal(own.status, 200, own.text)
      assert.equal(
        (own.body as { lead_provider: { name: string } }).lead_provider.name,
        w.link.leadProviderName,
        'a lead_provider_id claim chose the lead provider',
      )
    })
  }),
)
