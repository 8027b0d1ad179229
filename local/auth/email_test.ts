/**
 * Unit: the Auth stand-in's Send Email Hook call (local/auth/email.ts) against a small HTTP server
 * that plays the hook: every attempt signed per Standard Webhooks (checked with the
 * `standardwebhooks` library, as our function checks it), Auth's payload, and Auth's answers to
 * each kind of hook reply (supabase/auth `internal/hooks/hookshttp`). Timings are shortened with
 * the options Auth's own tests use; nothing asserts on time.
 */
import assert from 'node:assert/strict'
import { Webhook } from 'standardwebhooks'
import { createSendEmailHook, type SendEmailHookOptions } from './email.ts'
import { testAuthUser } from './_test_user.ts'

const secret = `v1,whsec_${btoa('local-test-secret-of-32-bytes-ok')}`

const user = testAuthUser()

type Call = { headers: Headers; body: string }

/** Serves `answers` in turn (the last one repeats), recording each call. */
async function withHook(
  answers: (() => Response | Promise<Response>)[],
  fn: (uri: string, calls: Call[]) => Promise<void>,
) {
  const calls: Call[] = []
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: () => {} }, async (req) => {
    calls.push({ headers: req.headers, body: await req.text() })
    return await answers[Math.min(calls.length, answers.length) - 1]!()
  })
  try {
    await fn(`http://127.0.0.1:${server.addr.port}/functions/v1/auth-email-hook`, calls)
  } finally {
    await server.shutdown()
  }
}

function hook(uri: string, options: Partial<SendEmailHookOptions> = {}) {
  return createSendEmailHook({
    uri,
    secrets: [secret],
    siteUrl: 'http://127.0.0.1:3000',
    externalUrl: 'http://127.0.0.1:54321/auth/v1',
    backoffMs: 10,
    ...options,
  })
}

const send = { user, emailActionType: 'magiclink' as const, token: '123456' }

Deno.test('unit: the stand-in signs its hook call per Standard Webhooks with Auth’s payload', async () => {
  await withHook([() => new Response(null, { status: 204 })], async (uri, calls) => {
    assert.equal(await hook(uri)(send), undefined)
    const [call] = calls
    assert.equal(call!.headers.get('content-type'), 'application/json')
    assert.match(call!.headers.get('webhook-id')!, /^[0-9a-f-]{36}$/)
    const headers = Object.fromEntries(call!.headers)
    const payload = new Webhook(secret.slice('v1,'.length)).verify(call!.body, headers) as {
      metadata: { name: string }
      user: { id: string; email: string }
      email_data: Record<string, string>
    }
    assert.equal(payload.metadata.name, 'send-email')
    assert.equal(payload.user.id, user.id)
    assert.equal(payload.user.email, user.email)
    assert.equal(payload.email_data.token, '123456')
    assert.equal(payload.email_data.email_action_type, 'magiclink')
    assert.match(payload.email_data.token_hash!, /^[0-9a-f]{56}$/)
    assert.equal(payload.email_data.redirect_to, 'http://127.0.0.1:3000')
    assert.equal(payload.email_data.site_url, 'http://127.0.0.1:54321/auth/v1')
    for (const field of ['token_new', 'token_hash_new']) assert.equal(payload.email_data[field], '')
    assert.throws(() =>
      new Webhook(`whsec_${btoa('another-secret-of-32-bytes-long!')}`).verify(call!.body, headers)
    )
  })
})

Deno.test('unit: a 200 with a JSON body is sent; one carrying a hook error fails with its code', async () => {
  await withHook([() => Response.json({})], async (uri) => {
    assert.equal(await hook(uri)(send), undefined)
  })
  await withHook(
    [() => Response.json({ error: { http_code: 429, message: 'Slow down' } })],
    async (uri) => {
      assert.deepEqual(await hook(uri)(send), {
        status: 429,
        code: 'unknown',
        message: 'Slow down',
      })
    },
  )
  await withHook([() => new Response('sent', { status: 200 })], async (uri) => {
    assert.equal((await hook(uri)(send))?.code, 'hook_payload_invalid_content_type')
  })
})

Deno.test('unit: 429 or 503 with Retry-After is tried again with a new id; without it Auth gives up', async () => {
  const busy = () =>
    Response.json({ error: { http_code: 503, message: 'busy' } }, {
      status: 503,
      headers: { 'retry-after': '1' },
    })
  await withHook([busy, () => new Response(null, { status: 204 })], async (uri, calls) => {
    assert.equal(await hook(uri)(send), undefined)
    assert.equal(calls.length, 2)
    assert.notEqual(calls[0]!.headers.get('webhook-id'), calls[1]!.headers.get('webhook-id'))
    assert.equal(calls[0]!.body, calls[1]!.body)
  })
  await withHook([busy], async (uri, calls) => {
    assert.deepEqual(await hook(uri)(send), {
      status: 500,
      code: 'unexpected_failure',
      message: 'Service currently unavailable due to hook',
    })
    assert.equal(calls.length, 3)
  })
  await withHook([() => new Response(null, { status: 429 })], async (uri, calls) => {
    assert.equal((await hook(uri)(send))?.status, 500)
    assert.equal(calls.length, 1)
  })
})

Deno.test('unit: other hook statuses fail the request with Auth’s 500 and its words', async () => {
  const cases: [number, string][] = [
    [400, 'Invalid payload sent to hook'],
    [401, 'Hook requires authorization token'],
    [422, 'Unexpected status code returned from hook: 422'],
    [500, 'Unexpected status code returned from hook: 500'],
  ]
  for (const [status, message] of cases) {
    const body = { error: { http_code: status, message: 'from the hook' } }
    await withHook([() => Response.json(body, { status })], async (uri, calls) => {
      assert.deepEqual(await hook(uri)(send), { status: 500, code: 'unexpected_failure', message })
      assert.equal(calls.length, 1)
    })
  }
})

Deno.test('unit: an unreachable hook is tried 3 times, then hook_timeout_after_retry', async () => {
  const listener = Deno.listen({ hostname: '127.0.0.1', port: 0 })
  const { port } = listener.addr
  listener.close()
  const failure = await hook(`http://127.0.0.1:${port}/functions/v1/auth-email-hook`)(send)
  assert.deepEqual(failure, {
    status: 422,
    code: 'hook_timeout_after_retry',
    message: 'Failed to reach hook after maximum retries',
  })
})

Deno.test('unit: a hook that does not answer within the budget gives hook_timeout', async () => {
  let release = () => {}
  const held = new Promise<void>((resolve) => release = resolve)
  await withHook([async () => {
    await held
    return new Response(null, { status: 204 })
  }], async (uri) => {
    const failure = await hook(uri, { timeoutMs: 200 })(send)
    release()
    assert.deepEqual(failure, {
      status: 422,
      code: 'hook_timeout',
      message: 'Failed to reach hook within maximum time of 0.200000 seconds',
    })
  })
})
