/**
 * The report journey in real Chromium against the running stack: every state the page can show,
 * two people at one school submitting at once, a link opened after its deadline, the whole
 * journey by keyboard alone, JavaScript turned off, and axe-core's WCAG 2.2 A/AA rules on every
 * state at desktop width and at 320 px.
 */
import assert from 'node:assert/strict'
import type postgres from 'postgres'
import { assertAccessible, type Browser, viewports, withBrowser } from './_browser.ts'
import {
  backdateEmail,
  createSchoolLink,
  newToken,
  reportMistake,
  type SchoolLink,
} from './_challenge_world.ts'
import { reasonLabels, reasonRequired, ReportPage } from './_report_page.ts'
import { connect, stack } from './_stack.ts'
import { formatDate } from '../web/src/link_details.ts'

const supportEmail = 'continuing-professional-development@digital.education.gov.uk'
const serviceTitle = 'Report a mistake with early career teacher training - GOV.UK'

type World = { sql: postgres.Sql; browser: Browser; link: SchoolLink }

/** A test with a database connection, a browser of its own and a fresh open link. */
function journey(name: string, fn: (world: World) => Promise<void>) {
  Deno.test(name, async () => {
    const sql = connect()
    try {
      const link = await createSchoolLink(sql)
      await withBrowser((browser) => fn({ sql, browser, link }))
    } finally {
      await sql.end()
    }
  })
}

async function newReportPage(browser: Browser, options = {}): Promise<ReportPage> {
  const context = await browser.newContext({ viewport: viewports.desktop, ...options })
  // Every step is quick; a missing element should fail the test fast rather than after 30 s.
  context.setDefaultTimeout(10_000)
  return new ReportPage(await context.newPage())
}

/** A new report page, opened at the link with `token`. */
async function openReportPage(browser: Browser, token: string): Promise<ReportPage> {
  const report = await newReportPage(browser)
  await report.open(token)
  return report
}

async function deadlineShown(sql: postgres.Sql, link: SchoolLink): Promise<string> {
  const [row] = await sql<{ deadline: string }[]>`
    select app.partnership_deadline_date(${link.partnershipId})::text as deadline`
  return formatDate(row!.deadline)
}

async function challengeReason(sql: postgres.Sql, link: SchoolLink): Promise<string | null> {
  const [row] = await sql<{ challenge_reason: string | null }[]>`
    select challenge_reason from public.partnerships where partnership_id = ${link.partnershipId}`
  return row!.challenge_reason
}

journey(
  'browser: the report page shows the partnership, and a chosen reason is recorded and confirmed',
  async ({ sql, browser, link }) => {
    const report = await openReportPage(browser, link.token)
    const { page } = report

    assert.equal(
      await report.heading.textContent(),
      'Report that your school has been signed up incorrectly',
    )
    assert.equal(
      await page.title(),
      `Report that your school has been signed up incorrectly - ${serviceTitle}`,
    )
    const main = (await page.getByRole('main').innerText()).replace(/\s+/g, ' ')
    assert.ok(
      main.includes(
        `${link.schoolName} has received a confirmation from ${link.deliveryPartnerName}, ` +
          `with ${link.leadProviderName}, but you believe this is incorrect.`,
      ),
      main,
    )
    assert.ok(main.includes(`starting in the ${link.cohort} academic year`), main)
    assert.ok(main.includes(`until 11:59pm on ${await deadlineShown(sql, link)}`), main)
    assert.deepEqual(await report.reasonLabels(), Object.values(reasonLabels))
    await assertAccessible(page)

    await report.report(reasonLabels.no_ects)
    assert.equal(
      await report.heading.textContent().then((text) => text?.trim()),
      'Your report has been submitted',
    )
    assert.equal(await page.title(), `Your report has been submitted - ${serviceTitle}`)
    assert.equal(await report.focusedText(), 'Your report has been submitted')
    assert.ok(await page.getByRole('heading', { name: 'What happens next' }).isVisible())
    assert.ok(
      (await page.getByRole('main').innerText()).includes(
        `We have told ${link.leadProviderName} that you reported this.`,
      ),
    )
    assert.equal(await challengeReason(sql, link), 'no_ects')
    await assertAccessible(page)
  },
)

