/**
 * The `support` function through the running stack (gateway, real sign-in, Postgres, the
 * notification sender and the Notify double): reading a school's history, challenging on its
 * behalf, resending its email, listing undelivered emails, and refusing everyone who is not a
 * support user. Finding schools is proven through `app.request()` in
 * supabase/functions/support/app_test.ts.
 */
import assert from 'node:assert/strict'
import { assertError } from './_answers.ts'
import { partnershipState } from './_challenge_world.ts'
import { reasonLabels } from './_report_page.ts'
import { eventually, mailbox, stack } from './_stack.ts'
import { callSupport, type SignedInUser, withSupportWorld } from './support_world.ts'
import * as insert from './world.ts'
import { daysFromNow } from './_made_up.ts'

type Partnership = {
  partnership_id: string
  status: string
  deadline: string
  window_closed: boolean
  challenge_channel: string | null
  challenge_note: string | null
  events: { kind: string; channel: string | null; by: { name: string; role: string } | null }[]
  emails: { kind: string; recipient_email: string | null; recipient_kind: string; status: string }[]
}

async function schoolPage(support: SignedInUser, urn: string) {
  const answer = await callSupport(support, 'GET', `/schools/${urn}`)
  assert.equal(answer.status, 200, JSON.stringify(answer.body))
  return answer.body as {
    school: Record<string, unknown>
    partnerships: Partnership[]
    reasons: { code: string; label: string }[]
  }
}

function everyRoute(
  { urn, partnershipId }: { urn: string; partnershipId: string },
): [method: 'GET' | 'POST', path: string, body?: unknown][] {
  return [
    ['GET', '/me'],
    ['GET', `/schools?q=${urn}`],
    ['GET', `/schools/${urn}`],
    ['POST', `/partnerships/${partnershipId}/challenge`, { reason: 'mistake', note: '' }],
    ['POST', `/partnerships/${partnershipId}/resend`, { email: 'head@school.example.test' }],
    ['GET', '/emails/undelivered'],
  ]
}

Deno.test(
  'support API answers 401 on every route to a caller who is not signed in',
  withSupportWorld(async (sql, world) => {
    const before = await partnershipState(sql, world.link)
    for (const [method, path, body] of everyRoute(world.link)) {
      const answer = await callSupport(undefined, method, path, body)
      assertError(answer, 401, 'unauthorised', `${method} ${path}`)
    }
    assert.deepEqual(await partnershipState(sql, world.link), before)
  }),
)

Deno.test(
  'support API answers 403 not_support_user on every route to a provider user',
  withSupportWorld(async (sql, world) => {
    const before = await partnershipState(sql, world.link)
    for (const [method, path, body] of everyRoute(world.link)) {
      const answer = await callSupport(world.provider, method, path, body)
      assert.equal(answer.status, 403, `${method} ${path}`)
      assert.deepEqual(answer.body.error, {
        code: 'not_support_user',
        message: 'You do not have access to the DfE support tools',
      })
    }
    assert.deepEqual(await partnershipState(sql, world.link), before)
  }),
)

Deno.test(
  'GET /support/me names the signed-in support user',
  withSupportWorld(async (_sql, world) => {
    const answer = await callSupport(world.support, 'GET', '/me')
    assert.equal(answer.status, 200)
    assert.deepEqual(answer.body, {
      user: { full_name: world.support.fullName, email: world.support.email },
    })
  }),
)

Deno.test(
  'GET /support/schools/:urn lists the reasons in the order the school journey shows them',
  withSupportWorld(async (_sql, world) => {
    const { reasons } = await schoolPage(world.support, world.link.urn)
    assert.deepEqual(
      reasons.map((reason) => [reason.code, reason.label]),
      Object.entries(reasonLabels),
    )
  }),
)

