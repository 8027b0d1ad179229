/**
 * DfE support's pages in real Chromium against the running stack: signing in with the code from
 * the mailbox, finding a school by URN and by name, its events and emails, reporting a mistake
 * for it after its deadline (the lead provider's email arriving), a second report refused, sending
 * its email to a corrected address (the email arriving, the timeline naming who asked), the list
 * of emails that could not be delivered, and a signed-in person who is not a support user shown
 * that they do not have access. axe checks every state at desktop width and at 320 px.
 */
import assert from 'node:assert/strict'
import type postgres from 'postgres'
import { withBrowser } from './_browser.ts'
import { reasonLabels, reasonRequired } from './_report_page.ts'
import { connect, eventually, stack, waitForEmail } from './_stack.ts'
import { SupportPages } from './support_portal.ts'
import { callSupport, createSupportWorld, type SupportWorld } from './support_world.ts'
import * as insert from './world.ts'
import { daysFromNow } from './_made_up.ts'

/**
 * The history the sender and Notify would have left: the provider's report, the school's first
 * email sent and then bounced. Returns the address it bounced from.
 */
async function addBouncedFirstEmail(sql: postgres.Sql, world: SupportWorld): Promise<string> {
  const address = `office-${crypto.randomUUID().slice(0, 8)}@school.example.test`
  const partnershipId = world.link.partnershipId
  const sent = daysFromNow(-30)
  const [notificationId] = await insert.notifications(sql, [{
    partnershipId,
    recipientEmail: address,
    status: 'sent',
    sentAt: sent,
    deliveryStatus: 'permanent-failure',
    deliveryStatusAt: sent,
    createdAt: sent,
  }])
  const email = { notification_id: notificationId, kind: 'school_first', recipient_kind: 'gias' }
  await insert.partnershipEvents(sql, [
    // A report's event names its delivery partner, as app.report_schools writes it (MI reads it).
    {
      partnershipId,
      kind: 'reported',
      channel: 'portal',
      actorUserId: world.provider.id,
      details: { delivery_partner_id: world.link.deliveryPartnerId },
      createdAt: daysFromNow(-31),
    },
    {
      partnershipId,
      kind: 'notified',
      channel: 'notify',
      details: { ...email, delivery_status: null },
      createdAt: sent,
    },
    {
      partnershipId,
      kind: 'delivery_failed',
      channel: 'notify',
      details: { ...email, delivery_status: 'permanent-failure' },
      createdAt: sent,
    },
  ])
  return address
}

/** A test body with a fresh support world and a browser page, both cleaned up after. */
function withSupportPages(
  fn: (pages: SupportPages, world: SupportWorld, sql: postgres.Sql) => Promise<void>,
  { emailedDaysAgo = 0, javaScriptEnabled = true } = {},
): () => Promise<void> {
  return async () => {
    const sql = connect()
    try {
      const world = await createSupportWorld(sql, { emailedDaysAgo })
      await withBrowser(async (browser) => {
        const pages = await SupportPages.open(browser, { javaScriptEnabled })
        try {
          await fn(pages, world, sql)
        } finally {
          await pages.end()
        }
      })
    } finally {
      await sql.end()
    }
  }
}

