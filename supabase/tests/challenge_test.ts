/**
 * Reporting a mistake: app.challenge_link_status() and app.challenge_by_token() as the challenge
 * function calls them (service_role), and app.challenge_by_support() as a support user.
 */
import assert from 'node:assert/strict'
import {
  actAs,
  asService,
  challengeBySupport,
  createLinkToken,
  createSchool,
  createWorld,
  errorOf,
  reportAs,
  type Tx,
  txTest,
  type World,
  worldTest,
} from './_db.ts'

interface ChallengeResult {
  status: string
  school_name?: string
}

async function reported(tx: Tx, world: World) {
  const school = await createSchool(tx, {
    tutor: { fullName: 'Tia Tutor', email: 'tia@school.example.test' },
  })
  const [row] = await reportAs(tx, world.a.userId, world, world.a.deliveryPartnerId, [school.urn])
  const partnershipId = row!.partnershipId!
  return { school, partnershipId, token: await createLinkToken(tx, partnershipId) }
}

async function linkStatus(tx: Tx, token: string | null) {
  return await asService(tx, async (service) => {
    const [row] = await service<{ result: Record<string, unknown> }[]>`
      select app.challenge_link_status(${token}) as result`
    return row!.result
  })
}

async function challengeByToken(tx: Tx, token: string | null, reason: string | null) {
  return await asService(tx, async (service) => {
    const [row] = await service<{ result: ChallengeResult }[]>`
      select app.challenge_by_token(${token}, ${reason}) as result`
    return row!.result
  })
}

async function stateOf(tx: Tx, partnershipId: string) {
  const [row] = await tx`
    select
      (select to_jsonb(p) from public.partnerships p where partnership_id = ${partnershipId})
        as partnership,
      (select count(*)::int from public.partnership_events where partnership_id = ${partnershipId})
        as events,
      (select jsonb_agg(jsonb_build_object('kind', kind, 'status', status) order by kind, status)
        from public.notifications where partnership_id = ${partnershipId}) as emails`
  return row
}

worldTest(
  'challenge_link_status() tells the school who reported it, for which cohort, until when',
  async (tx, world) => {
    const { school, token } = await reported(tx, world)
    // The school's name and URN come from the partnership's copies of them (20261201000000):
    // a rename reaches the answer through the trigger that keeps those copies.
    await tx`update public.schools set name = ${school.name + ' Academy'} where urn = ${school.urn}`

    const status = await linkStatus(tx, token)

    const [expected] = await tx<{ deadline: string }[]>`
    select ((now() at time zone 'Europe/London')::date + 14)::text as deadline`
    assert.deepEqual(status, {
      status: 'open',
      school_name: `${school.name} Academy`,
      urn: school.urn,
      lead_provider_name: world.a.name,
      delivery_partner_name: world.a.deliveryPartnerName,
      cohort: `${world.startYear} to ${world.startYear + 1}`,
      deadline: expected!.deadline,
    })
  },
)

txTest(
  'challenge_link_status() returns not_found for unknown, empty and missing tokens',
  async (tx) => {
    for (const token of [crypto.randomUUID(), '', null, 'x'.repeat(10_000)]) {
      assert.deepEqual(await linkStatus(tx, token), { status: 'not_found' })
    }
  },
)

worldTest(
  'challenge_link_status() returns challenged with the school name once reported',
  async (tx, world) => {
    const { school, token } = await reported(tx, world)
    await challengeByToken(tx, token, 'no_ects')

    assert.deepEqual(await linkStatus(tx, token), {
      status: 'challenged',
      school_name: school.name,
    })
  },
)

worldTest(
  'challenge_by_token() records the reason, stops the partnership and emails every user of the lead provider',
  async (tx, world) => {
    const { school, partnershipId, token } = await reported(tx, world)
    await tx`update public.notifications set status = 'sent'
    where partnership_id = ${partnershipId} and kind = 'tutor_first'`

    const result = await challengeByToken(tx, token, 'do_not_recognise')

    assert.deepEqual(result, { status: 'challenged', school_name: school.name })
    const [partnership] = await tx`
    select challenged_at = now() as challenged_now, challenge_reason, challenge_channel,
      challenged_by, challenge_note
    from public.partnerships where partnership_id = ${partnershipId}`
    assert.deepEqual({ ...partnership }, {
      challenged_now: true,
      challenge_reason: 'do_not_recognise',
      challenge_channel: 'email_link',
      challenged_by: null,
      challenge_note: null,
    })
    const [event] = await tx`
    select channel, actor_user_id, details from public.partnership_events
    where partnership_id = ${partnershipId} and kind = 'challenged'`
    assert.equal(event!.channel, 'email_link')
    assert.equal(event!.actor_user_id, null)
    assert.equal(event!.details.reason, 'do_not_recognise')
    assert.equal(event!.details.delivery_partner_id, world.a.deliveryPartnerId)
    const emails = await tx`
    select kind, status, recipient_email, recipient_kind from public.notifications
    where partnership_id = ${partnershipId} order by kind, recipient_email`
    const providerEmails = emails.filter((email) => email.kind === 'provider_challenged')
    const [a2] = await tx`select email from public.provider_users where user_id = ${world.a2UserId}`
    assert.deepEqual(
      providerEmails.map((email) => [email.recipient_email, email.recipient_kind, email.status]),
      [world.a.userEmail, a2!.email].sort().map((email) => [email, 'provider_user', 'queued']),
    )
    // The email already sent stays sent; the reminder not yet sent is cancelled.
    assert.deepEqual(
      emails.filter((email) => email.kind !== 'provider_challenged').map((
        e,
      ) => [e.kind, e.status]),
      [['tutor_first', 'sent'], ['tutor_reminder', 'cancelled']],
    )
    const [active] = await tx<{ count: number }[]>`
    select count(*)::int from public.partnerships
    where school_id = ${school.schoolId} and challenged_at is null`
    assert.equal(active!.count, 0)
  },
)