journey(
  'browser: submitting without a reason shows the GOV.UK error summary and inline error and records nothing',
  async ({ sql, browser, link }) => {
    const report = await openReportPage(browser, link.token)
    const { page } = report

    await report.submitAndWait()
    assert.equal(
      await page.title(),
      `Error: Report that your school has been signed up incorrectly - ${serviceTitle}`,
    )
    assert.ok(await report.errorSummary.isVisible())
    assert.ok(await report.errorSummary.getByRole('link', { name: reasonRequired }).isVisible())
    assert.ok(await report.inlineError.isVisible())
    assert.ok(await report.errorSummaryHasFocus(), 'focus moves to the error summary')
    assert.equal(await challengeReason(sql, link), null)
    await assertAccessible(page)

    await report.errorSummary.getByRole('link', { name: reasonRequired }).click()
    assert.equal(await report.focusedText(), reasonLabels.another_provider)
    await report.report(reasonLabels.mistake)
    assert.equal(
      await report.heading.textContent().then((text) => text?.trim()),
      'Your report has been submitted',
    )
    assert.equal(await challengeReason(sql, link), 'mistake')
  },
)

journey(
  'browser: two tabs submitting at once end with one confirmation and one "already reported"',
  async ({ sql, browser, link }) => {
    const first = await newReportPage(browser)
    const second = await newReportPage(browser)
    await Promise.all([first.open(link.token), second.open(link.token)])
    await first.reason(reasonLabels.not_confirmed).check()
    await second.reason(reasonLabels.do_not_recognise).check()

    await Promise.all([first.submitAndWait(), second.submitAndWait()])
    const headings = await Promise.all(
      [first, second].map((tab) => tab.heading.textContent().then((text) => text?.trim())),
    )
    const submitted = 'Your report has been submitted'
    assert.deepEqual([...headings].sort(), [
      `Someone at ${link.schoolName} has already reported this issue`,
      submitted,
    ])
    const [loser, winningReason] = headings[0] === submitted
      ? [second, 'not_confirmed']
      : [first, 'do_not_recognise']
    assert.equal(await challengeReason(sql, link), winningReason)
    assert.equal(
      await loser.focusedText(),
      `Someone at ${link.schoolName} has already reported this issue`,
    )
    await assertAccessible(loser.page)
  },
)

journey(
  'browser: a link opened after it was already used says someone at the school reported it',
  async ({ browser, link }) => {
    const done = await reportMistake(link.token, 'mistake')
    assert.equal(done.status, 200)
    await done.body?.cancel()

    const report = await openReportPage(browser, link.token)
    assert.equal(
      (await report.heading.textContent())?.trim(),
      `Someone at ${link.schoolName} has already reported this issue`,
    )
    assert.ok(await report.supportLink(supportEmail).isVisible())
    await assertAccessible(report.page)
  },
)

journey(
  'browser: a link opened after its deadline says the link has expired and how to contact support',
  async ({ sql, browser, link }) => {
    await backdateEmail(sql, link, 15)
    const report = await openReportPage(browser, link.token)
    assert.equal((await report.heading.textContent())?.trim(), 'This link has expired')
    assert.equal(await report.page.title(), `This link has expired - ${serviceTitle}`)
    assert.ok(await report.supportLink(supportEmail).isVisible())
    assert.equal(await report.submitButton.count(), 0)
    await assertAccessible(report.page)
  },
)

journey(
  'browser: the deadline passing while the form is open ends on "This link has expired"',
  async ({ sql, browser, link }) => {
    const report = await openReportPage(browser, link.token)
    await backdateEmail(sql, link, 15)
    await report.report(reasonLabels.mistake)
    assert.equal((await report.heading.textContent())?.trim(), 'This link has expired')
    assert.equal(await report.focusedText(), 'This link has expired')
    assert.equal(await challengeReason(sql, link), null)
  },
)

Deno.test('browser: an unknown, cut-short or missing token shows "Page not found"', async () => {
  await withBrowser(async (browser) => {
    for (const token of [newToken(), newToken().slice(0, 30), '']) {
      const report = await openReportPage(browser, token)
      assert.equal((await report.heading.textContent())?.trim(), 'Page not found')
      assert.equal(await report.page.title(), `Page not found - ${serviceTitle}`)
      assert.ok(await report.supportLink(supportEmail).isVisible())
      await assertAccessible(report.page)
      await report.page.context().close()
    }
  })
})

