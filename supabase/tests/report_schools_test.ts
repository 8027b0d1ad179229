/**
 * app.report_schools(): every rule and message, URN normalisation, check-only mode, whole-request
 * refusals, the emails queued with each report, and re-reporting. Run as provider users, as the
 * platform does; each test's world is rolled back.
 */
import assert from 'node:assert/strict'
import {
  actAs,
  challengeBySupport,
  createSchool,
  errorOf,
  reportAs,
  type Tx,
  uniqueUrn,
  worldTest,
} from './_db.ts'
import * as insert from '../../tests/world.ts'

async function countsFor(tx: Tx, cohortId: string) {
  const [counts] = await tx<{ partnerships: number; events: number; emails: number }[]>`
    select
      (select count(*)::int from public.partnerships where cohort_id = ${cohortId}) as partnerships,
      (select count(*)::int from public.partnership_events e
        join public.partnerships p using (partnership_id) where p.cohort_id = ${cohortId}) as events,
      (select count(*)::int from public.notifications n
        join public.partnerships p using (partnership_id) where p.cohort_id = ${cohortId}) as emails`
  return counts!
}

worldTest(
  'report_schools() creates one active partnership and one reported event per valid school',
  async (tx, world) => {
    const first = await createSchool(tx)
    const second = await createSchool(tx)

    const rows = await reportAs(tx, world.a.userId, world, world.a.deliveryPartnerId, [
      first.urn,
      second.urn,
    ])

    assert.deepEqual(rows.map((row) => [row.rowNumber, row.urn, row.schoolName, row.error]), [
      [1, first.urn, first.name, null],
      [2, second.urn, second.name, null],
    ])
    const partnerships = await tx`
    select p.partnership_id, p.lead_provider_id, p.delivery_partner_id, p.reported_by,
      p.challenged_at, e.kind, e.channel, e.actor_user_id, e.details
    from public.partnerships p
    join public.partnership_events e using (partnership_id)
    where p.cohort_id = ${world.cohortId}
    order by p.reported_at`
    assert.equal(partnerships.length, 2)
    for (const row of partnerships) {
      assert.ok(rows.some((r) => r.partnershipId === row.partnership_id))
      assert.equal(row.lead_provider_id, world.a.leadProviderId)
      assert.equal(row.delivery_partner_id, world.a.deliveryPartnerId)
      assert.equal(row.reported_by, world.a.userId)
      assert.equal(row.challenged_at, null)
      assert.equal(row.kind, 'reported')
      assert.equal(row.channel, 'portal')
      assert.equal(row.actor_user_id, world.a.userId)
      assert.deepEqual(row.details, { delivery_partner_id: world.a.deliveryPartnerId })
    }
  },
)

worldTest(
  'report_schools() gives each rule its exact message, the first rule winning',
  async (tx, world) => {
    const independent = await createSchool(tx, {
      establishmentType: 'Other independent school',
      isIndependent: true,
    })
    const welsh = await createSchool(tx, {
      establishmentType: 'Welsh establishment',
      inEngland: false,
    })
    const overseas = await createSchool(tx, {
      establishmentType: 'British schools overseas',
      inEngland: false,
    })
    const closed = await createSchool(tx, { status: 'closed' })
    const closedIndependent = await createSchool(tx, {
      status: 'closed',
      establishmentType: 'Other independent school',
      isIndependent: true,
    })
    const notYetOpen = await createSchool(tx, { status: 'proposed_to_open' })
    const outsideEngland = await createSchool(tx, { inEngland: false })
    const closing = await createSchool(tx, { status: 'proposed_to_close' })
    const ours = await createSchool(tx)
    const theirs = await createSchool(tx)
    await reportAs(tx, world.a.userId, world, world.a.deliveryPartnerId, [ours.urn])
    await reportAs(tx, world.b.userId, world, world.b.deliveryPartnerId, [theirs.urn])

    const rows = await reportAs(tx, world.a.userId, world, world.a.deliveryPartnerId, [
      'not a urn',
      uniqueUrn(),
      independent.urn,
      welsh.urn,
      overseas.urn,
      closed.urn,
      closedIndependent.urn,
      notYetOpen.urn,
      outsideEngland.urn,
      ours.urn,
      theirs.urn,
      closing.urn,
    ])

    assert.deepEqual(rows.map((row) => [row.rowNumber, row.error]), [
      [1, 'URN is not valid'],
      [2, 'URN is not valid'],
      [3, 'School not eligible for funding'],
      [4, 'School not eligible for funding'],
      [5, 'School not eligible for funding'],
      [6, 'School not eligible for inductions'],
      [7, 'School not eligible for inductions'],
      [8, 'School not eligible for inductions'],
      [9, 'School not eligible for inductions'],
      [10, 'Your school - already confirmed'],
      [11, 'Recruited by other provider'],
      [12, null],
    ])
    assert.equal(rows[0]!.urn, null)
    assert.equal(rows[10]!.schoolName, theirs.name)
    assert.deepEqual(rows.filter((row) => row.partnershipId).map((row) => row.rowNumber), [12])
    assert.equal((await countsFor(tx, world.cohortId)).partnerships, 3)
  },
)