Deno.test(
  'browser: support finds a school by URN and by name, sees its emails and events, and reports a mistake for it after the deadline',
  withSupportPages(async (pages, world, sql) => {
    const { link, support, provider } = world
    const bounced = await addBouncedFirstEmail(sql, world)

    // Signed out: the tools send the person to sign in, and bring them back after.
    await pages.goto('/support')
    await pages.page.waitForURL(/\/support\/sign-in\?next=/)
    await pages.heading('Sign in to the DfE support tools').waitFor()
    await pages.assertAccessible('sign in')
    await pages.signIn(support.email)
    await pages.page.waitForURL(`${stack.webUrl}/support`)
    await pages.page.getByText(`You are signed in as ${support.fullName}`).waitFor()
    await pages.assertAccessible('find a school')

    await pages.button('Search')
    await pages.error('Enter a school URN or name').waitFor()
    assert.match(await pages.page.title(), /^Error: Find a school/)
    await pages.assertAccessible('search with nothing entered')

    // By URN, with the results list.
    await pages.page.getByLabel('School URN or name').fill(link.urn)
    await pages.button('Search')
    await pages.page.getByRole('table', { name: 'Schools found' }).waitFor()
    assert.deepEqual(await pages.rows('Schools found'), [[
      link.schoolName,
      link.urn,
      'Test Borough',
      '1',
    ]])
    await pages.assertAccessible('search results')
    await pages.link(link.schoolName)
    await pages.heading(link.schoolName).waitFor()

    // The school's history: who reported it, the email and its bounce, each email's status.
    const history = await pages.rows('What has happened')
    assert.deepEqual(history.map(([, what, who]) => [what, who]), [
      [
        'Lead provider reported the school',
        `${provider.fullName}, lead provider, using the service`,
      ],
      [`Email to the school sent to ${bounced} (school’s address in GIAS)`, 'GOV.UK Notify'],
      [
        `Email to the school not delivered to ${bounced} (school’s address in GIAS): the address does not exist or refused it`,
        'GOV.UK Notify',
      ],
    ])
    const [email] = await pages.rows('Emails')
    assert.deepEqual(email!.slice(0, 2), [
      'Email to the school',
      `${bounced} (school’s address in GIAS)`,
    ])
    assert.match(email![2]!, /^Not delivered/)
    await pages.page.getByText('(passed)').waitFor()
    await pages.assertAccessible('school page')

    // By part of the name.
    await pages.findSchool(link.schoolName.slice(-16), link.schoolName)

    // Report a mistake for the school, 30 days after its email.
    await pages.link(/^Report a mistake for the school/)
    await pages.heading('Why is this confirmation incorrect?').waitFor()
    assert.deepEqual(
      await pages.page.getByRole('group', { name: 'Why is this confirmation incorrect?' })
        .locator('label').allInnerTexts(),
      Object.values(reasonLabels),
      'the same reasons, in the same order, as the school’s own page',
    )
    await pages.button('Continue')
    await pages.error(reasonRequired).waitFor()
    await pages.assertAccessible('no reason chosen')

    await pages.page.getByLabel(reasonLabels.not_confirmed).check()
    await pages.page.getByLabel('Note (optional)').fill('x'.repeat(2001))
    await pages.button('Continue')
    await pages.error('The note must be 2,000 characters or fewer').waitFor()
    assert.equal(await pages.page.getByLabel(reasonLabels.not_confirmed).isChecked(), true)

    const note = 'Head teacher phoned: they never agreed to this provider.'
    await pages.page.getByLabel('Note (optional)').fill(note)
    await pages.button('Continue')
    await pages.heading('Check before you report the mistake').waitFor()
    await pages.page.getByText('You can still report the mistake for them.').waitFor()
    await pages.assertAccessible('check before reporting')
    await pages.button('Report the mistake')
    await pages.heading('Mistake reported').waitFor()
    await pages.assertAccessible('mistake reported')

    const providerEmail = await waitForEmail(
      provider.email,
      (message) => message.personalisation.reason_label !== undefined,
    )
    assert.equal(providerEmail.personalisation.school_name, link.schoolName)
    assert.equal(providerEmail.personalisation.reason_label, reasonLabels.not_confirmed)

    await pages.link(`Back to ${link.schoolName}`)
    await pages.heading(link.schoolName).waitFor()
    const [, what, who] = (await pages.rows('What has happened')).at(-1)!
    assert.deepEqual([what, who], [
      `Mistake reported: “${reasonLabels.not_confirmed}”`,
      `${support.fullName}, DfE support`,
    ])
    await pages.page.getByText(note).waitFor()
    assert.equal(
      await pages.page.getByRole('link', { name: /^Report a mistake for the school/ }).count(),
      0,
    )

    // A second report is refused, before the form is even shown.
    const query = new URLSearchParams({ urn: link.urn, id: link.partnershipId })
    await pages.goto(`/support/report-a-mistake?${query}`)
    await pages.heading('A mistake has already been reported').waitFor()
    await pages.page.getByText(`A mistake has already been reported for ${link.schoolName}`)
      .waitFor()
    await pages.assertAccessible('already reported')

    // Signing out ends the session: the tools ask to sign in again.
    await pages.page.getByRole('link', { name: 'Sign out', exact: true }).click()
    await pages.page.getByText('You have signed out').waitFor()
    await pages.goto('/support')
    await pages.page.waitForURL(/\/support\/sign-in\?next=/)
  }, { emailedDaysAgo: 30 }),
)

Deno.test(
  'browser: support is told a mistake was already reported when someone got there first',
  withSupportPages(async (pages, { link, support }, sql) => {
    await pages.goto(`/support/school?urn=${link.urn}`)
    await pages.signIn(support.email)
    await pages.heading(link.schoolName).waitFor()
    await pages.link(/^Report a mistake for the school/)
    await pages.page.getByLabel(reasonLabels.mistake).check()
    await pages.button('Continue')
    await pages.heading('Check before you report the mistake').waitFor()

    const first = await callSupport(
      support,
      'POST',
      `/partnerships/${link.partnershipId}/challenge`,
      { reason: 'no_ects' },
    )
    assert.equal(first.status, 200)
    await pages.button('Report the mistake')
    await pages.heading('A mistake has already been reported').waitFor()
    const [row] = await sql`
      select challenge_reason from public.partnerships where partnership_id = ${link.partnershipId}`
    assert.equal(row!.challenge_reason, 'no_ects', 'the first report stands')
    await pages.assertAccessible('reported by someone else first')
  }),
)

