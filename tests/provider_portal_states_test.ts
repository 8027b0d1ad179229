/// <reference lib="dom" />
/**
 * The lead provider portal's error states in real Chromium, each checked with axe at desktop
 * width and at 320 px: a wrong sign-in code, a person who is not a provider user, another
 * provider's school, an upload over 2MB and a CSV with only bad rows; and with JavaScript
 * turned off, a page that says how to report schools without it.
 */
import assert from 'node:assert/strict'
import { Buffer } from 'node:buffer'
import {
  assertAccessible,
  type Browser,
  type BrowserContext,
  type Page,
  viewports,
  withBrowser,
} from './_browser.ts'
import { heading, signInThroughPages } from './_provider_pages.ts'
import { createUser, latestSignInCode, stack } from './_stack.ts'
import { createProviderWorld, type ProviderWorld, reportUrns } from './provider_world.ts'

async function portalPage(browser: Browser, options = {}): Promise<[BrowserContext, Page]> {
  const context = await browser.newContext({ viewport: viewports.desktop, ...options })
  return [context, await context.newPage()]
}

let shared: Promise<{ world: ProviderWorld; partnershipId: string }> | undefined

/** Lead provider A with one reported school. */
function world() {
  return shared ??= (async () => {
    const world = await createProviderWorld({ schools: 1 })
    const reported = await reportUrns(world, [world.schools[0]!.urn])
    assert.equal(reported.status, 200, reported.text)
    const [row] = (reported.body as { rows: { partnership_id: string }[] }).rows
    return { world, partnershipId: row!.partnership_id }
  })()
}

Deno.test('browser: a wrong sign-in code is refused with an error the person can act on', async () => {
  const { world: w } = await world()
  await withBrowser(async (browser) => {
    const [context, page] = await portalPage(browser)
    await page.goto(`${stack.webUrl}/provider/sign-in`)
    await page.getByLabel('Email address').fill('not an address')
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('link', { name: 'Enter an email address in the correct format' }).waitFor()
    await assertAccessible(page, 'badly formed email address')

    await page.getByLabel('Email address').fill(w.b.user.email)
    await page.getByRole('button', { name: 'Continue' }).click()
    await heading(page, 'Check your email').waitFor()
    const code = await latestSignInCode(w.b.user.email)
    await page.getByLabel('Code').fill(code === '000000' ? '111111' : '000000')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('link', { name: 'The code is wrong or has expired' }).waitFor()
    assert.match(await page.title(), /^Error: Check your email/)
    await assertAccessible(page, 'wrong code')
    await context.close()
  })
})

Deno.test('browser: a signed-in person who is not a provider user is told they cannot use it', async () => {
  const person = await createUser('not-a-provider')
  await withBrowser(async (browser) => {
    const [context, page] = await portalPage(browser)
    await signInThroughPages(page, person.email)
    await heading(page, 'You cannot use this service').waitFor()
    await assertAccessible(page, 'not a provider user')
    await context.close()
  })
})

Deno.test('browser: lead provider B finds nothing at A’s school’s address', async () => {
  const { world: w, partnershipId } = await world()
  await withBrowser(async (browser) => {
    const [context, page] = await portalPage(browser)
    await signInThroughPages(page, w.b.user.email)
    await page.goto(`${stack.webUrl}/provider/school?id=${partnershipId}`)
    await heading(page, 'School not found').waitFor()
    assert.equal(await page.getByText(w.schools[0]!.name).count(), 0)
    await assertAccessible(page, 'school not found')
    await context.close()
  })
})

Deno.test('browser: an upload over 2MB and a CSV of only bad rows each say what to do', async () => {
  const { world: w } = await world()
  await withBrowser(async (browser) => {
    const [context, page] = await portalPage(browser)
    await signInThroughPages(page, w.a.user.email)
    await page.goto(`${stack.webUrl}/provider/report-schools?cohort=${w.cohort}`)
    await page.getByLabel(w.a.deliveryPartner.name).check()
    await page.getByRole('button', { name: 'Continue' }).click()
    await heading(page, 'Upload a CSV of school URNs').waitFor()

    await page.getByLabel('CSV file').setInputFiles({
      name: 'big.csv',
      mimeType: 'text/csv',
      buffer: Buffer.alloc(2 * 1024 * 1024 + 1, '1'),
    })
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('link', { name: 'The selected file must be smaller than 2MB' }).waitFor()
    await assertAccessible(page, 'file too large')

    await page.getByLabel('Or paste the URNs').fill(`${w.schools[0]!.urn}\nABC`)
    await page.getByRole('button', { name: 'Continue' }).click()
    await heading(page, 'Your CSV has errors').waitFor()
    const rows = page.getByRole('table', { name: 'Rows with errors' }).getByRole('row')
    assert.deepEqual(await rows.nth(1).getByRole('cell').allTextContents(), [
      '1',
      w.schools[0]!.urn,
      w.schools[0]!.name,
      'Your school - already confirmed',
    ])
    assert.equal(await page.getByRole('button', { name: /^Continue with/ }).count(), 0)
    await assertAccessible(page, 'only bad rows')
    await page.getByRole('button', { name: 'Upload again' }).click()
    await heading(page, 'Upload a CSV of school URNs').waitFor()
    await context.close()
  })
})

Deno.test('browser: with JavaScript turned off a portal page says how to report schools', async () => {
  await withBrowser(async (browser) => {
    const [context, page] = await portalPage(browser, { javaScriptEnabled: false })
    await page.goto(`${stack.webUrl}/provider/report-schools`)
    // Playwright's text locators skip <noscript>, which Chromium shows with scripts off.
    const shown = await page.getByRole('main').innerText()
    assert.match(shown, /This service needs JavaScript/)
    assert.match(shown, /continuing-professional-development@digital\.education\.gov\.uk/)
    // axe runs as script in the page, so it cannot check this state; its markup is static.
    await context.close()
  })
})
