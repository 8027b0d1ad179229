/**
 * Unit: the frame every function is built in (`functionApp`, `validated`, `onError`, CORS and
 * security headers), exercised with `app.request()` on a small app built here with a literal
 * configuration. How it answers errors raised by Postgres is in errors_sql_test.ts.
 */
import assert from 'node:assert/strict'
import { z } from 'zod'
import { literalConfig, NotConfiguredError } from './config.ts'
import { AppError } from './errors.ts'
import { functionApp, unstorableTextAt, validated } from './http.ts'

const webOrigin = 'https://site.example.test'

const greetingSchema = z.object({ name: z.string().min(1, 'Enter a name') })

function testApp() {
  const app = functionApp('greet', literalConfig({ webOrigin }), { maxBodyBytes: 1024 })
  app.post('/hello', validated('json', greetingSchema), (c) => {
    return c.json({ hello: c.req.valid('json').name })
  })
  app.get('/teapot', () => {
    throw new AppError(409, 'already_reported', 'Someone has already reported this issue')
  })
  return app
}

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

Deno.test('functionApp() answers valid input under its base path', async () => {
  const response = await testApp().request('/greet/hello', json({ name: 'Ada' }))
  assert.equal(response.status, 200)
  assert.deepEqual(await response.json(), { hello: 'Ada' })
  assert.equal(response.headers.get('cache-control'), 'no-store')
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff')
  assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/)
})

Deno.test('validated() answers 400 invalid_request naming the field', async () => {
  const response = await testApp().request('/greet/hello', json({ name: '' }))
  assert.equal(response.status, 400)
  assert.deepEqual(await response.json(), {
    error: { code: 'invalid_request', message: 'name: Enter a name' },
  })
})

Deno.test('validated() answers 400 invalid_request for text the database cannot store', async () => {
  for (const name of ['Ada\u0000', '\ud800Ada', 'Ada\udfff']) {
    const response = await testApp().request('/greet/hello', json({ name }))
    assert.equal(response.status, 400, JSON.stringify(name))
    assert.deepEqual(await response.json(), {
      error: { code: 'invalid_request', message: 'name: contains a character that is not allowed' },
    })
  }
})

Deno.test('unstorableTextAt() finds NUL or a lone surrogate at any depth of valid input', () => {
  assert.equal(unstorableTextAt({ a: ['ok', { b: 'fine 👩🏽‍🏫' }], n: 1, z: null }), null)
  assert.deepEqual(unstorableTextAt({ a: ['ok', { b: 'x\u0000' }] }), ['a', 1, 'b'])
  assert.deepEqual(unstorableTextAt(['\udc00']), [0])
})

for (
  const [name, contentType, body, status, code] of [
    [
      '400 malformed_json for a body that is not JSON',
      'application/json',
      '{"name":',
      400,
      'malformed_json',
    ],
    [
      '415 for a body that is not sent as JSON',
      'application/x-www-form-urlencoded',
      'name=Ada',
      415,
      'unsupported_media_type',
    ],
  ] as const
) {
  Deno.test(`functionApp() answers ${name}`, async () => {
    const response = await testApp().request('/greet/hello', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    })
    assert.equal(response.status, status)
    assert.equal((await response.json()).error.code, code)
  })
}

Deno.test('functionApp() answers 413 for a body over the limit', async () => {
  const response = await testApp().request('/greet/hello', json({ name: 'x'.repeat(2048) }))
  assert.equal(response.status, 413)
  assert.equal((await response.json()).error.code, 'payload_too_large')
})

Deno.test('functionApp() answers 404 not_found in the JSON shape for an unknown route', async () => {
  const response = await testApp().request('/greet/nowhere')
  assert.equal(response.status, 404)
  assert.equal((await response.json()).error.code, 'not_found')
})

Deno.test('onError() answers an AppError with its status, code and message', async () => {
  const response = await testApp().request('/greet/teapot')
  assert.equal(response.status, 409)
  assert.deepEqual(await response.json(), {
    error: { code: 'already_reported', message: 'Someone has already reported this issue' },
  })
})

Deno.test('CORS allows the web origin and no other', async () => {
  const preflight = (origin: string) =>
    testApp().request('/greet/hello', {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    })
  const allowed = await preflight(webOrigin)
  assert.equal(allowed.status, 204)
  assert.equal(allowed.headers.get('access-control-allow-origin'), webOrigin)
  const refused = await preflight('https://evil.example')
  assert.equal(refused.headers.get('access-control-allow-origin'), null)
})

Deno.test('CORS admits no origin, and the request still runs, when the web origin is not configured', async () => {
  const app = functionApp('greet', {
    webOrigin: () => {
      throw new NotConfiguredError('web_origin', ['WEB_ORIGIN is not set'])
    },
  })
  app.get('/hello', (c) => c.json({ hello: 'Ada' }))
  const response = await app.request('/greet/hello', { headers: { origin: webOrigin } })
  assert.equal(response.status, 200)
  assert.equal(response.headers.get('access-control-allow-origin'), null)
})
