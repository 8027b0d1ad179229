/**
 * Irreversible actions are announced before they happen, in real Chromium against the running
 * stack: the school's report form says the partnership ends and cannot be undone; a lead provider
 * reporting into an academic year that has ended is warned on the way and on the confirm page,
 * which also says what confirming records. axe and reflow at 320 px on each.
 */
import assert from 'node:assert/strict'
import { assertAccessible, viewports, withBrowser } from './_browser.ts'
import { createSchoolLink } from './_challenge_world.ts'
import { heading, signedInPage } from './_provider_pages.ts'
import { ReportPage } from './_report_page.ts'
import { connect, stack } from './_stack.ts'
import { createProviderWorld } from './provider_world.ts'

Deno.test('browser: the school’s report form says submitting ends the partnership for good', async () => {
  const sql = connect()
  try {
    const link = await createSchoolLink(sql)
    await withBrowser(async (browser) => {
      const context = await browser.newContext({ viewport: viewports.desktop })
      const report = new ReportPage(await context.newPage())
      await report.open(link.token)
      const warning = (await report.page.locator('.govuk-warning-text').innerText())
        .replace(/\s+/g, ' ')
      assert.match(
        warning,
        new RegExp(
          `When you submit, your school will no longer be recorded as working with ` +
            `${link.leadProviderName} and ${link.deliveryPartnerName}, and we will tell them\\. ` +
            `You cannot undo this yourself\\.`,
        ),
      )
      await assertAccessible(report.page, 'report form with its warning')
      await context.close()
    })
  } finally {
    await sql.end()
  }
})

Deno.test('browser: reporting into an academic year that has ended is warned before confirming', async () => {
  const w = await createProviderWorld({ schools: 1, past: true })
  const year = `${w.cohort} to ${w.cohort + 1}`
  const ended = `The ${year} academic year has ended`
  await withBrowser(async (browser) => {
    const { context, page } = await signedInPage(browser, w.a.user.email)
    await page.goto(`${stack.webUrl}/provider/report-schools?cohort=${w.cohort}`)
    await heading(page, 'Choose the delivery partner').waitFor()
    await page.getByText(ended).waitFor()
    await assertAccessible(page, 'delivery partner for a past year')

    await page.getByLabel(w.a.deliveryPartner.name).check()
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByLabel('Or paste the URNs').fill(w.schools[0]!.urn)
    await page.getByRole('button', { name: 'Continue' }).click()
    await heading(page, 'Confirm that you have an agreement with 1 school').waitFor()
    await page.getByText(ended).waitFor()
    await page.getByText(
      `When you confirm, each school is recorded as working with you and ` +
        `${w.a.deliveryPartner.name} for the ${year} academic year`,
    ).waitFor()
    await assertAccessible(page, 'confirm for a past year')
    await context.close()
  })
})

Deno.test('browser: reporting into a current academic year shows no past-year warning', async () => {
  const w = await createProviderWorld({ schools: 1 })
  await withBrowser(async (browser) => {
    const { context, page } = await signedInPage(browser, w.a.user.email)
    await page.goto(`${stack.webUrl}/provider/report-schools?cohort=${w.cohort}`)
    await heading(page, 'Choose the delivery partner').waitFor()
    assert.equal(await page.getByText('academic year has ended').count(), 0)
    await context.close()
  })
})
