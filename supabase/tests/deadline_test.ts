/**
 * The challenge deadline: 14 days from the school email (else the report), or the cohort's
 * earliest deadline if later, as a London date honoured to the end of that day, including on both
 * sides of the March and October clock changes.
 */
import assert from 'node:assert/strict'
import {
  asService,
  createLinkToken,
  createSchool,
  createWorld,
  dbTest,
  reportAs,
  type Sql,
  type Tx,
  txTest,
  type World,
} from './_db.ts'

async function deadlineDate(sql: Sql, anchorAt: string, earliest: string | null) {
  const [row] = await sql<{ deadline: string }[]>`
    select app.challenge_deadline_date(${anchorAt}::timestamptz, ${earliest}::date)::text
      as deadline`
  return row!.deadline
}

dbTest(
  'challenge_deadline_date() counts 14 days from the London date of the email',
  async (sql) => {
    // 23:30 UTC on 10 October is 00:30 on 11 October in London (summer time).
    assert.equal(await deadlineDate(sql, '2026-10-10T23:30:00Z', null), '2026-10-25')
    assert.equal(await deadlineDate(sql, '2026-10-10T22:59:00Z', null), '2026-10-24')
    // In winter London is on UTC.
    assert.equal(await deadlineDate(sql, '2027-01-10T23:30:00Z', null), '2027-01-24')
    assert.equal(await deadlineDate(sql, '2027-01-11T00:00:00Z', null), '2027-01-25')
  },
)

dbTest(
  'challenge_deadline_date() uses the cohort earliest deadline when it is later',
  async (sql) => {
    assert.equal(await deadlineDate(sql, '2026-09-05T09:00:00Z', '2026-10-31'), '2026-10-31')
    assert.equal(await deadlineDate(sql, '2026-10-20T09:00:00Z', '2026-10-31'), '2026-11-03')
    assert.equal(await deadlineDate(sql, '2026-10-17T09:00:00Z', '2026-10-31'), '2026-10-31')
  },
)

dbTest(
  'the pure rule helpers are inlined into the queries that call them, not called for each row',
  async (sql) => {
    // Arguments from a column, so an immutable helper that was not inlined cannot hide as a
    // constant folded at plan time.
    const [row] = await sql`
      explain (verbose, format json)
      select
        app.challenge_deadline_date(now() + make_interval(days => g), date '2026-10-31'),
        app.challenge_window_closes_at(date '2026-10-31' + g),
        app.cohort_label(g),
        app.london_long_date(date '2026-10-31' + g),
        app.new_link_token()
      from generate_series(1, 3) as g`
    const plan = JSON.stringify(row)
    assert.match(plan, /Europe\/London/)
    const helpers = [
      'challenge_deadline_date',
      'challenge_window_closes_at',
      'cohort_label',
      'london_long_date',
      'new_link_token',
    ]
    for (const helper of helpers) {
      assert.ok(!plan.includes(helper), `${helper} is called, not inlined: ${plan}`)
    }
  },
)

const clockChanges = [
  // The day before the October change ends in summer time, the day of it in winter time.
  { deadline: '2026-10-24', closesAt: '2026-10-24T23:00:00.000Z' },
  { deadline: '2026-10-25', closesAt: '2026-10-26T00:00:00.000Z' },
  // The day before the March change ends in winter time, the day of it in summer time.
  { deadline: '2027-03-27', closesAt: '2027-03-28T00:00:00.000Z' },
  { deadline: '2027-03-28', closesAt: '2027-03-28T23:00:00.000Z' },
]

for (const { deadline, closesAt } of clockChanges) {
  dbTest(
    `challenge_window_closes_at() accepts 23:59 and refuses 00:00 London time after ${deadline}`,
    async (sql) => {
      const [row] = await sql<{ closesAt: Date; at2359: boolean; at0000: boolean }[]>`
      with window_end as (
        select app.challenge_window_closes_at(${deadline}::date) as closes_at
      )
      select
        closes_at as "closesAt",
        (${deadline}::date + time '23:59:59.999') at time zone 'Europe/London' < closes_at
          as at2359,
        (${deadline}::date + 1 + time '00:00') at time zone 'Europe/London' < closes_at
          as at0000
      from window_end`
      assert.equal(row!.closesAt.toISOString(), closesAt)
      assert.equal(row!.at2359, true)
      assert.equal(row!.at0000, false)
    },
  )
}

async function reportedWithToken(tx: Tx, world: World) {
  const school = await createSchool(tx)
  const [row] = await reportAs(tx, world.a.userId, world, world.a.deliveryPartnerId, [school.urn])
  const partnershipId = row!.partnershipId!
  return { partnershipId, token: await createLinkToken(tx, partnershipId) }
}

async function linkStatus(tx: Tx, token: string) {
  return await asService(tx, async (service) => {
    const [row] = await service<{ result: { status: string; deadline?: string } }[]>`
      select app.challenge_link_status(${token}) as result`
    return row!.result
  })
}

txTest('a link is open until 14 days after the email and expired after that', async (tx) => {
  const world = await createWorld(tx)
  const { partnershipId, token } = await reportedWithToken(tx, world)
  const notifiedAgo = async (days: number) => {
    await tx`update public.partnerships
      set school_notified_at = now() - make_interval(days => ${days})
      where partnership_id = ${partnershipId}`
    return await linkStatus(tx, token)
  }

  assert.equal((await notifiedAgo(13)).status, 'open')
  assert.equal((await notifiedAgo(15)).status, 'expired')
  // A later email (a resend or a fallback) starts the 14 days again.
  assert.equal((await notifiedAgo(1)).status, 'open')
})

txTest('a link runs from the report until an email is accepted', async (tx) => {
  const world = await createWorld(tx)
  const { partnershipId, token } = await reportedWithToken(tx, world)

  assert.equal((await linkStatus(tx, token)).status, 'open')
  await tx`update public.partnerships set reported_at = now() - interval '15 days'
    where partnership_id = ${partnershipId}`
  assert.equal((await linkStatus(tx, token)).status, 'expired')
})

txTest('a link stays open until the cohort earliest deadline when that is later', async (tx) => {
  const [future] = await tx<{ date: string }[]>`
    select ((now() at time zone 'Europe/London')::date + 3)::text as date`
  const world = await createWorld(tx, { earliestChallengeDeadline: future!.date })
  const { partnershipId, token } = await reportedWithToken(tx, world)
  await tx`update public.partnerships set school_notified_at = now() - interval '30 days'
    where partnership_id = ${partnershipId}`

  const status = await linkStatus(tx, token)

  assert.equal(status.status, 'open')
  assert.equal(status.deadline, future!.date)
})