Deno.test(
  'browser: support sends the email to a corrected address; it arrives and the timeline names who asked',
  withSupportPages(async (pages, world, sql) => {
    const { link, support } = world
    const bounced = await addBouncedFirstEmail(sql, world)
    await pages.goto(`/support/school?urn=${link.urn}`)
    await pages.signIn(support.email)
    await pages.heading(link.schoolName).waitFor()
    await pages.link(/^Send the email to a corrected address/)
    await pages.page.getByText(`Email to the school: ${bounced}`).waitFor()
    await pages.assertAccessible('resend form')

    await pages.button('Send the email')
    await pages.error('Enter an email address').waitFor()
    await pages.assertAccessible('resend with no address')
    await pages.page.getByLabel('Email address').fill('head at school')
    await pages.button('Send the email')
    await pages.error('Enter an email address in the correct format, like name@example.com')
      .waitFor()

    const corrected = `head-${crypto.randomUUID().slice(0, 8)}@school.example.test`
    await pages.page.getByLabel('Email address').fill(corrected)
    await pages.button('Send the email')
    await pages.heading('Email on its way').waitFor()
    await pages.assertAccessible('email on its way')

    const resent = await waitForEmail(corrected)
    assert.equal(resent.personalisation.school_name, link.schoolName)
    assert.match(resent.personalisation.report_link ?? '', /#[\w-]{43}$/)

    // Once Notify has it, the timeline shows who asked and the email going to the new address.
    const sentLine = `Email to the school sent to ${corrected} (corrected by DfE support)`
    const history = await eventually(async () => {
      await pages.link(`Back to ${link.schoolName}`).catch(() => pages.page.reload())
      await pages.heading(link.schoolName).waitFor()
      const rows = await pages.rows('What has happened')
      return rows.some(([, what]) => what === sentLine) ? rows : undefined
    }, { what: 'the resent email in the timeline' })
    assert.deepEqual(
      history.filter(([, what]) => what?.includes(corrected)).slice(0, 2).map(([, what, who]) => [
        what,
        who,
      ]),
      [
        [
          `Email asked for again to ${corrected} (corrected by DfE support)`,
          `${support.fullName}, DfE support`,
        ],
        [sentLine, 'GOV.UK Notify'],
      ],
    )
    assert.equal(await pages.page.getByText('(passed)').count(), 0, 'the 14 days started again')
  }, { emailedDaysAgo: 20 }),
)

Deno.test(
  'browser: the emails that could not be delivered link to their schools, and unknown schools are not found',
  withSupportPages(async (pages, { link, support }, sql) => {
    // Dated ahead, so other tests' emails written meanwhile cannot push it off the newest-first list.
    await insert.notifications(sql, [{
      partnershipId: link.partnershipId,
      recipientEmail: null,
      status: 'no_address',
      createdAt: daysFromNow(1 / 24),
    }])
    await pages.goto('/support/undelivered-emails')
    await pages.signIn(support.email)
    const row = pages.page.getByRole('row').filter({ hasText: link.schoolName })
    await row.waitFor()
    assert.deepEqual(
      (await row.getByRole('cell').allInnerTexts()).slice(0, 3).map((text) => text.trim()),
      [
        `${link.schoolName}\nURN ${link.urn}`,
        `Email to the school (${link.leadProviderName})`,
        'No email address',
      ],
    )
    await row.getByText('No address').waitFor()
    await pages.assertAccessible('emails not delivered')
    await row.getByRole('link', { name: link.schoolName }).click()
    await pages.heading(link.schoolName).waitFor()

    await pages.goto('/support/school?urn=1')
    await pages.heading('School not found').waitFor()
    await pages.assertAccessible('school not found')
    await pages.goto(`/support/resend-email?urn=${link.urn}&id=${crypto.randomUUID()}`)
    await pages.heading('Partnership not found').waitFor()
  }),
)

Deno.test(
  'browser: a signed-in person who is not a support user is told they do not have access',
  withSupportPages(async (pages, { link, provider }) => {
    await pages.goto(`/support/school?urn=${link.urn}`)
    await pages.signIn(provider.email)
    await pages.heading('You do not have access').waitFor()
    assert.equal(await pages.page.getByText(link.schoolName).count(), 0)
    await pages.assertAccessible('no access')
    await pages.page.getByRole('link', { name: 'Find a school', exact: true }).click()
    await pages.heading('You do not have access').waitFor()
  }),
)

Deno.test(
  'browser: with JavaScript turned off a support page says the tools need JavaScript',
  withSupportPages(async (pages) => {
    await pages.goto('/support')
    // Playwright's text locators skip <noscript>, which Chromium shows with scripts off.
    const shown = await pages.page.getByRole('main').innerText()
    assert.match(shown, /This service needs JavaScript/)
    assert.match(shown, /The support tools work only with JavaScript/)
    // axe runs as script in the page, so it cannot check this state; its markup is static.
  }, { javaScriptEnabled: false }),
)
