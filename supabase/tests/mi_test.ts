/**
 * The MI views return the right figures for a fixed data set, written here with explicit times,
 * read as role analyst. Each query is limited to the test's own cohort, so other data in the
 * database does not change the figures.
 */
import assert from 'node:assert/strict'
import {
  actAs,
  challengeBySupport,
  createSchool,
  createWorld,
  reportAs,
  type Tx,
  txTest,
  worldTest,
} from './_db.ts'
import * as insert from '../../tests/world.ts'

async function fixedDataSet(tx: Tx) {
  const world = await createWorld(tx)
  const { a, b, cohortId } = world
  const mat = {
    uid: `m${cohortId}`,
    name: 'Test Multi-Academy Trust',
    type: 'multi_academy_trust' as const,
  }
  const s1 = await createSchool(tx, { trust: mat })
  const s2 = await createSchool(tx, {
    trust: { uid: `s${cohortId}`, name: 'Test Single Trust', type: 'single_academy_trust' },
  })
  const s3 = await createSchool(tx)
  const s4 = await createSchool(tx, { trust: mat })

  const partnership = async (
    school: string,
    provider: typeof a,
    reportedAt: string,
    notifiedAt: string | null,
    challenge?: { at: string; reason: string; channel: string },
  ) => {
    return await insert.partnership(tx, {
      schoolId: school,
      leadProviderId: provider.leadProviderId,
      deliveryPartnerId: provider.deliveryPartnerId,
      cohortId,
      reportedAt,
      schoolNotifiedAt: notifiedAt,
      challenge,
    })
  }
  const event = async (
    partnershipId: string,
    kind: string,
    at: string,
    details: Record<string, unknown>,
    channel = 'portal',
  ) => {
    await insert.partnershipEvents(tx, [{ partnershipId, kind, channel, details, createdAt: at }])
  }
  type Challenge = { at: string; reason: string; channel: string }
  /** The event a challenge writes, naming what the partnership was when it was challenged. */
  const challengedEvent = async (
    partnershipId: string,
    provider: typeof a,
    { at, reason, channel }: Challenge,
    reportedAt: string,
    notifiedAt: string | null,
  ) => {
    await event(partnershipId, 'challenged', at, {
      reason,
      delivery_partner_id: provider.deliveryPartnerId,
      reported_at: reportedAt,
      school_notified_at: notifiedAt,
    }, channel)
  }
  /** A partnership reported, then challenged: the row, and its two events. */
  const challengedPartnership = async (
    school: string,
    provider: typeof a,
    reportedAt: string,
    notifiedAt: string | null,
    challenge: Challenge,
  ) => {
    const id = await partnership(school, provider, reportedAt, notifiedAt, challenge)
    await event(id, 'reported', reportedAt, { delivery_partner_id: provider.deliveryPartnerId })
    await challengedEvent(id, provider, challenge, reportedAt, notifiedAt)
    return id
  }
  const email = async (
    partnershipId: string,
    kind: string,
    status: string,
    deliveryStatus: string | null = null,
  ) => {
    await insert.notifications(tx, [{
      partnershipId,
      kind,
      recipientEmail: status === 'no_address' ? null : 'someone@example.test',
      recipientKind: kind === 'provider_challenged' ? 'provider_user' : 'gias',
      status,
      deliveryStatus,
      lastError: status === 'failed' ? 'Notify refused the address' : null,
    }])
  }

  // P1: A reports s1 (week 37), the school challenges 2 days after the email, A reports it again
  // (week 39). It ends active, so the row carries no challenge.
  const p1 = await partnership(s1.schoolId, a, '2026-09-21T09:00:00Z', null)
  await event(p1, 'reported', '2026-09-07T10:00:00Z', { delivery_partner_id: a.deliveryPartnerId })
  await challengedEvent(
    p1,
    a,
    { at: '2026-09-09T12:00:00Z', reason: 'mistake', channel: 'email_link' },
    '2026-09-07T10:00:00Z',
    '2026-09-07T12:00:00Z',
  )
  await event(p1, 're_reported', '2026-09-21T09:00:00Z', {
    delivery_partner_id: a.deliveryPartnerId,
  })
  // P2: A reports s2 (week 37); it stands.
  const p2 = await partnership(s2.schoolId, a, '2026-09-08T09:00:00Z', '2026-09-08T09:30:00Z')
  await event(p2, 'reported', '2026-09-08T09:00:00Z', { delivery_partner_id: a.deliveryPartnerId })
  // P3: B reports s3 (week 38); support challenges 4.5 days after the email.
  const p3 = await challengedPartnership(
    s3.schoolId,
    b,
    '2026-09-15T09:00:00Z',
    '2026-09-15T10:00:00Z',
    { at: '2026-09-19T22:00:00Z', reason: 'no_ects', channel: 'support' },
  )
  // P4: B reports s4 (week 38), no email ever accepted; challenged the next day.
  const p4 = await challengedPartnership(s4.schoolId, b, '2026-09-16T09:00:00Z', null, {
    at: '2026-09-17T09:00:00Z',
    reason: 'no_ects',
    channel: 'support',
  })

  await email(p1, 'tutor_first', 'sent', 'delivered')
  await email(p1, 'tutor_reminder', 'cancelled')
  await email(p2, 'school_first', 'sent')
  await email(p2, 'school_reminder', 'queued')
  await email(p3, 'school_first', 'sent', 'permanent-failure')
  await email(p3, 'school_first', 'failed')
  await email(p4, 'school_first', 'no_address')
  await email(p3, 'provider_challenged', 'sent', 'delivered')
  await email(p3, 'provider_challenged', 'sent', 'delivered')

  await actAs(tx, 'analyst')
  return { world, s3 }
}

