/** Unit: which refusals send a portal's user to sign in, and which show them a problem. */
import assert from 'node:assert/strict'
import { needsSignIn } from './portal_api.ts'

Deno.test('needsSignIn() sends a person with no session or an ended one to sign in', () => {
  assert.equal(needsSignIn(401, 'unauthorised'), true)
  assert.equal(needsSignIn(401, 'session_expired'), true)
  // A 401 without our error body (a gateway's own) is a session problem too.
  assert.equal(needsSignIn(401, undefined), true)
})

Deno.test('needsSignIn() shows a problem for a 401 that signing in again cannot cure', () => {
  // Every new sign-in would be refused the same way: sending the person back would loop.
  assert.equal(needsSignIn(401, 'legacy_jwt_signing_key'), false)
  assert.equal(needsSignIn(401, 'some_future_code'), false)
})

Deno.test('needsSignIn() leaves every other status to the page', () => {
  for (const status of [400, 403, 404, 409, 500, 503]) {
    assert.equal(needsSignIn(status, 'unauthorised'), false)
  }
})
