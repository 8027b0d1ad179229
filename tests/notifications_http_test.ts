/**
 * The two functions' doors, through the gateway: `notifications` admits only the project's secret
 * key and checks its body; `notify-callback` admits only Notify's bearer token. How
 * notify-callback records receipts is proven through `app.request()` in
 * supabase/functions/notify-callback/app_test.ts.
 */
import assert from 'node:assert/strict'
import { stack } from './_stack.ts'

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
