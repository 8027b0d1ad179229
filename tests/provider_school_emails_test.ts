/// <reference lib="dom" />
/**
 * What a lead provider is told about each school's email, in real Chromium against the running
 * stack: a school with no address is "Not emailed: no address" on the success page, in the list
 * and on its page, with what to do next; a school page shows the date the school can report
 * until, whether the email was delivered and the school's contact. And confirming when the
 * network fails, or the service refuses, says whether anything was saved and lets the person try
 * again. axe and reflow at 320 px on each state.
 */
import assert from 'node:assert/strict'
import { assertAccessible, type Page, withBrowser } from './_browser.ts'
import { heading, reachConfirmPage, signedInPage } from './_provider_pages.ts'
import { connect, eventually, stack } from './_stack.ts'
import { createProviderWorld, createSchools, partnershipCount } from './provider_world.ts'
import { formatDate } from '../web/src/portal_dom.ts'

const supportEmail = 'continuing-professional-development@digital.education.gov.uk'

Deno.test('browser: a school with no address is shown as not emailed, with what to do next', async () => {
  const w = await createProviderWorld({ schools: 1 })
  const sql = connect()
  const [noAddress] = await createSchools(sql, 1, { email: false })
  const [emailed] = w.schools

  await withBrowser(async (browser) => {
    const { context, page } = await signedInPage(browser, w.a.user.email)
    await reachConfirmPage(page, w, [emailed!.urn, noAddress!.urn])
    // Before confirming, the page promises email only where there is an address.
    await page.getByText('we will email each school we have an address for').waitFor()
    await page.getByRole('button', { name: 'Confirm' }).click()

    await heading(page, '2 schools confirmed').waitFor()
    await page.getByRole('heading', { name: 'We cannot email 1 school' }).waitFor()
    const notEmailed = page.getByRole('table', { name: 'Schools we have not emailed' })
    assert.deepEqual(
      await notEmailed.getByRole('row').nth(1).getByRole('cell').allTextContents(),
      [noAddress!.name, noAddress!.urn],
    )
    const main = await page.getByRole('main').innerText()
    assert.match(main, /We have no email address for this school/)
    assert.match(main, /We will email each of the other schools/)
    assert.doesNotMatch(main, /We will email each school /)
    await assertAccessible(page, 'success with a school not emailed')

    // The list says which school was not emailed.
    await page.goto(`${stack.webUrl}/provider/schools?cohort=${w.cohort}`)
    const row = page.getByRole('row').filter({ hasText: noAddress!.name })
    await row.getByText('Not emailed: no address').waitFor()
    await assertAccessible(page, 'your schools with a school not emailed')

    // Its page says so, what to do, and the date it could report until.
    await row.getByRole('link', { name: noAddress!.name }).click()
    await heading(page, noAddress!.name).waitFor()
    await page.getByText('We have not emailed this school').waitFor()
    assert.ok(await page.getByRole('link', { name: supportEmail }).first().isVisible())
    const [deadline] = await sql<{ deadline: string }[]>`
      select app.partnership_deadline_date(p.partnership_id)::text as deadline
      from public.partnerships p join public.schools s using (school_id)
      where s.urn = ${noAddress!.urn}`
    assert.deepEqual(await summary(page), {
      'URN': noAddress!.urn,
      'Delivery partner': w.a.deliveryPartner.name,
      'Local authority': 'Testshire',
      'Trust': 'Not in a trust',
      'Reported on': formatDate(new Date().toISOString()),
      'Status': 'Confirmed',
      'Email to the school': 'Not emailed: no address',
      'Contact':
        'No email address. Find the school’s phone number on Get Information about Schools.',
      'School can report a mistake until': formatDate(deadline!.deadline),
    })
    await assertAccessible(page, 'school not emailed')

    // The emailed school's page: its contact, and the email delivered once Notify says so.
    await page.goto(`${stack.webUrl}/provider/schools?cohort=${w.cohort}`)
    await page.getByRole('link', { name: emailed!.name }).click()
    await heading(page, emailed!.name).waitFor()
    const contact = `office@${emailed!.urn}.example.test`
    assert.ok(await page.getByRole('link', { name: contact }).isVisible())
    assert.match((await summary(page))['Contact']!, /\(school’s address in GIAS\)$/)
    await eventually(async () => {
      await page.reload()
      await heading(page, emailed!.name).waitFor()
      return (await summary(page))['Email to the school'] === 'Delivered' ? true : undefined
    }, { what: 'the school email to show as delivered' })
    assert.equal(await page.getByText('We have not emailed this school').count(), 0)
    await assertAccessible(page, 'school emailed')
    await context.close()
  }).finally(() => sql.end())
})

/** The school page's summary list as key -> value text. */
async function summary(page: Page): Promise<Record<string, string>> {
  return await page.locator('.govuk-summary-list').evaluate((list) =>
    Object.fromEntries(
      [...list.querySelectorAll('.govuk-summary-list__row')].map((row) => [
        row.querySelector('dt')!.textContent!.trim(),
        row.querySelector('dd')!.textContent!.trim().replace(/\s+/g, ' '),
      ]),
    )
  )
}

Deno.test('browser: confirming when the network fails says so, and trying again reports the schools', async () => {
  const w = await createProviderWorld({ schools: 1 })
  await withBrowser(async (browser) => {
    const { context, page } = await signedInPage(browser, w.a.user.email)
    await reachConfirmPage(page, w, [w.schools[0]!.urn])

    const reports = `${stack.apiUrl}/functions/v1/provider/reports`
    await page.route(reports, (route) => route.abort('internetdisconnected'))
    await page.getByRole('button', { name: 'Confirm' }).click()
    await page.getByText('We could not reach the service, so we cannot tell whether').waitFor()
    assert.match(await page.title(), /^Error: Confirm or remove schools/)
    assert.ok(await page.getByRole('button', { name: 'Confirm' }).isEnabled())
    assert.equal(await partnershipCount(w), 0)
    await assertAccessible(page, 'confirm failed: no answer')

    await page.unroute(reports)
    await page.route(reports, (route) =>
      route.fulfill({
        status: 422,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'refused', message: 'Refused' } }),
      }))
    await page.getByRole('button', { name: 'Confirm' }).click()
    await page.getByText('Your schools have not been reported. Nothing was saved.').waitFor()
    await assertAccessible(page, 'confirm failed: refused')

    await page.unroute(reports)
    await page.getByRole('button', { name: 'Confirm' }).click()
    await heading(page, '1 school confirmed').waitFor()
    assert.equal(await partnershipCount(w), 1)
    await context.close()
  })
})