Deno.test(
  'support challenges after the deadline, the provider is emailed, and a second challenge is refused',
  withSupportWorld(async (sql, world) => {
    const before = (await schoolPage(world.support, world.link.urn)).partnerships[0]!
    assert.equal(before.window_closed, true)

    const path = `/partnerships/${world.link.partnershipId}/challenge`
    const note = 'Head teacher phoned: they never agreed to this provider.'
    const challenged = await callSupport(world.support, 'POST', path, {
      reason: 'not_confirmed',
      note,
    })
    assert.equal(challenged.status, 200, JSON.stringify(challenged.body))
    assert.deepEqual(challenged.body, { status: 'challenged', school_name: world.link.schoolName })

    const after = (await schoolPage(world.support, world.link.urn)).partnerships[0]!
    assert.equal(after.status, 'challenged')
    assert.equal(after.challenge_channel, 'support')
    assert.equal(after.challenge_note, note)
    const event = after.events.find((e) => e.kind === 'challenged')
    assert.deepEqual(event?.by, { name: world.support.fullName, role: 'support' })
    assert.equal(event?.channel, 'support')

    const [email] = await eventually(async () => {
      const mail = await mailbox({ to: world.provider.email })
      return mail.some((m) => m.personalisation.reason_label) ? mail : undefined
    }, { what: "the provider's email" })
    assert.equal(email?.personalisation.school_name, world.link.schoolName)
    assert.equal(email?.personalisation.reason_label, 'We have not confirmed an agreement')

    const state = await partnershipState(sql, world.link)
    const again = await callSupport(world.support, 'POST', path, { reason: 'mistake', note: '' })
    assert.equal(again.status, 409)
    assert.deepEqual(again.body.error, {
      code: 'already_challenged',
      message: `A mistake has already been reported for ${world.link.schoolName}`,
    })
    assert.deepEqual(await partnershipState(sql, world.link), state)
  }, { emailedDaysAgo: 30 }),
)

Deno.test(
  'support challenge refuses bad input with a 4xx and changes nothing',
  withSupportWorld(async (sql, world) => {
    const before = await partnershipState(sql, world.link)
    const path = `/partnerships/${world.link.partnershipId}/challenge`
    const cases: [body: unknown, status: number, code: string][] = [
      [{ reason: 'bored', note: '' }, 422, 'invalid_reason'],
      [{ reason: '', note: '' }, 400, 'invalid_request'],
      [{ reason: 'mistake', note: 'x'.repeat(2001) }, 400, 'invalid_request'],
      [{ note: 'no reason' }, 400, 'invalid_request'],
    ]
    for (const [body, status, code] of cases) {
      const answer = await callSupport(world.support, 'POST', path, body)
      assertError(answer, status, code, JSON.stringify(body).slice(0, 60))
    }
    const notUuid = await callSupport(world.support, 'POST', '/partnerships/42/challenge', {
      reason: 'mistake',
    })
    assert.equal(notUuid.status, 400)
    const unknown = await callSupport(
      world.support,
      'POST',
      `/partnerships/${crypto.randomUUID()}/challenge`,
      { reason: 'mistake' },
    )
    assertError(unknown, 404, 'not_found')
    assert.deepEqual(await partnershipState(sql, world.link), before)
  }),
)

