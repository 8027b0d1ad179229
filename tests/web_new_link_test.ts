/**
 * "Get a new link" in real Chromium against the running stack: a URN with an open report gets
 * one email at each of the school's known addresses, whose link opens the same report with the
 * same deadline as the earlier link (and a report through either ends it for both); a URN with
 * no open report, a closed school, a reported partnership and a malformed URN get the same
 * confirmation and nothing is sent; each limit answers with its message and sends nothing more;
 * axe-core's WCAG 2.2 A/AA rules and 320 px reflow on every state.
 */
import assert from 'node:assert/strict'
import type postgres from 'postgres'
import { assertAccessible, type Browser, type Page, viewports, withBrowser } from './_browser.ts'
import { createSchoolLink, type SchoolLink } from './_challenge_world.ts'
import { connect, eventually, mailbox, type MailboxMessage, stack } from './_stack.ts'
import { ReportPage } from './_report_page.ts'
import { newLinkWords } from '../web/src/new_link_words.ts'
import * as insert from './world.ts'

const confirmation = 'Check the school’s email'

type World = { sql: postgres.Sql; browser: Browser }

/** A test with a database connection, a browser of its own and no earlier requests counted. */
function journey(name: string, fn: (world: World) => Promise<void>) {
  Deno.test(name, async () => {
    const sql = connect()
    try {
      // The limits count every request; each test starts from none, as a new day would.
      await sql`delete from app.new_link_requests`
      await withBrowser((browser) => fn({ sql, browser }))
    } finally {
      await sql.end()
    }
  })
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: viewports.desktop })
  context.setDefaultTimeout(10_000)
  return await context.newPage()
}

/** Asks for a new link for `urn` as a person would, and returns the page's main text after. */
async function askForNewLink(page: Page, urn: string): Promise<string> {
  await page.goto(`${stack.webUrl}/get-a-new-link`)
  await page.getByLabel('School’s unique reference number (URN)').fill(urn)
  await page.getByRole('button', { name: 'Send a new link' }).click()
  await page.locator(
    '[data-app-new-link-sent]:not([hidden]), .govuk-error-summary, ' +
      '[data-app-new-link-problem]:not([hidden])',
  ).first().waitFor()
  return (await page.getByRole('main').innerText()).replace(/\s+/g, ' ')
}

/** A new open link whose school has an induction tutor and is in a multi-academy trust. */
async function linkWithTutorAndTrust(sql: postgres.Sql) {
  const link = await createSchoolLink(sql)
  const label = crypto.randomUUID().slice(0, 8)
  const tutorEmail = `tutor-${label}@school.example.test`
  const [school] = await sql<{ school_id: string; gias_email: string }[]>`
    update public.schools s set trust_uid = ${`T${label}`}, trust_name = ${`Oak Trust ${label}`},
      trust_type = 'multi_academy_trust'
    from public.partnerships p
    where p.partnership_id = ${link.partnershipId} and s.school_id = p.school_id
    returning s.school_id, s.gias_email`
  await insert.inductionTutor(sql, {
    schoolId: school!.school_id,
    fullName: 'Sam Tutor',
    email: tutorEmail,
  })
  return {
    link,
    school: { tutorEmail, giasEmail: school!.gias_email, trustName: `Oak Trust ${label}` },
  }
}

async function newLinkEmails(sql: postgres.Sql, link: SchoolLink) {
  return await sql<{ recipient_kind: string; status: string }[]>`
    select recipient_kind, status from public.notifications
    where partnership_id = ${link.partnershipId} and kind = 'new_link'
    order by recipient_kind`
}

async function newLinkEmailsTo(to: string): Promise<MailboxMessage[]> {
  return (await mailbox({ to })).filter((m) => m.subject.startsWith('New link:'))
}

function tokenOf(message: MailboxMessage): string {
  return new URL(message.personalisation.report_link!).hash.slice(1)
}