worldTest(
  'report_schools() trims URNs, tolerates leading zeros, skips blank lines and drops repeats',
  async (tx, world) => {
    const school = await createSchool(tx)
    const other = await createSchool(tx)

    const rows = await reportAs(tx, world.a.userId, world, world.a.deliveryPartnerId, [
      `  ${school.urn}\r`,
      '',
      '   ',
      `000${other.urn}`,
      school.urn,
      `${other.urn}x`,
      '0',
    ])

    assert.deepEqual(rows.map((row) => [row.rowNumber, row.given, row.urn, row.error]), [
      [1, `  ${school.urn}\r`, school.urn, null],
      [4, `000${other.urn}`, other.urn, null],
      [6, `${other.urn}x`, null, 'URN is not valid'],
      [7, '0', null, 'URN is not valid'],
    ])
    assert.equal((await countsFor(tx, world.cohortId)).partnerships, 2)
  },
)

worldTest(
  'report_schools() in check-only mode gives the same answers and changes nothing',
  async (tx, world) => {
    const school = await createSchool(tx)
    const theirs = await createSchool(tx)
    await reportAs(tx, world.b.userId, world, world.b.deliveryPartnerId, [theirs.urn])
    const before = await countsFor(tx, world.cohortId)

    const rows = await reportAs(
      tx,
      world.a.userId,
      world,
      world.a.deliveryPartnerId,
      [school.urn, theirs.urn, 'x'],
      true,
    )

    assert.deepEqual(rows.map((row) => [row.error, row.partnershipId]), [
      [null, null],
      ['Recruited by other provider', null],
      ['URN is not valid', null],
    ])
    assert.deepEqual(await countsFor(tx, world.cohortId), before)
  },
)

worldTest(
  'report_schools() refuses a delivery partner the lead provider does not work with in the cohort',
  async (tx, world) => {
    const school = await createSchool(tx)
    const before = await countsFor(tx, world.cohortId)

    for (const deliveryPartnerId of [world.b.deliveryPartnerId, crypto.randomUUID()]) {
      const error = await errorOf(tx, async (sp) => {
        await actAs(sp, 'app_user', world.a.userId)
        await sp`select * from app.report_schools(
        ${world.startYear}, ${deliveryPartnerId}, ${[school.urn]}, false)`
      })
      assert.equal(error.code, 'P0001')
      assert.equal(error.message, 'delivery_partner_not_related')
      assert.equal(error.hint, 'You do not work with this delivery partner in this cohort.')
    }
    assert.deepEqual(await countsFor(tx, world.cohortId), before)
  },
)

worldTest(
  'report_schools() refuses an unknown cohort, too many lines, and callers who are not provider users',
  async (tx, world) => {
    const school = await createSchool(tx)
    const call = (userId: string, startYear: number, urns: string[]) =>
      errorOf(tx, async (sp) => {
        await actAs(sp, 'app_user', userId)
        await sp`select * from app.report_schools(
        ${startYear}, ${world.a.deliveryPartnerId}, ${urns}, false)`
      })

    const unknownCohort = await call(world.a.userId, 1999, [school.urn])
    assert.equal(unknownCohort.message, 'cohort_not_found')
    assert.equal(unknownCohort.hint, 'There is no cohort starting in that year.')

    const tooMany = await call(world.a.userId, world.startYear, Array(20_001).fill(school.urn))
    assert.equal(tooMany.message, 'too_many_urns')

    for (const userId of [world.supportUserId, world.nobodyUserId]) {
      const refused = await call(userId, world.startYear, [school.urn])
      assert.equal(refused.message, 'not_a_provider_user')
      assert.equal(refused.hint, 'Only lead provider users can report schools.')
    }
    assert.equal((await countsFor(tx, world.cohortId)).partnerships, 0)
  },
)