/** A rolled-back test over the fixed data set, read as role analyst. */
function dataSetTest(
  name: string,
  fn: (tx: Tx, data: Awaited<ReturnType<typeof fixedDataSet>>) => Promise<void>,
): void {
  txTest(name, async (tx) => await fn(tx, await fixedDataSet(tx)))
}

dataSetTest(
  'mi rate views count reports and challenges by lead provider, delivery partner, trust and week',
  async (tx, { world }) => {
    const year = world.startYear
    const rates = (view: string, key: string) =>
      tx.unsafe(
        `select ${key} as key, schools_reported::int as reported,
        schools_challenged::int as challenged, challenge_rate::float8 as rate
      from mi.${view} where cohort_start_year = $1 order by 1`,
        [year],
      )

    assert.deepEqual(
      (await rates('challenge_rates_by_lead_provider', 'lead_provider_name')).map((r) => ({
        ...r,
      })),
      [
        { key: world.a.name, reported: 3, challenged: 1, rate: 0.3333 },
        { key: world.b.name, reported: 2, challenged: 2, rate: 1 },
      ],
    )
    assert.deepEqual(
      (await rates('challenge_rates_by_delivery_partner', 'delivery_partner_name')).map((r) => ({
        ...r,
      })),
      [
        { key: world.a.deliveryPartnerName, reported: 3, challenged: 1, rate: 0.3333 },
        { key: world.b.deliveryPartnerName, reported: 2, challenged: 2, rate: 1 },
      ],
    )
    assert.deepEqual(
      (await rates('challenge_rates_by_trust_type', 'trust_category')).map((r) => ({ ...r })),
      [
        { key: 'Multi-academy trust', reported: 3, challenged: 2, rate: 0.6667 },
        { key: 'Not in a trust', reported: 1, challenged: 1, rate: 1 },
        { key: 'Single-academy trust', reported: 1, challenged: 0, rate: 0 },
      ],
    )
    assert.deepEqual(
      (await rates('challenge_rates_by_week', 'report_iso_week')).map((r) => ({ ...r })),
      [
        { key: '2026-W37', reported: 2, challenged: 1, rate: 0.5 },
        { key: '2026-W38', reported: 2, challenged: 2, rate: 1 },
        { key: '2026-W39', reported: 1, challenged: 0, rate: 0 },
      ],
    )
  },
)

dataSetTest(
  'mi.challenges lists each challenge with its reason, providers, trust and days from email',
  async (tx, { world, s3 }) => {
    const rows = await tx`
    select reason_code, reason_label, channel, lead_provider_name, delivery_partner_name, urn,
      trust_category, challenge_iso_week, days_from_email_to_challenge::float8 as days
    from mi.challenges where cohort_start_year = ${world.startYear}
    order by challenged_at`

    assert.deepEqual(rows.map((row) => [row.reason_code, row.channel, row.days]), [
      ['mistake', 'email_link', 2],
      ['no_ects', 'support', null],
      ['no_ects', 'support', 4.5],
    ])
    assert.deepEqual({ ...rows[2] }, {
      reason_code: 'no_ects',
      reason_label: 'We do not have any early career teachers this year',
      channel: 'support',
      lead_provider_name: world.b.name,
      delivery_partner_name: world.b.deliveryPartnerName,
      urn: s3.urn,
      trust_category: 'Not in a trust',
      challenge_iso_week: '2026-W38',
      days: 4.5,
    })
  },
)

