/** The JWT check, case by case, with Notify's messages (unit). */
import assert from 'node:assert/strict'
import { generateApiKey } from './api_keys.ts'
import { createAuthenticator } from './auth.ts'
import { notifyErrorBody, serviceId, signToken } from './_test_helpers.ts'

const now = new Date('2026-09-01T09:00:00Z')
const nowSeconds = now.getTime() / 1000
const key = generateApiKey('test')
const authenticate = createAuthenticator([key], () => now)

function refusal(authorization: string | null) {
  const result = authenticate(authorization)
  assert.equal(result.ok, false)
  return result.ok ? undefined : result.error.toBody()
}

const authError = (status: number, message: string) => notifyErrorBody(status, 'AuthError', message)

Deno.test('authenticate() accepts a token from the key, in any case of "Bearer"', () => {
  const token = signToken(key, { iss: serviceId(key), iat: nowSeconds - 30 })
  for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
    const result = authenticate(`${scheme} ${token}`)
    assert.equal(result.ok, true)
    assert.equal(result.ok && result.key.serviceId, serviceId(key))
  }
})

Deno.test('authenticate() answers 401 without a token or with another scheme', () => {
  assert.deepEqual(
    refusal(null),
    authError(401, 'Unauthorized: authentication token must be provided'),
  )
  assert.deepEqual(
    refusal('Basic abc'),
    authError(401, 'Unauthorized: authentication bearer scheme must be used'),
  )
})

Deno.test('authenticate() refuses a token that is not a JWT', () => {
  assert.match(
    refusal('Bearer not-a-token')!.errors[0]!.message,
    /^Invalid token: make sure your API token matches the example at https:\/\/docs\.notifications/,
  )
})

Deno.test('authenticate() refuses a token without iss, or with an iss that is not a uuid', () => {
  assert.deepEqual(
    refusal(`Bearer ${signToken(key, { iat: nowSeconds })}`),
    authError(403, 'Invalid token: iss field not provided'),
  )
  assert.deepEqual(
    refusal(`Bearer ${signToken(key, { iss: 'my-service', iat: nowSeconds })}`),
    authError(403, 'Invalid token: service id is not the right data type'),
  )
})

Deno.test('authenticate() refuses a token signed with anything but HS256', () => {
  const token = signToken(key, { iss: serviceId(key), iat: nowSeconds }, { alg: 'HS512' })
  assert.deepEqual(
    refusal(`Bearer ${token}`),
    authError(403, 'Invalid token: algorithm used is not HS256'),
  )
})

Deno.test('authenticate() treats a token without iat as signed by no key, as Notify does', () => {
  const token = signToken(key, { iss: serviceId(key) })
  assert.deepEqual(refusal(`Bearer ${token}`), authError(403, 'Invalid token: API key not found'))
})

Deno.test('authenticate() refuses an iat more than 30 seconds in the past or the future', () => {
  for (const iat of [nowSeconds - 31, nowSeconds + 31]) {
    assert.deepEqual(
      refusal(`Bearer ${signToken(key, { iss: serviceId(key), iat })}`),
      authError(403, 'Error: Your system clock must be accurate to within 30 seconds'),
    )
  }
})

Deno.test('authenticate() checks the signature before the clock', () => {
  const forged = signToken(`test-${serviceId(key)}-${crypto.randomUUID()}`, {
    iss: serviceId(key),
    iat: nowSeconds - 600,
  })
  assert.deepEqual(refusal(`Bearer ${forged}`), authError(403, 'Invalid token: API key not found'))
})
