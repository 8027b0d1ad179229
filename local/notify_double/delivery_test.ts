/** Delivery receipts and simulated addresses, driven by the real notifications-node-client. */
import assert from 'node:assert/strict'
import { eventually, templates, withDouble, withReceiptServer } from './_test_helpers.ts'

const code = { personalisation: { code: '123456' } }

Deno.test("a delivery receipt reaches the callback URL with the bearer token and Notify's fields", () =>
  withReceiptServer(async (callback) => {
    await withDouble(
      { callbackUrl: callback.url, callbackBearerToken: 'receipt-token', callbackDelayMs: 10 },
      async ({ client }) => {
        const sent = await client.sendEmail(templates.signInCode, 'tutor@oak.example.org', {
          ...code,
          reference: 'outbox-row-1',
        })
        const [receipt] = await eventually(() =>
          callback.receipts.length ? callback.receipts : undefined
        )
        assert.equal(receipt!.authorization, 'Bearer receipt-token')
        const { created_at, sent_at, completed_at, ...rest } = receipt!.body
        assert.deepEqual(rest, {
          id: sent.data.id,
          reference: 'outbox-row-1',
          to: 'tutor@oak.example.org',
          status: 'delivered',
          notification_type: 'email',
          template_id: templates.signInCode,
          template_version: 1,
        })
        for (const time of [created_at, sent_at, completed_at]) {
          assert.match(String(time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/)
        }
        const { data } = await client.getNotificationById(sent.data.id)
        assert.equal(data.status, 'delivered')
        assert.equal(data.completed_at, completed_at)
      },
    )
  }))

Deno.test('simulator addresses are accepted with 201, then fail temporarily or permanently', () =>
  withReceiptServer(async (callback) => {
    await withDouble({ callbackUrl: callback.url, callbackDelayMs: 10 }, async ({ client }) => {
      const temporary = await client.sendEmail(
        templates.signInCode,
        'temp-fail@simulator.notify',
        code,
      )
      const permanent = await client.sendEmail(
        templates.signInCode,
        'perm-fail@simulator.notify',
        code,
      )
      assert.equal(temporary.status, 201)
      assert.equal(permanent.status, 201)

      const receipts = await eventually(() =>
        callback.receipts.length === 2 ? callback.receipts : undefined
      )
      const statusOf = (id: string) =>
        receipts.find((receipt) => receipt.body.id === id)?.body.status
      assert.equal(statusOf(temporary.data.id), 'temporary-failure')
      assert.equal(statusOf(permanent.data.id), 'permanent-failure')
      assert.equal(
        (await client.getNotificationById(permanent.data.id)).data.status,
        'permanent-failure',
      )
    })
  }))

Deno.test('a receipt is retried while the callback answers 500 and stops once it is taken', () =>
  withReceiptServer(async (callback) => {
    await withDouble({ callbackUrl: callback.url, callbackDelayMs: 0 }, async ({ client }) => {
      const sent = await client.sendEmail(templates.signInCode, 'a@b.example.org', code)
      const receipts = await eventually(() =>
        callback.receipts.length === 3 ? callback.receipts : undefined
      )
      assert.ok(receipts.every((receipt) => receipt.body.id === sent.data.id))
    })
    assert.equal(callback.receipts.length, 3)
  }, (attempt) => attempt <= 2 ? 500 : 200))

Deno.test('a receipt refused with 401 is not retried, as Notify does not retry a 4xx', () =>
  withReceiptServer(async (callback) => {
    await withDouble({ callbackUrl: callback.url, callbackDelayMs: 0 }, async ({ client }) => {
      const sent = await client.sendEmail(templates.signInCode, 'a@b.example.org', code)
      await eventually(async () => {
        const { data } = await client.getNotificationById(sent.data.id)
        return data.status === 'delivered' && callback.receipts.length === 1 ? true : undefined
      })
      // A later email's receipt arriving shows the first one was not sent again in between.
      await client.sendEmail(templates.signInCode, 'c@d.example.org', code)
      await eventually(() => callback.receipts.length === 2 ? true : undefined)
    })
    assert.deepEqual(callback.receipts.map((receipt) => receipt.body.to), [
      'a@b.example.org',
      'c@d.example.org',
    ])
  }, () => 401))

Deno.test('stopping the double cancels receipts not yet sent', () =>
  withReceiptServer(async (callback) => {
    await withDouble({ callbackUrl: callback.url, callbackDelayMs: 60_000 }, async ({ client }) => {
      await client.sendEmail(templates.signInCode, 'a@b.example.org', code)
    })
    assert.equal(callback.receipts.length, 0)
  }))
