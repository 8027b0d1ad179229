/** The `/_double/` fault controls, seen through the real notifications-node-client. */
import assert from 'node:assert/strict'
import {
  assertNotifyRefused,
  eventually,
  templates,
  withDouble,
  withReceiptServer,
} from './_test_helpers.ts'

const code = { personalisation: { code: '123456' } }

function addFault(url: string, fault: Record<string, unknown>): Promise<Response> {
  return fetch(`${url}/_double/faults`, { method: 'POST', body: JSON.stringify(fault) })
}

Deno.test("a 500 fault answers the next send with Notify's 500 body, then sending succeeds", async () => {
  await withDouble({}, async ({ url, client }) => {
    const added = await addFault(url, { kind: '500', count: 2 })
    assert.equal(added.status, 201)
    assert.deepEqual(await added.json(), { pending: 2 })

    for (let i = 0; i < 2; i++) {
      await assertNotifyRefused(
        client.sendEmail(templates.signInCode, 'a@b.example.org', code),
        { status: 500, error: 'Exception', message: 'Internal server error' },
      )
    }
    const sent = await client.sendEmail(templates.signInCode, 'a@b.example.org', code)
    assert.equal(sent.status, 201)
    const mailbox = await (await fetch(`${url}/messages`)).json()
    assert.deepEqual(mailbox.map((message: { id: string }) => message.id), [sent.data.id])
  })
})

Deno.test("a 429 fault answers with Notify's RateLimitError body for the current limit", async () => {
  await withDouble({ ratePerMinute: 6000 }, async ({ url, client }) => {
    await (await addFault(url, { kind: '429' })).body?.cancel()
    await assertNotifyRefused(
      client.sendEmail(templates.signInCode, 'a@b.example.org', code),
      {
        status: 429,
        error: 'RateLimitError',
        message: 'Exceeded rate limit for key type LIVE of 6000 requests per 60 seconds',
      },
    )
  })
})

Deno.test('a drop fault closes the connection with no answer and keeps no email', async () => {
  await withDouble({}, async ({ url, client }) => {
    await (await addFault(url, { kind: 'drop' })).body?.cancel()
    const error = await client.sendEmail(templates.signInCode, 'a@b.example.org', code).then(
      () => undefined,
      (error: { code?: string; response?: unknown }) => error,
    )
    assert.ok(error, 'expected the request to fail')
    assert.equal(error.response, undefined)
    assert.equal(error.code, 'ECONNRESET')
    assert.deepEqual(await (await fetch(`${url}/messages`)).json(), [])
    assert.equal(
      (await client.sendEmail(templates.signInCode, 'a@b.example.org', code)).status,
      201,
    )
  })
})

Deno.test('a slow fault still accepts the email', async () => {
  await withDouble({}, async ({ url, client }) => {
    await (await addFault(url, { kind: 'slow', delayMs: 50 })).body?.cancel()
    const sent = await client.sendEmail(templates.signInCode, 'a@b.example.org', code)
    assert.equal(sent.status, 201)
    const state = await (await fetch(`${url}/_double/state`)).json()
    assert.deepEqual(state, { messages: 1, pendingFaults: 0, ratePerMinute: 3000 })
  })
})

Deno.test('faults can be cleared before they are used', async () => {
  await withDouble({}, async ({ url, client }) => {
    await (await addFault(url, { kind: '500', count: 3 })).body?.cancel()
    const reset = await fetch(`${url}/_double/faults`, { method: 'DELETE' })
    assert.deepEqual(await reset.json(), { pending: 0 })
    assert.equal(
      (await client.sendEmail(templates.signInCode, 'a@b.example.org', code)).status,
      201,
    )
  })
})

