/**
 * Across the running stack, with the Notify double misbehaving: 500s, 429s, slow answers and
 * dropped connections; a pg_net request that never arrives; a run that dies after claiming.
 * Whatever happens, every email is sent exactly once in the end, and one Notify refuses for good
 * is marked failed with Notify's reason.
 */
import assert from 'node:assert/strict'
import type postgres from 'postgres'
import { connect, mailbox } from './_stack.ts'
import {
  clearFaults,
  createWorld,
  injectFaults,
  type OutboxRow,
  outboxRows,
  reportSchools,
  reportSchoolsIn,
  runSweep,
  settled,
} from './_notifications_world.ts'

/** A test on its own connection; the double's faults are cleared after it, pass or fail. */
function withFaultsCleared(test: (sql: postgres.Sql) => Promise<void>): () => Promise<void> {
  return async () => {
    const sql = connect()
    try {
      await test(sql)
    } finally {
      await clearFaults()
      await sql.end()
    }
  }
}

/** Each first email reached the double exactly once, and the outbox says so. */
async function assertSentOnce(rows: OutboxRow[]): Promise<void> {
  const firsts = rows.filter((row) => row.kind.endsWith('_first'))
  assert.ok(firsts.length > 0)
  for (const row of firsts) {
    assert.equal(row.status, 'sent', `${row.kind}: ${row.last_error}`)
    const messages = await mailbox({ reference: row.notification_id })
    assert.equal(messages.length, 1, 'sent exactly once')
    assert.equal(row.notify_id, messages[0]!.id)
  }
}

for (const kind of ['500', '429'] as const) {
  Deno.test(
    `emails are retried with backoff after ${kind}s from Notify and sent once`,
    withFaultsCleared(async (sql) => {
      const world = await createWorld(sql, { schools: [{}, {}] })
      await injectFaults({ kind, count: 3 })
      const rows = await settled(sql, await reportSchools(sql, world))
      await assertSentOnce(rows)
      const attempts = rows.filter((row) => row.kind === 'school_first').map((
        row,
      ) => row.attempts)
      assert.equal(
        attempts.reduce((sum, n) => sum + n, 0),
        2 + 3,
        'each fault cost one attempt',
      )
    }),
  )
}

Deno.test(
  'slow answers from Notify are waited for, not sent twice',
  withFaultsCleared(async (sql) => {
    const world = await createWorld(sql, { schools: [{}, {}] })
    await injectFaults({ kind: 'slow', count: 2, delayMs: 1_500 })
    const rows = await settled(sql, await reportSchools(sql, world))
    await assertSentOnce(rows)
    assert.ok(
      rows.filter((row) => row.kind === 'school_first').every((row) => row.attempts === 1),
    )
  }),
)

Deno.test(
  'a dropped connection is retried once Notify has been asked whether it has the email',
  withFaultsCleared(async (sql) => {
    const world = await createWorld(sql, { schools: [{}] })
    await injectFaults({ kind: 'drop', count: 1 })
    const rows = await settled(sql, await reportSchools(sql, world))
    await assertSentOnce(rows)
  }),
)

Deno.test("an email Notify refuses (400) is failed at once with Notify's reason", async () => {
  const sql = connect()
  try {
    const world = await createWorld(sql, {
      schools: [{ giasEmail: 'not an email address' }],
    })
    const rows = await settled(sql, await reportSchools(sql, world))
    const first = rows.find((row) => row.kind === 'school_first')!
    assert.equal(first.status, 'failed')
    assert.equal(first.attempts, 1)
    assert.match(
      first.last_error!,
      /^Notify answered 400: ValidationError .*email_address/,
    )
    assert.deepEqual(await mailbox({ reference: first.notification_id }), [])
  } finally {
    await sql.end()
  }
})

Deno.test('emails whose pg_net wake-up was lost are sent by the cron sweep', async () => {
  const sql = connect()
  try {
    const world = await createWorld(sql, { schools: [{}, {}] })
    const partnerships = await sql.begin(async (tx) => {
      const [before] = await tx<{ id: string }[]>`
        select coalesce(max(id), 0) as id from net.http_request_queue`
      const ids = await reportSchoolsIn(tx, world)
      // pg_net loses requests: this one never leaves the database.
      const dropped = await tx`delete from net.http_request_queue where id > ${before!.id}`
      assert.equal(dropped.count, 1, 'one wake-up per statement')
      return ids
    })
    assert.ok(
      (await outboxRows(sql, partnerships)).some((row) => row.status === 'queued'),
      'nothing was woken',
    )
    await runSweep(sql)
    await assertSentOnce(await settled(sql, partnerships))
  } finally {
    await sql.end()
  }
})

Deno.test('emails claimed by a run that died are sent once its lock has run out, without waiting out their own lease', async () => {
  const sql = connect()
  const deadRun = crypto.randomUUID()
  try {
    const world = await createWorld(sql, { schools: [{}, {}] })
    // The dead run held the sender's lock and claimed the emails (for 600 s), then vanished.
    // (A long lease, so no run takes the lock over before the test says it has run out.)
    await sql`select app.begin_notification_run(${deadRun}, 600, 11)`
    const partnerships = await reportSchools(sql, world)
    const claimed = await sql<{ notification_id: string }[]>`
      select notification_id from app.claim_notifications(1000, 600)`
    const ours = (await outboxRows(sql, partnerships)).filter((row) => row.status === 'sending')
    assert.equal(ours.length, 2)
    assert.ok(
      ours.every((row) => claimed.some((c) => c.notification_id === row.notification_id)),
    )

    // Time passes: its lock ran out 12 s ago (past the 11 s its sends could still be in flight).
    // The emails' own 600 s lease is left as it is.
    await sql`
      update app.notification_runs set lease_expires_at = now() - interval '12 seconds'
      where run_id = ${deadRun}`
    // The sweep wakes a run for the dead run's lock, though nothing else is due.
    await runSweep(sql)
    const rows = await settled(sql, partnerships)
    await assertSentOnce(rows)
    assert.ok(
      rows.filter((row) => row.kind === 'school_first').every((row) => row.attempts === 2),
    )
  } finally {
    await sql`select app.end_notification_run(${deadRun})`
    await sql.end()
  }
})
