/**
 * Concurrency: simultaneous challenges of one partnership, and two lead providers reporting one
 * school at once. These need commits, so their fixtures have unique names and are deleted after.
 * To make the calls truly simultaneous, a holder transaction locks the row first; the test waits
 * until every call is waiting for a lock (pg_stat_activity says so), then lets them go.
 */
import assert from 'node:assert/strict'
import {
  actAs,
  connect,
  createLinkToken,
  createSchool,
  createWorld,
  dbTest,
  errorOf,
  reportAs,
  rolledBack,
  type School,
  type Sql,
  type Tx,
  type World,
  worldTest,
} from './_db.ts'
import * as insert from '../../tests/world.ts'
import { daysFromNow } from '../../tests/_made_up.ts'

const challengers = 50
const challengersTag = `challengers ${crypto.randomUUID()}`
const reportersTag = `reporters ${crypto.randomUUID()}`

/**
 * Deletes the committed fixtures. The stack's sender may be claiming their emails at the same
 * moment, in the opposite lock order to a cascading delete (which no product code does), so a
 * deadlock here is retried rather than failing the test.
 */
async function deleteFixtures(sql: Sql, world: World, schools: School[]) {
  for (let attempt = 1;; attempt++) {
    try {
      return await deleteFixturesOnce(sql, world, schools)
    } catch (error) {
      if ((error as { code?: string }).code !== '40P01' || attempt === 5) throw error
    }
  }
}

async function deleteFixturesOnce(sql: Sql, world: World, schools: School[]) {
  await sql.begin(async (tx) => {
    await tx`delete from public.partnerships where cohort_id = ${world.cohortId}`
    await tx`delete from public.schools where school_id in ${tx(schools.map((s) => s.schoolId))}`
    await tx`delete from public.cohorts where cohort_id = ${world.cohortId}`
    await tx`delete from public.lead_providers
      where lead_provider_id in (${world.a.leadProviderId}, ${world.b.leadProviderId})`
    await tx`delete from public.delivery_partners
      where delivery_partner_id in (${world.a.deliveryPartnerId}, ${world.b.deliveryPartnerId})`
    await tx`delete from auth.users where id in ${
      tx([world.a.userId, world.a2UserId, world.b.userId, world.supportUserId, world.nobodyUserId])
    }`
  })
}

/**
 * Waits until `count` connections tagged `applicationName` are waiting for a lock. Calls that never
 * wait did not take the lock the rule depends on: that fails the test rather than hanging it.
 */
async function waitForWaiters(sql: Sql, applicationName: string, count: number) {
  for (let attempt = 0; attempt < 1_000; attempt++) {
    const [row] = await sql<{ waiting: number }[]>`
      select count(*)::int as waiting from pg_stat_activity
      where application_name = ${applicationName} and wait_event_type = 'Lock'`
    if (row!.waiting >= count) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`Fewer than ${count} calls ever waited for the lock.`)
}

/** Holds the lock `lock` takes in an open transaction until the returned release function is called. */
async function holdLock(sql: Sql, lock: (tx: Tx) => Promise<unknown>) {
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  let locked!: () => void
  const isLocked = new Promise<void>((resolve) => (locked = resolve))
  const done = sql.begin(async (tx) => {
    await lock(tx)
    locked()
    await released
  })
  await isLocked
  return async () => {
    release()
    await done
  }
}

dbTest(
  `${challengers} simultaneous challenges of one partnership give exactly one success`,
  async (sql) => {
    const world = await sql.begin((tx) => createWorld(tx))
    const school = await createSchool(sql)
    try {
      const { partnershipId, token } = await sql.begin(async (tx) => {
        const [row] = await reportAs(tx, world.a.userId, world, world.a.deliveryPartnerId, [
          school.urn,
        ])
        const partnershipId = row!.partnershipId!
        return { partnershipId, token: await createLinkToken(tx, partnershipId) }
      })
      const pool = connect(challengers, challengersTag)
      try {
        const release = await holdLock(
          sql,
          (tx) =>
            tx`select 1 from public.partnerships where partnership_id = ${partnershipId} for update`,
        )
        const calls = Array.from({ length: challengers }, () =>
          pool.begin(async (tx) => {
            await actAs(tx, 'service_role')
            const [row] = await tx<{ result: { status: string; school_name: string } }[]>`
            select app.challenge_by_token(${token}, 'mistake') as result`
            return row!.result
          }))
        try {
          await waitForWaiters(sql, challengersTag, challengers)
        } finally {
          await release()
        }
        const results = await Promise.all(calls)

        const statuses = results.map((result) => result.status).sort()
        assert.deepEqual(
          statuses,
          [
            ...Array(challengers - 1).fill('already_challenged'),
            'challenged',
          ].sort(),
        )
        assert.ok(results.every((result) => result.school_name === school.name))
        const [counts] = await sql<{ events: number; providerEmails: number }[]>`
        select
          (select count(*)::int from public.partnership_events
            where partnership_id = ${partnershipId} and kind = 'challenged') as events,
          (select count(*)::int from public.notifications
            where partnership_id = ${partnershipId} and kind = 'provider_challenged')
            as "providerEmails"`
        assert.deepEqual({ ...counts }, { events: 1, providerEmails: 2 })
      } finally {
        await pool.end()
      }
    } finally {
      await deleteFixtures(sql, world, [school])
    }
  },
  2,
)

