/**
 * Unit: what the Send Email Hook refuses before it sends anything, through `app.request()` on the
 * app its factory makes with a literal configuration (it needs no database): calls Auth did not
 * sign, bodies it cannot use and emails it does not send. Its Notify address is one nothing
 * listens at, so a call that tried to send would be answered 503, never the 4xx asserted here.
 * Sending through Notify is proven through the stack in tests/auth_email_hook_test.ts.
 */
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { forEachInput } from '../../../tests/_hostile_inputs.ts'
import {
  hookApp,
  hookPayload,
  newHookSecret,
  signedHeaders,
} from '../../../tests/_send_email_hook.ts'

const secret = newHookSecret()
const app = hookApp(secret, {
  apiKey: `test-${crypto.randomUUID()}-${crypto.randomUUID()}`,
  baseUrl: 'http://127.0.0.1:9',
  templateId: crypto.randomUUID(),
})

async function callHook(body: string, headers: Record<string, string>) {
  const response = await app.request('/auth-email-hook', { method: 'POST', headers, body })
  return { status: response.status, body: await response.json() }
}

Deno.test('the hook refuses a wrong, missing or stale signature with 401', async () => {
  const body = hookPayload(`unsigned-${crypto.randomUUID()}@example.test`)
  const sixMinutesAgo = new Date(Date.now() - 6 * 60_000)
  const attempts: [string, Record<string, string>, string?][] = [
    ['no signature headers', { 'content-type': 'application/json' }],
    ['another secret', signedHeaders(body, newHookSecret())],
    ['a stale timestamp', signedHeaders(body, secret, sixMinutesAgo)],
    ['a body changed after signing', signedHeaders(body, secret), hookPayload('x@example.test')],
  ]
  for (const [what, headers, sentBody] of attempts) {
    const answer = await callHook(sentBody ?? body, headers)
    assert.equal(answer.status, 401, what)
    assert.equal(answer.body.error.http_code, 401, what)
    assert.equal(typeof answer.body.error.message, 'string', what)
  }
})

Deno.test('hostile: made-up signature headers are refused with 401', async () => {
  const body = hookPayload(`forged-${crypto.randomUUID()}@example.test`)
  const now = String(Math.floor(Date.now() / 1000))
  const headers = fc.record({
    'webhook-id': fc.string({ maxLength: 60 }),
    'webhook-timestamp': fc.oneof(fc.constant(now), fc.string({ maxLength: 20 })),
    'webhook-signature': fc.oneof(
      fc.string({ maxLength: 120 }),
      fc.base64String({ minLength: 44, maxLength: 44 }).map((sig) => `v1,${sig}`),
    ),
  })
  await forEachInput(headers, 60, async (forged) => {
    // fast-check's strings are printable ASCII, which header values can carry as they are.
    const answer = await callHook(body, { 'content-type': 'application/json', ...forged })
    assert.equal(answer.status, 401, JSON.stringify(forged))
  })
})

Deno.test('hostile: signed bodies of any JSON are refused with 400 or 422, never 5xx', async () => {
  await forEachInput(fc.jsonValue(), 60, async (value) => {
    const body = JSON.stringify(value) ?? 'null'
    const answer = await callHook(body, signedHeaders(body, secret))
    assert.ok([400, 422].includes(answer.status), `${answer.status} for ${body}`)
    assert.equal(answer.body.error.http_code, answer.status)
  })
})

Deno.test('the hook refuses an email it does not send (not a sign-in code) with 422', async () => {
  const body = hookPayload(`signup-${crypto.randomUUID()}@example.test`, {
    emailActionType: 'signup',
  })
  const answer = await callHook(body, signedHeaders(body, secret))
  assert.equal(answer.status, 422)
  assert.equal(answer.body.error.http_code, 422)
})
