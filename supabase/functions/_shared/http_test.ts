/**
 * Unit: the frame every function is built in (`functionApp`, `validated`, `onError`, CORS and
 * security headers), exercised with `app.request()` on a small app built here. SQL refusals are
 * raised by the stack's real Postgres.
 */
import assert from 'node:assert/strict'
import { z } from 'zod'
import { stack, useFunctionEnv } from '../../../tests/_stack.ts'
import { closeDb, withService } from './db.ts'
import { AppError, fromSqlRefusal } from './errors.ts'
import { functionApp, unstorableTextAt, validated } from './http.ts'

await useFunctionEnv()

const greetingSchema = z.object({ name: z.string().min(1, 'Enter a name') })

function testApp() {
  const app = functionApp('greet', { maxBodyBytes: 1024 })
  app.post('/hello', validated('json', greetingSchema), (c) => {
    return c.json({ hello: c.req.valid('json').name })
  })
  app.get('/teapot', () => {
    throw new AppError(409, 'already_reported', 'Someone has already reported this issue')
  })
  app.get('/refused', async () => {
    await withService((tx) =>
      tx`do $$ begin raise exception 'delivery_partner_not_related'
        using hint = 'This delivery partner does not work with you'; end $$`
    ).catch((error) => {
      throw fromSqlRefusal(error, { delivery_partner_not_related: 409 })
    })
    return new Response(null, { status: 204 })
  })
  app.get('/refused-unlisted', async () => {
    await withService((tx) =>
      tx`do $$ begin raise exception 'some_rule' using hint = 'A rule said no'; end $$`
    )
    return new Response(null, { status: 204 })
  })
  app.get('/broken', async () => {
    await withService((tx) => tx`select 'not a uuid'::uuid`)
    return new Response(null, { status: 204 })
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

Deno.test('functionApp() answers 400 malformed_json for a body that is not JSON', async () => {
  const response = await testApp().request('/greet/hello', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"name":',
  })
  assert.equal(response.status, 400)
  assert.equal((await response.json()).error.code, 'malformed_json')
})

Deno.test('functionApp() answers 415 for a body that is not sent as JSON', async () => {
  const response = await testApp().request('/greet/hello', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'name=Ada',
  })
  assert.equal(response.status, 415)
  assert.equal((await response.json()).error.code, 'unsupported_media_type')
})

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

Deno.test('fromSqlRefusal() maps a P0001 refusal to the status given for its code', async () => {
  const response = await testApp().request('/greet/refused')
  assert.equal(response.status, 409)
  assert.deepEqual(await response.json(), {
    error: {
      code: 'delivery_partner_not_related',
      message: 'This delivery partner does not work with you',
    },
  })
})

Deno.test('onError() answers an unlisted SQL refusal with 422 and its hint', async () => {
  const response = await testApp().request('/greet/refused-unlisted')
  assert.equal(response.status, 422)
  assert.deepEqual(await response.json(), {
    error: { code: 'some_rule', message: 'A rule said no' },
  })
})

Deno.test('onError() answers an unexpected error with a generic 500 and logs no values', async () => {
  const logged: string[] = []
  const original = console.error
  console.error = (...args: unknown[]) => logged.push(args.join(' '))
  try {
    const response = await testApp().request('/greet/broken')
    assert.equal(response.status, 500)
    assert.deepEqual(await response.json(), {
      error: { code: 'internal_error', message: 'Sorry, there is a problem with the service' },
    })
  } finally {
    console.error = original
    await closeDb()
  }
  assert.equal(logged.length, 1)
  assert.match(logged[0]!, /"sqlstate":"22P02"/)
  assert.doesNotMatch(logged[0]!, /not a uuid/)
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
  const allowed = await preflight(stack.webUrl)
  assert.equal(allowed.status, 204)
  assert.equal(allowed.headers.get('access-control-allow-origin'), stack.webUrl)
  const refused = await preflight('https://evil.example')
  assert.equal(refused.headers.get('access-control-allow-origin'), null)
})