journey(
  'browser: when the service cannot be reached the page says sorry and records nothing',
  async ({ sql, browser, link }) => {
    const report = await newReportPage(browser)
    await report.page.context().route(`${stack.apiUrl}/**`, (route) => route.abort('failed'))
    await report.open(link.token)
    assert.equal(
      (await report.heading.textContent())?.trim(),
      'Sorry, there is a problem with the service',
    )
    assert.ok(await report.supportLink(supportEmail).isVisible())
    await assertAccessible(report.page)

    // Failing on submit, after the form was shown.
    const second = await openReportPage(browser, link.token)
    await second.page.context().route(`${stack.apiUrl}/**`, (route) => route.abort('failed'))
    await second.report(reasonLabels.mistake)
    assert.equal(
      (await second.heading.textContent())?.trim(),
      'Sorry, there is a problem with the service',
    )
    assert.ok(
      (await second.page.getByRole('main').innerText()).includes(
        'your report has not been submitted',
      ),
    )
    assert.equal(await challengeReason(sql, link), null)
  },
)

journey(
  'browser: the whole journey can be done with the keyboard alone, error included',
  async ({ sql, browser, link }) => {
    const report = await openReportPage(browser, link.token)
    const { page } = report

    // Tab from the top of the page to the first radio; the skip link comes first.
    await page.keyboard.press('Tab')
    assert.equal(await report.focusedText(), 'Skip to main content')
    let steps = 0
    while ((await report.focusedText()) !== reasonLabels.another_provider) {
      assert.ok(++steps < 30, 'Tab reaches the reasons')
      await page.keyboard.press('Tab')
    }
    // Submitting with nothing chosen: Tab leaves the radio group for the button.
    await page.keyboard.press('Tab')
    assert.equal(await report.focusedText(), 'Submit')
    await page.keyboard.press('Enter')
    await report.errorSummary.waitFor()
    await page.keyboard.press('Tab')
    assert.equal(await report.focusedText(), reasonRequired)
    await page.keyboard.press('Enter')
    assert.equal(await report.focusedText(), reasonLabels.another_provider)

    // Arrow keys choose within the group; Space picks the focused radio.
    await page.keyboard.press('Space')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    assert.equal(await report.focusedText(), reasonLabels.do_not_recognise)
    await page.keyboard.press('Tab')
    assert.equal(await report.focusedText(), 'Submit')
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'Your report has been submitted' }).waitFor()
    assert.equal(await challengeReason(sql, link), 'do_not_recognise')
  },
)

journey(
  'browser: with JavaScript turned off the page explains how to report the mistake by email',
  async ({ sql, browser, link }) => {
    const report = await newReportPage(browser, { javaScriptEnabled: false })
    await report.open(link.token)
    const { page } = report
    assert.equal(
      (await report.heading.textContent())?.trim(),
      'Report that your school has been signed up incorrectly',
    )
    assert.ok(await page.getByText('This page needs JavaScript').isVisible())
    assert.ok(await report.supportLink(supportEmail).isVisible())
    assert.equal(await page.getByText('Checking your link').isVisible(), false)
    assert.equal(await report.submitButton.count(), 0)
    assert.equal(await challengeReason(sql, link), null)
  },
)

journey(
  'browser: when the page script cannot load, the email route appears instead of a stuck page',
  async ({ browser, link }) => {
    const report = await newReportPage(browser)
    const { page } = report
    await page.context().route('**/assets/report-*.js', (route) => route.abort('failed'))
    await page.goto(`${stack.webUrl}/report-a-mistake#${link.token}`)
    assert.ok(await page.getByText('Checking your link').isVisible())
    await report.heading.waitFor()
    assert.ok(await page.getByText('This page needs JavaScript').isVisible())
    assert.ok(await report.supportLink(supportEmail).isVisible())
    // axe needs JavaScript, so the page it checks here stands for the JavaScript-off page too:
    // both show the same email route.
    await assertAccessible(page)
  },
)