Deno.test(
  'support resends the school email to a corrected address, recorded as theirs; the reminder follows and the deadline restarts',
  withSupportWorld(async (sql, world) => {
    // The first email bounced 20 days ago; its reminder is still waiting for the same address.
    const old = `office-${crypto.randomUUID().slice(0, 8)}@school.example.test`
    const partnershipId = world.link.partnershipId
    await insert.notifications(sql, [
      {
        partnershipId,
        recipientEmail: old,
        status: 'sent',
        dueAt: daysFromNow(-20),
        deliveryStatus: 'permanent-failure',
        createdAt: daysFromNow(-20),
      },
      {
        partnershipId,
        kind: 'school_reminder',
        recipientEmail: old,
        dueAt: daysFromNow(1),
        createdAt: daysFromNow(-20),
      },
    ])
    const corrected = `head-${crypto.randomUUID().slice(0, 8)}@school.example.test`
    const answer = await callSupport(
      world.support,
      'POST',
      `/partnerships/${world.link.partnershipId}/resend`,
      { email: `  ${corrected} ` },
    )
    assert.equal(answer.status, 202, JSON.stringify(answer.body))
    assert.equal(answer.body.status, 'queued')
    assert.equal(answer.body.school_name, world.link.schoolName)

    const [email] = await eventually(async () => {
      const mail = await mailbox({ to: corrected })
      return mail.length ? mail : undefined
    }, { what: 'the resent email' })
    assert.equal(email?.reference, answer.body.notification_id)
    assert.equal(email?.personalisation.school_name, world.link.schoolName)
    const token = email?.personalisation.report_link?.split('#')[1] ?? ''
    assert.match(token, /^[\w-]{43}$/)

    const page = await eventually(async () => {
      const partnership = (await schoolPage(world.support, world.link.urn)).partnerships[0]!
      return partnership.events.some((e) => e.kind === 'notified') ? partnership : undefined
    }, { what: 'the resend to be recorded' })
    assert.equal(page.window_closed, false)
    const requested = page.events.find((e) => e.kind === 'resend_requested')
    assert.deepEqual(
      requested && { channel: requested.channel, by: requested.by },
      { channel: 'support', by: { name: world.support.fullName, role: 'support' } },
      'the timeline names the support user who asked for the resend',
    )
    const link = await fetch(`${stack.apiUrl}/functions/v1/challenge/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', apikey: stack.publishableKey },
      body: JSON.stringify({ token }),
    })
    assert.equal(
      (await link.json()).status,
      'open',
      'the new link lets the school report a mistake',
    )
    assert.deepEqual(
      page.emails.map((e) => [e.kind, e.recipient_email, e.recipient_kind, e.status]),
      [
        ['school_first', old, 'gias', 'sent'],
        ['school_reminder', corrected, 'support_corrected', 'queued'],
        ['school_first', corrected, 'support_corrected', 'sent'],
      ],
    )
  }, { emailedDaysAgo: 20 }),
)

Deno.test(
  'support resend refuses a bad address or a challenged partnership and changes nothing',
  withSupportWorld(async (sql, world) => {
    const path = `/partnerships/${world.link.partnershipId}/resend`
    const before = await partnershipState(sql, world.link)
    for (const email of ['', 'not an address', 'a@b', `${'x'.repeat(320)}@example.test`]) {
      const answer = await callSupport(world.support, 'POST', path, { email })
      assertError(answer, 400, 'invalid_request', email.slice(0, 40))
    }
    assert.deepEqual(await partnershipState(sql, world.link), before)

    const challengePath = `/partnerships/${world.link.partnershipId}/challenge`
    assert.equal(
      (await callSupport(world.support, 'POST', challengePath, { reason: 'mistake' })).status,
      200,
    )
    const state = await partnershipState(sql, world.link)
    const refused = await callSupport(world.support, 'POST', path, {
      email: 'head@school.example.test',
    })
    assertError(refused, 409, 'already_challenged')
    assert.deepEqual(await partnershipState(sql, world.link), state)
  }),
)

Deno.test(
  'GET /support/emails/undelivered lists failed, undelivered and no-address emails only',
  withSupportWorld(async (sql, world) => {
    // Written at one moment: none is a later email to the school than the others.
    const createdAt = new Date().toISOString()
    const emails = [
      { recipientEmail: null, status: 'no_address' },
      { recipientEmail: 'gone@school.example.test', status: 'failed' },
      {
        recipientEmail: 'bounced@school.example.test',
        status: 'sent',
        deliveryStatus: 'permanent-failure',
      },
      { recipientEmail: 'fine@school.example.test', status: 'sent', deliveryStatus: 'delivered' },
    ].map((email) => ({ ...email, partnershipId: world.link.partnershipId, createdAt }))
    const ids = await insert.notifications(sql, emails)
    const rows = ids.map((notification_id, index) => ({
      notification_id,
      label: emails[index]!.recipientEmail ?? 'none',
    }))
    const answer = await callSupport(world.support, 'GET', '/emails/undelivered')
    assert.equal(answer.status, 200)
    const listed = new Set(
      (answer.body.emails as { notification_id: string }[]).map((e) => e.notification_id),
    )
    assert.deepEqual(
      rows.map((row) => [row.label, listed.has(row.notification_id)]),
      [
        ['none', true],
        ['gone@school.example.test', true],
        ['bounced@school.example.test', true],
        ['fine@school.example.test', false],
      ],
    )
  }),
)

Deno.test(
  'two support challenges at once record exactly one challenge and one provider email',
  withSupportWorld(async (sql, world) => {
    const path = `/partnerships/${world.link.partnershipId}/challenge`
    const answers = await Promise.all(
      ['mistake', 'no_ects'].map((reason) => callSupport(world.support, 'POST', path, { reason })),
    )
    assert.deepEqual(answers.map((answer) => answer.status).sort(), [200, 409])
    const [counts] = await sql<{ challenges: number; provider_emails: number }[]>`
      select
        (select count(*)::int from public.partnership_events e
          where e.partnership_id = ${world.link.partnershipId} and e.kind = 'challenged')
          as challenges,
        (select count(*)::int from public.notifications n
          where n.partnership_id = ${world.link.partnershipId} and n.kind = 'provider_challenged')
          as provider_emails`
    assert.deepEqual(counts, { challenges: 1, provider_emails: 1 })
  }),
)