async function status(token: string) {
  const response = await fetch(`${stack.apiUrl}/functions/v1/challenge/status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', apikey: stack.publishableKey },
    body: JSON.stringify({ token }),
  })
  return { status: response.status, body: await response.json() }
}

journey(
  'browser: a URN with an open report sends one email to each known address, naming the trust, ' +
    'and the new link opens the same report with the same deadline as the earlier one',
  async ({ sql, browser }) => {
    const { link, school } = await linkWithTutorAndTrust(sql)
    const [before] = await sql<{ school_notified_at: Date }[]>`
      select school_notified_at from public.partnerships where partnership_id = ${link.partnershipId}`
    const page = await newPage(browser)

    await page.goto(`${stack.webUrl}/get-a-new-link`)
    await assertAccessible(page, 'the form')
    const main = await askForNewLink(page, ` ${link.urn} `)
    assert.ok(main.includes(confirmation), main)
    await assertAccessible(page, 'the confirmation')

    const [tutorEmail, giasEmail] = await eventually(async () => {
      const tutor = await newLinkEmailsTo(school.tutorEmail)
      const gias = await newLinkEmailsTo(school.giasEmail)
      return tutor.length && gias.length ? [tutor[0]!, gias[0]!] : undefined
    }, { what: 'the new-link emails' })
    for (const email of [tutorEmail, giasEmail]) {
      assert.ok(email.body.includes(`is part of ${school.trustName}`), email.body)
      assert.ok(email.body.includes(link.leadProviderName), email.body)
    }
    assert.notEqual(tokenOf(tutorEmail), tokenOf(giasEmail))
    assert.notEqual(tokenOf(tutorEmail), link.token)
    // One email to each address, each recorded as sent (Notify answers before the row is marked).
    await eventually(async () => {
      const emails = [...await newLinkEmails(sql, link)]
      return emails.every((e) => e.status === 'sent') ? emails : undefined
    }, { what: 'the new-link emails marked sent' })
    assert.deepEqual([...await newLinkEmails(sql, link)], [
      { recipient_kind: 'gias', status: 'sent' },
      { recipient_kind: 'induction_tutor', status: 'sent' },
    ])

    // The same report, the same deadline, through the earlier link and the new ones.
    const earlier = await status(link.token)
    const fresh = await status(tokenOf(tutorEmail))
    assert.equal(earlier.status, 200)
    assert.deepEqual(fresh, earlier)
    const [after] = await sql<{ school_notified_at: Date }[]>`
      select school_notified_at from public.partnerships where partnership_id = ${link.partnershipId}`
    assert.deepEqual(after!.school_notified_at, before!.school_notified_at)
    assert.ok(giasEmail.body.includes(`11:59pm on ${giasEmail.personalisation.deadline}`))

    // Support's timeline: the request and each email sent.
    const events = await sql<{ kind: string; channel: string }[]>`
      select kind, channel from public.partnership_events
      where partnership_id = ${link.partnershipId} and kind like 'new_link%' order by kind`
    assert.deepEqual(events.map((e) => `${e.kind}/${e.channel}`), [
      'new_link_requested/new_link_page',
      'new_link_sent/notify',
      'new_link_sent/notify',
    ])

    // A report through the new link ends the report for the earlier link too.
    const report = new ReportPage(await newPage(browser))
    await report.open(tokenOf(giasEmail))
    await report.report('This looks like a mistake')
    assert.equal((await status(link.token)).status, 409)
    assert.equal((await status(tokenOf(tutorEmail))).status, 409)
  },
)

journey(
  'browser: a report through the earlier link ends it for a new link too',
  async ({ sql, browser }) => {
    const { link, school } = await linkWithTutorAndTrust(sql)
    const page = await newPage(browser)
    assert.ok((await askForNewLink(page, link.urn)).includes(confirmation))
    const email = await eventually(
      async () => (await newLinkEmailsTo(school.giasEmail))[0],
      { what: 'the new-link email' },
    )
    const report = new ReportPage(await newPage(browser))
    await report.open(link.token)
    await report.report('This looks like a mistake')
    const fresh = await status(tokenOf(email))
    assert.equal(fresh.status, 409)
    assert.equal(fresh.body.error.school_name, link.schoolName)
  },
)

journey(
  'browser: no open report, a closed school, a reported partnership and a malformed URN all show ' +
    'the same confirmation and send nothing',
  async ({ sql, browser }) => {
    const closed = await createSchoolLink(sql)
    await sql`
      update public.schools set status = 'closed'
      where school_id = (select school_id from public.partnerships
        where partnership_id = ${closed.partnershipId})`
    const reported = await createSchoolLink(sql)
    await sql`select app.challenge_by_token(${reported.token}, 'mistake')`
    const expired = await createSchoolLink(sql, { emailedDaysAgo: 30 })
    const page = await newPage(browser)

    const cases: Record<string, string> = {
      'a URN with no school': '99999999',
      'a closed school': closed.urn,
      'a reported partnership': reported.urn,
      'an expired report': expired.urn,
      'a malformed URN': '12a<b>',
    }
    for (const [what, urn] of Object.entries(cases)) {
      const main = await askForNewLink(page, urn)
      assert.ok(main.includes(confirmation), `${what}: ${main}`)
      await assertAccessible(page, `the confirmation for ${what}`)
    }
    const [queued] = await sql<{ count: number }[]>`
      select count(*)::int as count from public.notifications
      where kind = 'new_link' and partnership_id in
        (${closed.partnershipId}, ${reported.partnershipId}, ${expired.partnershipId})`
    assert.equal(queued!.count, 0)
    const [recorded] = await sql<{ count: number }[]>`
      select count(*)::int as count from app.new_link_requests
      where outcome = 'accepted' and links_sent = 0`
    assert.equal(recorded!.count, 5)
  },
)

journey(
  'browser: a blank URN is an error on the form, and nothing is asked of the service',
  async ({ sql, browser }) => {
    const page = await newPage(browser)
    await page.goto(`${stack.webUrl}/get-a-new-link`)
    await page.getByRole('button', { name: 'Send a new link' }).click()
    await page.locator('.govuk-error-summary').waitFor()
    assert.equal(await page.title(), `Error: ${await titleWithoutError(page)}`)
    const main = (await page.getByRole('main').innerText()).replace(/\s+/g, ' ')
    assert.ok(main.includes(newLinkWords.urnRequired), main)
    await assertAccessible(page, 'the blank URN error')
    const [recorded] = await sql<{ count: number }[]>`
      select count(*)::int as count from app.new_link_requests`
    assert.equal(recorded!.count, 0)
  },
)

async function titleWithoutError(page: Page): Promise<string> {
  return (await page.title()).replace(/^Error: /, '')
}

journey(
  'browser: after 3 requests for one school the page says so and sends nothing more',
  async ({ sql, browser }) => {
    const { link, school } = await linkWithTutorAndTrust(sql)
    const page = await newPage(browser)
    for (let i = 0; i < 3; i++) {
      assert.ok((await askForNewLink(page, link.urn)).includes(confirmation))
    }
    const main = await askForNewLink(page, link.urn)
    assert.ok(main.includes(newLinkWords.urnLimit), main)
    assert.ok(!main.includes(confirmation), main)
    await assertAccessible(page, 'the school limit')
    assert.equal((await newLinkEmails(sql, link)).length, 6)
    await eventually(async () =>
      (await newLinkEmailsTo(school.giasEmail)).length === 3 || undefined
    )
    await eventually(async () =>
      (await sql`select from public.notifications where kind = 'new_link' and status = 'queued'`)
          .length === 0 || undefined
    )
    assert.equal((await newLinkEmailsTo(school.giasEmail)).length, 3)
  },
)

journey(
  'browser: after 10 requests from one client in an hour the page says so and sends nothing',
  async ({ sql, browser }) => {
    const page = await newPage(browser)
    for (let i = 0; i < 10; i++) {
      assert.ok((await askForNewLink(page, String(90_000_000 + i))).includes(confirmation))
    }
    const link = await createSchoolLink(sql)
    const main = await askForNewLink(page, link.urn)
    assert.ok(main.includes(newLinkWords.clientLimit), main)
    await assertAccessible(page, 'the client limit')
    assert.equal((await newLinkEmails(sql, link)).length, 0)
  },
)