dataSetTest(
  'mi.challenges_by_reason and mi.time_from_email_to_challenge summarise the challenges',
  async (tx, { world }) => {
    const reasons = await tx`
    select reason_code, challenges::int, share_of_challenges::float8 as share
    from mi.challenges_by_reason where cohort_start_year = ${world.startYear}
    order by reason_position`
    const [time] = await tx`
    select challenges::int, challenges_after_an_email::int as after_email,
      mean_days::float8 as mean, median_days::float8 as median, p90_days::float8 as p90,
      max_days::float8 as max
    from mi.time_from_email_to_challenge where cohort_start_year = ${world.startYear}`

    assert.deepEqual(reasons.map((row) => [row.reason_code, row.challenges, row.share]), [
      ['another_provider', 0, 0],
      ['not_confirmed', 0, 0],
      ['do_not_recognise', 0, 0],
      ['no_ects', 2, 0.6667],
      ['mistake', 1, 0.3333],
    ])
    assert.deepEqual({ ...time }, {
      challenges: 3,
      after_email: 2,
      mean: 3.3,
      median: 3.3,
      p90: 4.3,
      max: 4.5,
    })
  },
)

dataSetTest(
  'mi.email_outcomes and mi.undelivered_emails show what happened to each kind of email',
  async (tx, { world }) => {
    const outcomes = await tx`
    select kind, emails::int, waiting::int, sent::int, delivered::int, failed::int,
      no_address::int, cancelled::int
    from mi.email_outcomes where cohort_start_year = ${world.startYear} order by kind`
    const undelivered = await tx`
    select kind, outcome, detail from mi.undelivered_emails
    where cohort_start_year = ${world.startYear} order by outcome`

    assert.deepEqual(outcomes.map((row) => Object.values(row)), [
      ['provider_challenged', 2, 0, 2, 2, 0, 0, 0],
      ['school_first', 4, 0, 2, 0, 2, 1, 0],
      ['school_reminder', 1, 1, 0, 0, 0, 0, 0],
      ['tutor_first', 1, 0, 1, 1, 0, 0, 0],
      ['tutor_reminder', 1, 0, 0, 0, 0, 0, 1],
    ])
    assert.deepEqual(undelivered.map((row) => Object.values(row)), [
      ['school_first', 'No address', null],
      ['school_first', 'Not delivered', 'permanent-failure'],
      ['school_first', 'Not sent', 'Notify refused the address'],
    ])
  },
)

worldTest(
  'mi.reports pairs each report made through the app functions with the challenge that ended it',
  async (tx, world) => {
    const { a, b } = world
    const lost = await createSchool(tx)
    const kept = await createSchool(tx)
    // A reports a school, support challenges it, A reports it again; B reports another school.
    const [first] = await reportAs(tx, a.userId, world, a.deliveryPartnerId, [lost.urn])
    assert.equal(
      (await challengeBySupport(tx, world, first!.partnershipId!, 'no_ects')).status,
      'challenged',
    )
    const [again] = await reportAs(tx, a.userId, world, a.deliveryPartnerId, [lost.urn])
    assert.equal(again!.partnershipId, first!.partnershipId)
    await reportAs(tx, b.userId, world, b.deliveryPartnerId, [kept.urn])
    await actAs(tx, 'analyst')

    const reports = await tx`
      select lead_provider_name, urn, is_re_report, challenged_at is not null as challenged,
        challenge_reason
      from mi.reports where cohort_start_year = ${world.startYear}
      order by report_event_id`
    assert.deepEqual(reports.map((row) => Object.values(row)), [
      [a.name, lost.urn, false, true, 'no_ects'],
      [a.name, lost.urn, true, false, null],
      [b.name, kept.urn, false, false, null],
    ])
    const rates = await tx`
      select lead_provider_name, schools_reported::int, schools_challenged::int
      from mi.challenge_rates_by_lead_provider where cohort_start_year = ${world.startYear}
      order by lead_provider_name`
    assert.deepEqual(rates.map((row) => Object.values(row)), [[a.name, 2, 1], [b.name, 1, 0]])
  },
)
