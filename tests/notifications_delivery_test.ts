/**
 * Across the running stack: reporting schools puts emails in the outbox, the commit wakes the
 * notifications function through pg_net, and the emails reach the Notify double with the right
 * recipient, template and personalisation; reminders, challenges and delivery receipts follow.
 */
import assert from 'node:assert/strict'
import templates from '../notify/templates/templates.json' with {
  type: 'json',
}
import { eventually, mailbox, stack, withSql } from './_stack.ts'
import {
  createWorld,
  type OutboxRow,
  outboxRows,
  reportSchools,
  runSweep,
  settled,
} from './_notifications_world.ts'

const templateId = (kind: string) => templates.find((template) => template.kind === kind)!.id

async function onlyMessage(row: OutboxRow) {
  const messages = await eventually(async () => {
    const found = await mailbox({ reference: row.notification_id })
    return found.length > 0 ? found : undefined
  }, { what: `the ${row.kind} email` })
  assert.equal(messages.length, 1, `${row.kind} was sent once`)
  return messages[0]!
}

Deno.test('reporting schools emails the induction tutor, else the GIAS address, else records no address', () =>
  withSql(async (sql) => {
    const world = await createWorld(sql, {
      schools: [
        {
          tutor: {
            name: 'Priya Shah',
            email: `priya-${crypto.randomUUID()}@school.example.test`,
          },
        },
        {},
        { giasEmail: null },
      ],
    })
    const [tutorSchool, giasSchool, noAddressSchool] = world.schools
    const partnerships = await reportSchools(sql, world)

    const rows = await settled(sql, partnerships)
    const first = (partnershipId: string) =>
      rows.find((row) => row.partnership_id === partnershipId && row.kind.endsWith('_first'))!

    const tutorRow = first(partnerships[0]!)
    assert.equal(tutorRow.kind, 'tutor_first')
    assert.equal(tutorRow.status, 'sent')
    const tutorEmail = await onlyMessage(tutorRow)
    assert.equal(tutorEmail.to, tutorSchool!.tutor!.email)
    assert.equal(tutorEmail.template_id, templateId('tutor_first'))
    assert.equal(tutorRow.notify_id, tutorEmail.id)

    const [deadline] = await sql<{ date: string }[]>`
      select app.london_long_date(app.partnership_deadline_date(${partnerships[
      0
    ]!})) as date`
    const { report_link: link, ...rest } = tutorEmail.personalisation
    assert.deepEqual(rest, {
      tutor_name: 'Priya Shah',
      school_name: tutorSchool!.name,
      urn: tutorSchool!.urn,
      lead_provider_name: world.leadProvider.name,
      delivery_partner_name: world.deliveryPartner.name,
      cohort: '2026 to 2027',
      deadline: deadline!.date,
      // Empty: this school is in no multi-academy trust.
      trust_sentence: '',
      support_email: rest.support_email,
    })
    assert.match(
      deadline!.date,
      /^(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day \d{1,2} [A-Z][a-z]+ \d{4}$/,
    )
    assert.ok(
      link?.startsWith(`${stack.webUrl}/report-a-mistake#`),
      'the token is in the fragment',
    )
    const [status] = await sql<{ status: string }[]>`
      select app.challenge_link_status(${link!.split(
      '#',
    )[1]!})->>'status' as status`
    assert.equal(
      status!.status,
      'open',
      'the emailed link opens the report page',
    )
    assert.match(tutorEmail.body, new RegExp(world.deliveryPartner.name))

    const giasRow = first(partnerships[1]!)
    assert.equal(giasRow.kind, 'school_first')
    const giasEmail = await onlyMessage(giasRow)
    assert.equal(giasEmail.to, giasSchool!.giasEmail)
    assert.equal(giasEmail.template_id, templateId('school_first'))
    assert.equal(giasEmail.personalisation.school_name, giasSchool!.name)
    assert.equal(giasEmail.personalisation.tutor_name, undefined)

    const noAddressRow = first(partnerships[2]!)
    assert.equal(noAddressRow.status, 'no_address')
    assert.equal(noAddressRow.recipient_email, null)
    assert.equal(noAddressSchool!.giasEmail, null)

    const notified = await sql<{ partnership_id: string }[]>`
      select partnership_id from public.partnerships
      where partnership_id = any(${partnerships}::uuid[]) and school_notified_at is not null`
    assert.deepEqual(
      notified.map((row) => row.partnership_id).sort(),
      [partnerships[0]!, partnerships[1]!].sort(),
      'the window starts when Notify accepts the email',
    )
  }))

Deno.test('the reminder goes at +7 days, and not after a challenge or a re-report', () =>
  withSql(async (sql) => {
    const world = await createWorld(sql, { schools: [{}, {}, {}], users: 2 })
    const partnerships = await reportSchools(sql, world)
    const rows = await settled(sql, partnerships)
    const reminders = partnerships.map((id) =>
      rows.find((row) => row.partnership_id === id && row.kind === 'school_reminder')!
    )
    assert.ok(
      reminders.every((row) => row.status === 'queued'),
      'reminders wait for 7 days',
    )

    const tokenOf = async (partnershipId: string) => {
      const row = rows.find((r) => r.partnership_id === partnershipId && r.kind === 'school_first')!
      const [email] = await mailbox({ reference: row.notification_id })
      return email!.personalisation.report_link!.split('#')[1]!
    }
    const [, challenged, reReported] = partnerships as [string, string, string]
    for (const partnershipId of [challenged, reReported]) {
      const [result] = await sql<{ status: string }[]>`
        select app.challenge_by_token(${await tokenOf(
        partnershipId,
      )}, 'not_confirmed')->>'status'
          as status`
      assert.equal(result!.status, 'challenged')
    }
    await reportSchools(sql, world, [world.schools[2]!.urn])

    // Seven days pass for the first reminders: the sweep finds them due.
    await sql`
      update public.notifications set due_at = now() - interval '1 second'
      where notification_id = any(${reminders.map((row) => row.notification_id)}::uuid[])
        and status = 'queued'`
    await runSweep(sql)
    const after = await settled(sql, partnerships)
    const statusOf = (id: string) => after.find((row) => row.notification_id === id)!.status
    assert.equal(statusOf(reminders[0]!.notification_id), 'sent')
    assert.equal(
      statusOf(reminders[1]!.notification_id),
      'cancelled',
      'challenged: no reminder',
    )
    assert.equal(
      statusOf(reminders[2]!.notification_id),
      'cancelled',
      're-reported: no reminder',
    )
    const [reminder] = await mailbox({ reference: reminders[0]!.notification_id })
    assert.equal(reminder!.template_id, templateId('school_reminder'))
    assert.equal(reminder!.to, world.schools[0]!.giasEmail)

    assert.ok(
      after.filter((row) => row.kind === 'provider_challenged').every((row) =>
        row.status === 'sent'
      ),
      'each challenge is reported to the provider, even when the school is reported again',
    )
    const reReportEmails = after.filter((row) =>
      row.partnership_id === reReported && row.status !== 'cancelled' &&
      row.kind !== 'provider_challenged'
    )
    assert.deepEqual(
      reReportEmails.map((row) => [row.kind, row.status]).sort(),
      [['school_first', 'sent'], ['school_first', 'sent'], [
        'school_reminder',
        'queued',
      ]],
      'the re-report sends a new first email and waits 7 days for its own reminder',
    )
  }))

Deno.test('a challenge emails every user of the lead provider once, with the reason', () =>
  withSql(async (sql) => {
    const world = await createWorld(sql, { schools: [{}], users: 3 })
    const [partnershipId] = await reportSchools(sql, world) as [string]
    const [first] = (await settled(sql, [partnershipId])).filter((row) =>
      row.kind === 'school_first'
    )
    const [email] = await mailbox({ reference: first!.notification_id })
    const token = email!.personalisation.report_link!.split('#')[1]!
    await sql`select app.challenge_by_token(${token}, 'do_not_recognise')`
    await sql`select app.challenge_by_token(${token}, 'mistake')`

    const providerRows = (await settled(sql, [partnershipId]))
      .filter((row) => row.kind === 'provider_challenged')
    assert.equal(providerRows.length, 3)
    const sent = await Promise.all(providerRows.map(async (row) => {
      assert.equal(row.status, 'sent')
      const messages = await mailbox({ reference: row.notification_id })
      assert.equal(messages.length, 1)
      return messages[0]!
    }))
    assert.deepEqual(
      sent.map((message) => message.to).sort(),
      world.users.map((u) => u.email).sort(),
    )
    for (const message of sent) {
      assert.equal(message.template_id, templateId('provider_challenged'))
      assert.deepEqual(message.personalisation, {
        school_name: world.schools[0]!.name,
        urn: world.schools[0]!.urn,
        lead_provider_name: world.leadProvider.name,
        delivery_partner_name: world.deliveryPartner.name,
        cohort: '2026 to 2027',
        reason_label: 'I do not recognise this training provider',
        schools_link: `${stack.webUrl}/provider/schools?cohort=2026&q=${world.schools[0]!.urn}`,
        support_email: message.personalisation.support_email,
      })
    }
  }))

Deno.test("a permanent failure to the induction tutor's address sends the email to the GIAS address", () =>
  withSql(async (sql) => {
    const world = await createWorld(sql, {
      schools: [{
        tutor: { name: 'Sam Jones', email: 'perm-fail@simulator.notify' },
      }],
    })
    const [partnershipId] = await reportSchools(sql, world) as [string]
    const fallback = await eventually(async () => {
      const rows = await outboxRows(sql, [partnershipId])
      return rows.find((row) =>
        row.recipient_kind === 'gias' && row.kind === 'school_first' &&
        row.status === 'sent'
      )
    }, { what: 'the email to the GIAS address' })
    const [message] = await mailbox({ reference: fallback.notification_id })
    assert.equal(message!.to, world.schools[0]!.giasEmail)
    assert.equal(message!.template_id, templateId('school_first'))

    const rows = await outboxRows(sql, [partnershipId])
    const tutorFirst = rows.find((row) => row.kind === 'tutor_first')!
    assert.equal(tutorFirst.delivery_status, 'permanent-failure')
    assert.deepEqual(
      rows.filter((row) => row.kind.endsWith('_reminder')).map((
        row,
      ) => [row.kind, row.recipient_email]),
      [['school_reminder', world.schools[0]!.giasEmail]],
      'the waiting reminder follows the email to the GIAS address',
    )
  }))
