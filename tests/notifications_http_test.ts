/**
 * The two functions' doors: `notifications` admits only the project's secret key and checks its
 * body; `notify-callback` admits only Notify's bearer token, checks the receipt, and answers 200
 * to repeats. Through the gateway where the stack's secrets suffice, else with `app.request()`
 * and secrets of the test's own.
 */
import assert from 'node:assert/strict'
import templates from '../notify/templates/templates.json' with {
  type: 'json',
}
import { connect, eventually, stack, useFunctionEnv } from './_stack.ts'
import { createWorld, outboxRows, reportSchools } from './_notifications_world.ts'

const notifications = `${stack.apiUrl}/functions/v1/notifications`
const callback = `${stack.apiUrl}/functions/v1/notify-callback`

/** POSTs `body` as JSON to one of the two doors, with `authorization` when given. */
function post(url: string, body: string, authorization?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body,
  })
}

Deno.test('POST /notifications without the secret key is refused with 401', async () => {
  for (
    const authorization of [
      undefined,
      `Bearer ${stack.publishableKey}`,
      'Bearer sb_secret_wrong',
    ]
  ) {
    const response = await post(notifications, '{}', authorization)
    assert.equal(response.status, 401)
    assert.equal((await response.json()).error.code, 'unauthorised')
  }
})

Deno.test('POST /notifications with a bad body answers 400 and sends nothing', async () => {
  for (
    const body of [
      '{"timeBudgetSeconds": 3600}',
      // More CPU than the platform's limit allows, or none at all.
      '{"cpuBudgetMs": 2000}',
      '{"cpuBudgetMs": 0}',
      '{"handover": "yes"}',
      '{"unexpected": true}',
      'not json',
    ]
  ) {
    const response = await post(notifications, body, `Bearer ${stack.secretKey}`)
    assert.equal(response.status, 400, body)
    assert.ok((await response.json()).error.code)
  }
})

Deno.test('POST /notifications with the secret key runs the sender and reports what it did', async () => {
  const response = await post(
    notifications,
    '{"timeBudgetSeconds": 5, "cpuBudgetMs": 500}',
    `Bearer ${stack.secretKey}`,
  )
  assert.equal(response.status, 200)
  const result = await response.json()
  assert.ok(['finished', 'busy', 'budget_spent', 'cpu_budget_spent'].includes(result.outcome))
  assert.equal(typeof result.counts.sent, 'number')
  // The CPU it used, by the process's own clock (Deno has one).
  assert.equal(typeof result.cpuMs, 'number')
  assert.equal(typeof result.handedOver, 'boolean')
})

Deno.test("POST /notify-callback without Notify's bearer token is refused with 401", async () => {
  for (
    const authorization of [
      undefined,
      'Bearer not-the-token',
      `Bearer ${stack.secretKey}`,
    ]
  ) {
    const response = await post(callback, '{}', authorization)
    assert.equal(response.status, 401)
    await response.body?.cancel()
  }
})

Deno.test('notify-callback records a receipt once, answers repeats with 200, and refuses malformed ones', async () => {
  const token = `callback-token-${crypto.randomUUID()}`
  await useFunctionEnv()
  Deno.env.set(
    'NOTIFY_API_KEY',
    `test-${crypto.randomUUID()}-${crypto.randomUUID()}`,
  )
  Deno.env.set('NOTIFY_CALLBACK_BEARER_TOKEN', token)
  for (const { kind, id } of templates) {
    Deno.env.set(`NOTIFY_TEMPLATE_${kind.toUpperCase()}`, id)
  }
  const { app } = await import('../supabase/functions/notify-callback/app.ts')
  const { closeDb } = await import('../supabase/functions/_shared/db.ts')

  const sql = connect()
  try {
    const world = await createWorld(sql, { schools: [{}] })
    const partnerships = await reportSchools(sql, world)
    const sent = await eventually(async () => {
      const rows = await outboxRows(sql, partnerships)
      return rows.find((row) => row.kind === 'school_first' && row.delivery_status !== null)
    }, { what: "the double's own delivery receipt" })
    // Start again from no receipt, as if the double's had not come.
    await sql`update public.notifications set delivery_status = null, delivery_status_at = null
      where notification_id = ${sent.notification_id}`

    const post = (body: unknown) =>
      app.request('/notify-callback', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify(body),
      })
    const receipt = {
      id: sent.notify_id,
      reference: sent.notification_id,
      to: sent.recipient_email,
      status: 'technical-failure',
      created_at: '2026-11-29T09:00:00.000000Z',
      completed_at: '2026-11-29T09:00:05.000000Z',
      sent_at: '2026-11-29T09:00:01.000000Z',
      notification_type: 'email',
      template_id: templates[0]!.id,
      template_version: 1,
    }
    const first = await post(receipt)
    assert.equal(first.status, 200)
    assert.deepEqual(await first.json(), { result: 'recorded' })
    const repeat = await post({ ...receipt, status: 'delivered' })
    assert.equal(repeat.status, 200)
    assert.deepEqual(await repeat.json(), { result: 'repeat' })
    const [row] = (await outboxRows(sql, partnerships)).filter((r) => r.kind === 'school_first')
    assert.equal(
      row!.delivery_status,
      'technical-failure',
      'a later receipt does not overwrite it',
    )

    const unknown = await post({
      ...receipt,
      id: crypto.randomUUID(),
      reference: null,
    })
    assert.deepEqual(await unknown.json(), { result: 'unknown' })

    for (
      const bad of [{ ...receipt, id: 'not-a-uuid' }, {
        ...receipt,
        created_at: 'yesterday',
      }, {}]
    ) {
      const response = await post(bad)
      assert.equal(response.status, 400)
      assert.equal((await response.json()).error.code, 'invalid_request')
    }
  } finally {
    await sql.end()
    await closeDb()
  }
})
