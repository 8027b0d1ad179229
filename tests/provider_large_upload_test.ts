/// <reference lib="dom" />
/**
 * Reporting a long list stays usable and survives the browser's own buttons, in real Chromium
 * against the running stack: the check page counts errors by kind, pages the rows with errors
 * and offers them as a CSV; the confirm page pages its schools; the page says what it is doing
 * while the service checks and records; Back, Forward and reload stay in the journey with the
 * list; and a school opened in a new tab needs no second sign-in. axe and reflow at 320 px.
 */
import assert from 'node:assert/strict'
import { assertAccessible, type Page, viewports, withBrowser } from './_browser.ts'
import { choosePartner, heading, signedInPage, signInThroughPages } from './_provider_pages.ts'
import { stack } from './_stack.ts'
import { createProviderWorld, partnershipCount, reportUrns } from './provider_world.ts'

/** The cells of the table named `name`, row by row, header row first. */
async function tableCells(page: Page, name: string | RegExp): Promise<string[][]> {
  return await page.getByRole('table', { name }).evaluate((table) =>
    [...(table as HTMLTableElement).rows].map((row) =>
      [...row.cells].map((cell) => cell.textContent!.trim())
    )
  )
}

Deno.test('browser: 105 rows with errors are counted by kind, paged and downloadable; progress shows while checking', async () => {
  const w = await createProviderWorld({ schools: 65 })
  const urns = w.schools.map((school) => school.urn)
  const [already, good] = [urns.slice(0, 5), urns.slice(5)]
  const reported = await reportUrns(w, already)
  assert.equal(reported.status, 200, reported.text)
  // 100 rows that are not URNs, 5 schools already reported, and 60 good ones.
  const bad = Array.from({ length: 100 }, (_, i) => `X${i}`)
  await withBrowser(async (browser) => {
    const context = await browser.newContext({ viewport: viewports.desktop, acceptDownloads: true })
    const page = await context.newPage()
    await signInThroughPages(page, w.a.user.email)
    await choosePartner(page, w)
    await page.getByLabel('Or paste the URNs').fill([...bad, ...already, ...good].join('\n'))

    // Hold the check until the progress message has been seen.
    let release = () => {}
    const held = new Promise<void>((resolve) => release = resolve)
    const check = `${stack.apiUrl}/functions/v1/provider/reports/check`
    await page.route(check, async (route) => {
      await held
      await route.continue()
    })
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('status').filter({ hasText: 'Checking each row of your list' }).waitFor()
    await assertAccessible(page, 'checking')
    release()
    await heading(page, 'Your CSV has errors').waitFor()
    await page.unroute(check)

    assert.deepEqual(await tableCells(page, 'Errors by kind'), [
      ['Error', 'Rows'],
      ['URN is not valid', '100'],
      ['Your school - already confirmed', '5'],
    ])
    const first = await tableCells(page, 'Rows with errors (page 1 of 3)')
    assert.equal(first.length, 51)
    assert.deepEqual(first[1], ['1', 'X0', '', 'URN is not valid'])
    await assertAccessible(page, 'check page 1 of 3')

    await page.getByRole('link', { name: /Next/ }).click()
    const second = await tableCells(page, 'Rows with errors (page 2 of 3)')
    assert.deepEqual(second[1], ['51', 'X50', '', 'URN is not valid'])

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the rows with errors (CSV)' }).click(),
    ])
    assert.equal(download.suggestedFilename(), 'rows-with-errors.csv')
    const csv = await Deno.readTextFile(await download.path())
    const lines = csv.replace(/^\ufeff/, '').trimEnd().split('\r\n')
    assert.equal(lines.length, 106)
    assert.equal(lines[0], 'row,your_data,school,error')
    assert.equal(
      lines[105],
      `105,${already[4]},${w.schools[4]!.name},Your school - already confirmed`,
    )

    // Back goes to the first page of errors, not out of the journey.
    await page.goBack()
    await page.getByRole('table', { name: 'Rows with errors (page 1 of 3)' }).waitFor()

    // The confirm page shows 50 schools at a time.
    await page.getByRole('button', { name: 'Continue with 60 schools' }).click()
    await heading(page, 'Confirm that you have an agreement with 60 schools').waitFor()
    assert.equal(await page.getByRole('button', { name: /^Remove/ }).count(), 50)
    await assertAccessible(page, 'confirm page 1 of 2')
    await page.getByRole('link', { name: /Next/ }).click()
    await page.getByRole('region', { name: 'Schools to confirm (page 2 of 2)' }).waitFor()
    assert.equal(await page.getByRole('button', { name: /^Remove/ }).count(), 10)
    await context.close()
  })
})

Deno.test('browser: Back, Forward and reload keep the reporting journey and its list', async () => {
  const w = await createProviderWorld({ schools: 3 })
  const [oak, elm, ash] = w.schools
  await withBrowser(async (browser) => {
    const { context, page } = await signedInPage(browser, w.a.user.email)
    await choosePartner(page, w)
    await page.getByLabel('Or paste the URNs').fill([oak, elm, ash].map((s) => s!.urn).join('\n'))
    await page.getByRole('button', { name: 'Continue' }).click()
    await heading(page, 'Confirm that you have an agreement with 3 schools').waitFor()
    await page.getByRole('button', { name: `Remove ${ash!.name}` }).click()
    await heading(page, 'Confirm that you have an agreement with 2 schools').waitFor()

    // Reload: the same list, without the removed school.
    await page.reload()
    await heading(page, 'Confirm that you have an agreement with 2 schools').waitFor()
    assert.equal(await page.getByRole('row').filter({ hasText: ash!.name }).count(), 0)

    // Back undoes the removal; Back again is the upload step; Forward returns.
    await page.goBack()
    await heading(page, 'Confirm that you have an agreement with 3 schools').waitFor()
    await page.goBack()
    await heading(page, 'Upload a CSV of school URNs').waitFor()
    await page.goForward()
    await heading(page, 'Confirm that you have an agreement with 3 schools').waitFor()

    await page.getByRole('button', { name: 'Confirm' }).click()
    await heading(page, '3 schools confirmed').waitFor()
    // Back from the success page does not offer the confirmed list again.
    await page.goBack()
    await heading(page, 'Upload a CSV of school URNs').waitFor()

    assert.equal(await partnershipCount(w), 3)
    await context.close()
  })
})

Deno.test('browser: a school opened in a new tab needs no second sign-in', async () => {
  const w = await createProviderWorld({ schools: 1 })
  await withBrowser(async (browser) => {
    const { context, page } = await signedInPage(browser, w.a.user.email)
    await choosePartner(page, w)
    await page.getByLabel('Or paste the URNs').fill(w.schools[0]!.urn)
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('button', { name: 'Confirm' }).click()
    await heading(page, '1 school confirmed').waitFor()
    await page.goto(`${stack.webUrl}/provider/schools?cohort=${w.cohort}`)
    const schoolLink = page.getByRole('link', { name: w.schools[0]!.name })
    await schoolLink.waitFor()

    // A second tab of the same browser, where a middle click would open the link. Opened with
    // its address rather than a modified click: in two of three full runs a click-opened
    // background tab's navigation did not finish within 30 s (never when run alone; not yet
    // explained). What this proves is that the session belongs to the site, not to a tab.
    const href = await schoolLink.getAttribute('href')
    const tab = await context.newPage()
    await tab.goto(new URL(href!, page.url()).href)
    await heading(tab, w.schools[0]!.name).waitFor()
    assert.match(tab.url(), /\/provider\/school\?id=/)
    await context.close()
  })
})
