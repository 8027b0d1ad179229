/// <reference lib="dom" />
/**
 * The lead provider portal in real Chromium against the running stack: sign in with the code from
 * the mailbox, report schools from a CSV with good and bad rows, see the check page's errors,
 * remove a school, confirm, see the success panel and the school's email arrive; after the school
 * reports a mistake, see the red tag, the banner with the reason, and the provider's email. axe
 * checks every page and error state on the way, at desktop width and at 320 px.
 */
import assert from 'node:assert/strict'
import { reportMistake } from './_challenge_world.ts'
import { Buffer } from 'node:buffer'
import { assertAccessible, type Page, viewports, withBrowser } from './_browser.ts'
import { latestSignInCode, stack, waitForEmail } from './_stack.ts'
import { createProviderWorld } from './provider_world.ts'

const providerChallengedTemplate = 'b08e7f07-99a3-47d8-992a-657277a77fba'

function heading(page: Page) {
  return page.getByRole('heading', { level: 1 })
}

Deno.test('browser: a provider reports schools from a CSV and sees the school report a mistake', async () => {
  const w = await createProviderWorld({ schools: 3 })
  const [oak, elm, ash] = w.schools
  const partner = w.a.deliveryPartner.name
  const cohortLabel = `${w.cohort} to ${w.cohort + 1}`

  await withBrowser(async (browser) => {
    const context = await browser.newContext({ viewport: viewports.desktop })
    const page = await context.newPage()

    // Signed out: the portal sends the person to sign in, and brings them back after.
    await page.goto(`${stack.webUrl}/provider/schools?cohort=${w.cohort}`)
    await page.waitForURL(/\/provider\/sign-in\?next=/)
    await heading(page).filter({ hasText: 'Sign in to report schools' }).waitFor()
    await assertAccessible(page, 'sign in')

    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('link', { name: 'Enter your email address' }).waitFor()
    assert.match(await page.title(), /^Error: Sign in/)
    await assertAccessible(page, 'sign in with no email')

    await page.getByLabel('Email address').fill(w.a.user.email)
    await page.getByRole('button', { name: 'Continue' }).click()
    await heading(page).filter({ hasText: 'Check your email' }).waitFor()
    await assertAccessible(page, 'enter the code')
    await page.getByLabel('Code').fill(await latestSignInCode(w.a.user.email))
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${stack.webUrl}/provider/schools?cohort=${w.cohort}`)
    await page.getByText('You have not reported any schools for this academic year.').waitFor()

    // The dashboard.
    await page.getByRole('link', { name: 'Home', exact: true }).click()
    await heading(page).filter({ hasText: w.a.name }).waitFor()
    await assertAccessible(page, 'dashboard')

    // Report schools: delivery partner, then a CSV with a header, good and bad rows.
    await page.getByRole('link', { name: `Report schools for ${cohortLabel}` }).click()
    await heading(page).filter({ hasText: 'Choose the delivery partner' }).waitFor()
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('link', { name: 'Choose a delivery partner' }).waitFor()
    await assertAccessible(page, 'delivery partner not chosen')
    await page.getByLabel(partner).check()
    await page.getByRole('button', { name: 'Continue' }).click()

    await heading(page).filter({ hasText: 'Upload a CSV of school URNs' }).waitFor()
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('link', { name: 'Select a CSV file to upload, or paste the URNs' })
      .waitFor()
    await assertAccessible(page, 'nothing uploaded')
    const csv = `\ufeffURN\r\n${oak!.urn}\r\n\r\n12345X\r\n${elm!.urn}\r\n${ash!.urn}\r\n`
    await page.getByLabel('CSV file').setInputFiles({
      name: 'schools.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'utf-8'),
    })
    await page.getByRole('button', { name: 'Continue' }).click()

    await heading(page).filter({ hasText: 'Your CSV has errors' }).waitFor()
    const errorsTable = page.getByRole('table', { name: 'Rows with errors' })
    assert.deepEqual(
      await errorsTable.getByRole('row').nth(1).getByRole('cell').allTextContents(),
      ['4', '12345X', '', 'URN is not valid'],
    )
    await assertAccessible(page, 'check page with errors')
    await page.getByRole('button', { name: 'Continue with 3 schools' }).click()

    // Confirm, having removed one school.
    await heading(page).filter({ hasText: 'Confirm that you have an agreement with 3 schools' })
      .waitFor()
    await page.getByRole('button', { name: `Remove ${ash!.name}` }).click()
    await page.getByText(`${ash!.name} has been removed`).waitFor()
    await assertAccessible(page, 'confirm page')
    await page.getByRole('button', { name: 'Confirm' }).click()

    await heading(page).filter({ hasText: `2 schools confirmed for ${partner}` }).waitFor()
    await assertAccessible(page, 'success')

    // The school's email arrives, with its link to report a mistake.
    const schoolEmail = await waitForEmail(`office@${oak!.urn}.example.test`)
    assert.equal(schoolEmail.personalisation.school_name, oak!.name)
    assert.equal(schoolEmail.personalisation.delivery_partner_name, partner)
    const token = new URL(schoolEmail.personalisation.report_link!).hash.slice(1)

    // The school reports a mistake.
    const reported = await reportMistake(token, 'not_confirmed')
    assert.equal(reported.status, 200, await reported.text())

    // The provider sees the tag, the banner and the reason, and gets an email.
    await page.getByRole('link', { name: 'Your schools', exact: true }).click()
    await page.getByRole('table').waitFor()
    const oakRow = page.getByRole('row').filter({ hasText: oak!.name })
    await oakRow.getByText('Reported a mistake').waitFor()
    assert.equal(await page.getByRole('row').filter({ hasText: ash!.name }).count(), 0)
    await assertAccessible(page, 'your schools')

    await oakRow.getByRole('link', { name: oak!.name }).click()
    await page.getByText('This school reported they did not confirm an agreement with you')
      .waitFor()
    await page.getByText('They gave this reason: “We have not confirmed an agreement”').waitFor()
    await assertAccessible(page, 'school that reported a mistake')

    const providerEmail = await waitForEmail(
      w.a.user.email,
      (message) => message.template_id === providerChallengedTemplate,
    )
    assert.equal(providerEmail.personalisation.school_name, oak!.name)
    assert.equal(providerEmail.personalisation.reason_label, 'We have not confirmed an agreement')

    // Signing out ends the session: the portal asks to sign in again.
    await page.getByRole('link', { name: 'Sign out', exact: true }).click()
    await page.getByText('You have signed out').waitFor()
    await page.goto(`${stack.webUrl}/provider`)
    await page.waitForURL(/\/provider\/sign-in\?next=/)
    await context.close()
  })
})