Deno.test('a fault request the double does not understand gets 400 and changes nothing', async () => {
  await withDouble({}, async ({ url }) => {
    for (const body of ['{"kind":"teapot"}', '{"kind":"500","count":0}', 'not json']) {
      const response = await fetch(`${url}/_double/faults`, { method: 'POST', body })
      assert.equal(response.status, 400, body)
      const { error } = await response.json()
      assert.equal(error.code, 'invalid_request')
      assert.equal(typeof error.message, 'string')
    }
    const state = await (await fetch(`${url}/_double/state`)).json()
    assert.equal(state.pendingFaults, 0)
    const limit = await fetch(`${url}/_double/rate-limit`, {
      method: 'PUT',
      body: '{"perMinute":0}',
    })
    assert.equal(limit.status, 400)
    await limit.body?.cancel()
  })
})

Deno.test('stopping the double during a slow answer ends the request and leaves nothing running', async () => {
  let pending: Promise<{ response?: unknown } | undefined> | undefined
  await withDouble({ callbackUrl: 'http://127.0.0.1:9/unused' }, async ({ url, client }) => {
    await (await addFault(url, { kind: 'slow', delayMs: 60_000 })).body?.cancel()
    pending = client.sendEmail(templates.signInCode, 'a@b.example.org', code).then(
      () => undefined,
      (error) => error,
    )
    // Wait until the request has reached the double and taken the fault, then stop it.
    await eventually(async () => {
      const state = await (await fetch(`${url}/_double/state`)).json()
      return state.pendingFaults === 0 ? true : undefined
    })
  })
  const failure = await pending
  assert.ok(failure, 'expected the request to fail')
  assert.equal(failure.response, undefined)
})

Deno.test('a late fault accepts the email and sends its receipt before it answers', () =>
  withReceiptServer(async (receipts) => {
    await withDouble({ callbackUrl: receipts.url, callbackDelayMs: 0 }, async ({ url, client }) => {
      await (await addFault(url, { kind: 'late', delayMs: 2_000 })).body?.cancel()
      const answer = client.sendEmail(templates.signInCode, 'a@b.example.org', code)
      const [receipt] = await eventually(() =>
        receipts.receipts.length ? receipts.receipts : undefined
      )
      const sent = await answer
      assert.equal(sent.status, 201)
      assert.equal(receipt!.body.id, sent.data.id, 'the receipt came while the answer was held')
    })
  }))

Deno.test('an outage refuses every connection, then the double answers again with its mailbox', async () => {
  await withDouble({}, async ({ url, client }) => {
    const before = await client.sendEmail(templates.signInCode, 'a@b.example.org', code)
    const outage = await fetch(`${url}/_double/outage`, {
      method: 'POST',
      body: '{"seconds":1}',
    })
    assert.equal(outage.status, 202)
    assert.deepEqual(await outage.json(), { downForSeconds: 1 })
    const refused = await client.sendEmail(templates.signInCode, 'a@b.example.org', code).then(
      () => undefined,
      (error: { code?: string }) => error,
    )
    assert.equal(refused?.code, 'ECONNREFUSED')
    const state = await eventually(() =>
      fetch(`${url}/_double/state`).then((response) => response.json(), () => undefined)
    )
    assert.equal(state.messages, 1, 'the mailbox survived the outage')
    const messages = await (await fetch(`${url}/messages`)).json()
    assert.equal(messages[0].id, before.data.id)
  })
})

Deno.test("a 400 fault aimed at one address refuses only that address, in Notify's words", async () => {
  await withDouble({}, async ({ url, client }) => {
    await (await addFault(url, { kind: '400', to: 'Refused@b.example.org' })).body?.cancel()
    const other = await client.sendEmail(templates.signInCode, 'other@b.example.org', code)
    assert.equal(other.status, 201)
    await assertNotifyRefused(
      client.sendEmail(templates.signInCode, 'refused@b.example.org', code),
      {
        status: 400,
        error: 'BadRequestError',
        message: 'Can’t send to this recipient using a team-only API key',
      },
    )
    const again = await client.sendEmail(templates.signInCode, 'refused@b.example.org', code)
    assert.equal(again.status, 201)
  })
})