dbTest('two lead providers reporting one school at once give one winner', async (sql) => {
  const world = await sql.begin((tx) => createWorld(tx))
  const school = await createSchool(sql)
  const pool = connect(2, reportersTag)
  try {
    const release = await holdLock(
      sql,
      (tx) => tx`select 1 from public.schools where school_id = ${school.schoolId} for update`,
    )
    const reports = [world.a, world.b].map((provider) =>
      pool.begin((tx) =>
        reportAs(tx, provider.userId, world, provider.deliveryPartnerId, [school.urn])
      )
    )
    try {
      await waitForWaiters(sql, reportersTag, 2)
    } finally {
      await release()
    }
    const [a, b] = await Promise.all(reports)

    const errors = [a![0]!.error, b![0]!.error].sort()
    assert.deepEqual(errors, ['Recruited by other provider', null].sort())
    const active = await sql`
      select partnership_id from public.partnerships
      where school_id = ${school.schoolId} and challenged_at is null`
    assert.equal(active.length, 1)
    const winner = a![0]!.error === null ? a![0]! : b![0]!
    assert.equal(active[0]!.partnership_id, winner.partnershipId)
  } finally {
    await pool.end()
    await deleteFixtures(sql, world, [school])
  }
}, 2)

worldTest(
  'the database itself refuses a second active partnership for a school and cohort',
  async (tx, world) => {
    const school = await createSchool(tx)
    await reportAs(tx, world.a.userId, world, world.a.deliveryPartnerId, [school.urn])

    const error = await errorOf(tx, (sp) =>
      insert.partnership(sp, {
        schoolId: school.schoolId,
        leadProviderId: world.b.leadProviderId,
        deliveryPartnerId: world.b.deliveryPartnerId,
        cohortId: world.cohortId,
      }))

    assert.equal(error.code, '23505')
    assert.equal(error.constraint_name, 'partnerships_one_active_per_school_cohort')
  },
)

dbTest(
  'claiming emails skips a partnership a challenge has locked, rather than deadlocking with it',
  async (sql) => {
    const world = await sql.begin((tx) => createWorld(tx))
    const school = await createSchool(sql)
    try {
      const [reported] = await sql.begin((tx) =>
        reportAs(tx, world.a.userId, world, world.a.deliveryPartnerId, [school.urn])
      )
      const partnershipId = reported!.partnershipId!
      // Not yet due, so the stack's own sender leaves it alone until this test makes it due.
      const [notificationId] = await insert.notifications(sql, [{
        partnershipId,
        dueAt: daysFromNow(1),
      }])
      // A challenge holds the partnership and next wants the school's queued emails; a claim that
      // held an email and then waited for its partnership would close the circle.
      const release = await holdLock(
        sql,
        (tx) =>
          tx`select 1 from public.partnerships where partnership_id = ${partnershipId} for update`,
      )
      try {
        const claimed = await rolledBack(sql, async (tx) => {
          await tx`set local lock_timeout = '5s'`
          await tx`update public.notifications set due_at = now()
            where notification_id = ${notificationId!}`
          return await tx<{ notification_id: string }[]>`
            select notification_id from app.claim_notifications(100000, 60)`
        })
        assert.ok(!claimed.some((row) => row.notification_id === notificationId))
      } finally {
        await release()
      }
    } finally {
      await deleteFixtures(sql, world, [school])
    }
  },
  2,
)

dbTest(
  'a delivery receipt waits for the partnership before it locks the email, as recording a send does',
  async (sql) => {
    const world = await sql.begin((tx) => createWorld(tx))
    const school = await createSchool(sql)
    const receiptsTag = `receipts ${crypto.randomUUID()}`
    const receipts = connect(1, receiptsTag)
    try {
      const [reported] = await sql.begin((tx) =>
        reportAs(tx, world.a.userId, world, world.a.deliveryPartnerId, [school.urn])
      )
      const partnershipId = reported!.partnershipId!
      const notifyId = crypto.randomUUID()
      const [notificationId] = await insert.notifications(sql, [{
        partnershipId,
        status: 'sent',
        notifyId,
        sentAt: new Date().toISOString(),
      }])

      // Recording a send holds the partnership and next wants the email: the receipt must not be
      // holding the email while it waits for the partnership.
      let emailFree = false
      const release = await holdLock(
        sql,
        (tx) =>
          tx`select 1 from public.partnerships where partnership_id = ${partnershipId} for update`,
      )
      const receipt = receipts<{ result: string }[]>`
        select app.record_delivery_receipt(${notifyId}, ${notificationId!}, 'delivered',
          now()) as result`.execute()
      try {
        await waitForWaiters(sql, receiptsTag, 1)
        await sql.begin(async (tx) => {
          await tx`set local lock_timeout = '2s'`
          await tx`select 1 from public.notifications
            where notification_id = ${notificationId!} for update`
          emailFree = true
        })
      } finally {
        await release()
      }
      assert.ok(emailFree)
      const [answer] = await receipt
      assert.equal(answer!.result, 'recorded')
    } finally {
      await receipts.end()
      await deleteFixtures(sql, world, [school])
    }
  },
  2,
)
