/**
 * The notify-callback function's door and its receipts, through `app.request()` on the app its
 * factory makes with a literal configuration (Notify's bearer token among it) and a database
 * bound to a transaction rolled back after each test (tests/_handlers.ts).
 */
import assert from 'node:assert/strict'
import { handlerTest, postJson, testConfig } from '../../../tests/_handlers.ts'
import { createSchool, createWorld, reportAs, type Tx } from '../../tests/_db.ts'
import type { Database } from '../_shared/db.ts'
import { createNotifyCallbackApp } from './app.ts'
import * as insert from '../../../tests/world.ts'

const token = testConfig.notifyCallbackToken()

/** A school's first email as the sender leaves it once Notify accepted it, and its receipt. */
async function sentEmail(tx: Tx) {
  const world = await createWorld(tx)
  const school = await createSchool(tx)
  const [reported] = await reportAs(tx, world.a.userId, world, world.a.deliveryPartnerId, [
    school.urn,
  ])
  const notifyId = crypto.randomUUID()
  const [notificationId] = await insert.notifications(tx, [{
    partnershipId: reported!.partnershipId!,
    status: 'sent',
    attempts: 1,
    notifyId,
    sentAt: new Date().toISOString(),
  }])
  return {
    notificationId: notificationId!,
    receipt: {
      id: notifyId,
      reference: notificationId!,
      to: 'office@school.example.test',
      status: 'technical-failure',
      created_at: '2026-11-29T09:00:00.000000Z',
      completed_at: '2026-11-29T09:00:05.000000Z',
      sent_at: '2026-11-29T09:00:01.000000Z',
      notification_type: 'email',
      template_id: crypto.randomUUID(),
      template_version: 1,
    },
  }
}

function poster(database: Database) {
  const app = createNotifyCallbackApp({ config: testConfig, database })
  return async (body: unknown, authorization = `Bearer ${token}`) => {
    const response = await app.request('/notify-callback', postJson(body, { authorization }))
    return { status: response.status, body: await response.json() }
  }
}

handlerTest(
  "POST /notify-callback without Notify's bearer token is refused with 401 and records nothing",
  async ({ tx, database }) => {
    const { notificationId, receipt } = await sentEmail(tx)
    const post = poster(database)
    const secretKey = testConfig.secretKeys()[0]!
    for (const authorization of ['', 'Bearer not-the-token', `Bearer ${secretKey}`, token]) {
      const answer = await post(receipt, authorization)
      assert.equal(answer.status, 401, authorization)
      assert.equal(answer.body.error.code, 'unauthorised')
    }
    const [row] = await tx`
      select delivery_status from public.notifications where notification_id = ${notificationId}`
    assert.equal(row!.delivery_status, null)
  },
)

handlerTest(
  'POST /notify-callback records a receipt once, answers repeats with 200, and refuses malformed ones',
  async ({ tx, database }) => {
    const { notificationId, receipt } = await sentEmail(tx)
    const post = poster(database)
    assert.deepEqual(await post(receipt), { status: 200, body: { result: 'recorded' } })
    assert.deepEqual(await post({ ...receipt, status: 'delivered' }), {
      status: 200,
      body: { result: 'repeat' },
    })
    const [row] = await tx`
      select delivery_status from public.notifications where notification_id = ${notificationId}`
    assert.equal(row!.delivery_status, 'technical-failure', 'a later receipt does not overwrite it')

    const unknown = await post({ ...receipt, id: crypto.randomUUID(), reference: null })
    assert.deepEqual(unknown, { status: 200, body: { result: 'unknown' } })

    for (
      const bad of [{ ...receipt, id: 'not-a-uuid' }, { ...receipt, created_at: 'yesterday' }, {}]
    ) {
      const answer = await post(bad)
      assert.equal(answer.status, 400)
      assert.equal(answer.body.error.code, 'invalid_request')
    }
  },
)