worldTest(
  'report_schools() emails the induction tutor, else the GIAS address, else records no address',
  async (tx, world) => {
    const withTutor = await createSchool(tx, {
      giasEmail: 'office@tutor-school.example.test',
      tutor: { fullName: 'Tia Tutor', email: 'tia@tutor-school.example.test' },
    })
    const giasOnly = await createSchool(tx, { giasEmail: 'office@gias-school.example.test' })
    const noAddress = await createSchool(tx, { giasEmail: null })

    const rows = await reportAs(tx, world.a.userId, world, world.a.deliveryPartnerId, [
      withTutor.urn,
      giasOnly.urn,
      noAddress.urn,
    ])

    const emails = await tx<
      {
        urn: string
        kind: string
        recipientEmail: string | null
        recipientKind: string
        status: string
        dueInDays: number
      }[]
    >`
    select s.urn, n.kind, n.recipient_email as "recipientEmail",
      n.recipient_kind as "recipientKind", n.status,
      extract(epoch from n.due_at - now())::int / 86400 as "dueInDays"
    from public.notifications n
    join public.partnerships p using (partnership_id)
    join public.schools s using (school_id)
    where p.cohort_id = ${world.cohortId}
    order by s.urn = ${withTutor.urn} desc, s.urn = ${giasOnly.urn} desc, n.due_at`
    assert.deepEqual(emails.map((email) => ({ ...email })), [
      {
        urn: withTutor.urn,
        kind: 'tutor_first',
        recipientEmail: 'tia@tutor-school.example.test',
        recipientKind: 'induction_tutor',
        status: 'queued',
        dueInDays: 0,
      },
      {
        urn: withTutor.urn,
        kind: 'tutor_reminder',
        recipientEmail: 'tia@tutor-school.example.test',
        recipientKind: 'induction_tutor',
        status: 'queued',
        dueInDays: 7,
      },
      {
        urn: giasOnly.urn,
        kind: 'school_first',
        recipientEmail: 'office@gias-school.example.test',
        recipientKind: 'gias',
        status: 'queued',
        dueInDays: 0,
      },
      {
        urn: giasOnly.urn,
        kind: 'school_reminder',
        recipientEmail: 'office@gias-school.example.test',
        recipientKind: 'gias',
        status: 'queued',
        dueInDays: 7,
      },
      {
        urn: noAddress.urn,
        kind: 'school_first',
        recipientEmail: null,
        recipientKind: 'gias',
        status: 'no_address',
        dueInDays: 0,
      },
    ])
    assert.ok(rows.every((row) => row.partnershipId))
  },
)

worldTest(
  'report_schools() reactivates the partnership a lead provider lost when it reports the school again',
  async (tx, world) => {
    const school = await createSchool(tx)
    const [first] = await reportAs(tx, world.a.userId, world, world.a.deliveryPartnerId, [
      school.urn,
    ])
    await tx`update public.partnerships
    set reported_at = now() - interval '5 days', school_notified_at = now() - interval '3 days'
    where partnership_id = ${first!.partnershipId}`
    assert.equal(
      (await challengeBySupport(tx, world, first!.partnershipId!)).status,
      'challenged',
    )
    // A second delivery partner for A, to see the re-report's partner replace the first.
    const dp = await insert.deliveryPartner(tx, `Second DP ${school.urn}`)
    await insert.relationships(tx, world.a.leadProviderId, [dp], world.cohortId)

    const [again] = await reportAs(tx, world.a2UserId, world, dp, [school.urn])

    assert.equal(again!.error, null)
    assert.equal(again!.partnershipId, first!.partnershipId)
    const [partnership] = await tx`
    select delivery_partner_id, reported_by, school_notified_at, challenged_at, challenge_reason,
      challenge_channel, challenged_by, challenge_note, reported_at = now() as reported_now
    from public.partnerships where partnership_id = ${first!.partnershipId}`
    assert.deepEqual({ ...partnership }, {
      delivery_partner_id: dp,
      reported_by: world.a2UserId,
      school_notified_at: null,
      challenged_at: null,
      challenge_reason: null,
      challenge_channel: null,
      challenged_by: null,
      challenge_note: null,
      reported_now: true,
    })
    const events = await tx`
    select kind from public.partnership_events where partnership_id = ${first!.partnershipId}
    order by event_id`
    assert.deepEqual(events.map((event) => event.kind), ['reported', 'challenged', 're_reported'])
    const emails = await tx`
    select kind, status from public.notifications
    where partnership_id = ${first!.partnershipId} and kind <> 'provider_challenged'
    order by status = 'queued', due_at`
    assert.deepEqual(emails.map((email) => [email.kind, email.status]), [
      ['school_first', 'cancelled'],
      ['school_reminder', 'cancelled'],
      ['school_first', 'queued'],
      ['school_reminder', 'queued'],
    ])
  },
)

worldTest(
  'report_schools() gives a different lead provider a new partnership for a school lost to a challenge',
  async (tx, world) => {
    const school = await createSchool(tx)
    const [lost] = await reportAs(tx, world.a.userId, world, world.a.deliveryPartnerId, [
      school.urn,
    ])
    await challengeBySupport(tx, world, lost!.partnershipId!)

    const [won] = await reportAs(tx, world.b.userId, world, world.b.deliveryPartnerId, [
      school.urn,
    ])
    const [again] = await reportAs(tx, world.a.userId, world, world.a.deliveryPartnerId, [
      school.urn,
    ])

    assert.equal(won!.error, null)
    assert.notEqual(won!.partnershipId, lost!.partnershipId)
    assert.equal(again!.error, 'Recruited by other provider')
    const partnerships = await tx`
    select lead_provider_id, challenged_at is null as active from public.partnerships
    where school_id = ${school.schoolId} order by reported_at, lead_provider_id = ${world.b.leadProviderId}`
    assert.deepEqual(partnerships.map((p) => [p.lead_provider_id, p.active]), [
      [world.a.leadProviderId, false],
      [world.b.leadProviderId, true],
    ])
  },
)