worldTest(
  'challenge_by_token() returns already_challenged the second time and changes nothing',
  async (tx, world) => {
    const { school, partnershipId, token } = await reported(tx, world)
    await challengeByToken(tx, token, 'mistake')
    const before = await stateOf(tx, partnershipId)

    const second = await challengeByToken(tx, token, 'no_ects')

    assert.deepEqual(second, { status: 'already_challenged', school_name: school.name })
    assert.deepEqual(await stateOf(tx, partnershipId), before)
  },
)

worldTest(
  'challenge_by_token() returns not_found, invalid_reason or expired and changes nothing',
  async (tx, world) => {
    const { school, partnershipId, token } = await reported(tx, world)
    const before = await stateOf(tx, partnershipId)

    assert.deepEqual(await challengeByToken(tx, crypto.randomUUID(), 'mistake'), {
      status: 'not_found',
    })
    assert.deepEqual(await challengeByToken(tx, null, 'mistake'), { status: 'not_found' })
    for (const reason of ['', 'MISTAKE', 'nonsense', null]) {
      assert.deepEqual(await challengeByToken(tx, token, reason), { status: 'invalid_reason' })
    }
    assert.deepEqual(await stateOf(tx, partnershipId), before)

    await tx`update public.partnerships set school_notified_at = now() - interval '20 days'
    where partnership_id = ${partnershipId}`
    const expiredBefore = await stateOf(tx, partnershipId)
    assert.deepEqual(await challengeByToken(tx, token, 'mistake'), {
      status: 'expired',
      school_name: school.name,
    })
    assert.deepEqual(await stateOf(tx, partnershipId), expiredBefore)
  },
)

worldTest(
  'challenge_by_support() challenges after the window, records who and the note, never twice',
  async (tx, world) => {
    const { school, partnershipId } = await reported(tx, world)
    await tx`update public.partnerships set school_notified_at = now() - interval '60 days'
    where partnership_id = ${partnershipId}`

    const first = await challengeBySupport(
      tx,
      world,
      partnershipId,
      'another_provider',
      '  Rang us  ',
    )
    const second = await challengeBySupport(tx, world, partnershipId, 'mistake')

    assert.deepEqual(first, { status: 'challenged', school_name: school.name })
    assert.deepEqual(second, { status: 'already_challenged', school_name: school.name })
    const [partnership] = await tx`
    select challenge_reason, challenge_channel, challenged_by, challenge_note
    from public.partnerships where partnership_id = ${partnershipId}`
    assert.deepEqual({ ...partnership }, {
      challenge_reason: 'another_provider',
      challenge_channel: 'support',
      challenged_by: world.supportUserId,
      challenge_note: 'Rang us',
    })
    const events = await tx`
    select actor_user_id, channel from public.partnership_events
    where partnership_id = ${partnershipId} and kind = 'challenged'`
    assert.deepEqual(events.map((e) => [e.actor_user_id, e.channel]), [
      [world.supportUserId, 'support'],
    ])
    const [emails] = await tx<{ count: number }[]>`
    select count(*)::int from public.notifications
    where partnership_id = ${partnershipId} and kind = 'provider_challenged'`
    assert.equal(emails!.count, 2)
  },
)

worldTest(
  'challenge_by_support() returns not_found, invalid_reason or invalid_note and changes nothing',
  async (tx, world) => {
    const { partnershipId } = await reported(tx, world)
    const before = await stateOf(tx, partnershipId)

    assert.deepEqual(await challengeBySupport(tx, world, crypto.randomUUID()), {
      status: 'not_found',
    })
    assert.deepEqual(await challengeBySupport(tx, world, partnershipId, 'nonsense'), {
      status: 'invalid_reason',
    })
    assert.deepEqual(
      await challengeBySupport(tx, world, partnershipId, 'mistake', 'x'.repeat(2001)),
      { status: 'invalid_note' },
    )
    assert.deepEqual(await stateOf(tx, partnershipId), before)
  },
)

txTest('challenge_by_support() refuses provider users and users with no role', async (tx) => {
  const world = await createWorld(tx)
  const { partnershipId } = await reported(tx, world)
  const before = await stateOf(tx, partnershipId)

  for (const userId of [world.a.userId, world.nobodyUserId]) {
    const error = await errorOf(tx, async (sp) => {
      await actAs(sp, 'app_user', userId)
      await sp`select app.challenge_by_support(${partnershipId}, 'mistake', null)`
    })
    assert.equal(error.message, 'not_a_support_user')
    assert.equal(error.hint, 'Only DfE support users can report a mistake for a school.')
  }
  assert.deepEqual(await stateOf(tx, partnershipId), before)
})
