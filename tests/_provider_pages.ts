/**
 * Page steps shared by the lead provider portal's browser tests: signing in through the pages
 * with the newest code in the Notify double's mailbox (into a fresh desktop page, or one the test
 * has), finding a page's main heading, and the reporting journey's first steps.
 */
import { type Browser, type Page, viewports } from './_browser.ts'
import { latestSignInCode, stack } from './_stack.ts'
import type { ProviderWorld } from './provider_world.ts'

export function heading(page: Page, text: string) {
  return page.getByRole('heading', { level: 1 }).filter({ hasText: text })
}

/** Signs in through the pages, with the newest code in the mailbox, and lands on the home page. */
export async function signInThroughPages(page: Page, email: string): Promise<void> {
  await page.goto(`${stack.webUrl}/provider/sign-in`)
  await page.getByLabel('Email address').fill(email)
  await page.getByRole('button', { name: 'Continue' }).click()
  await heading(page, 'Check your email').waitFor()
  await page.getByLabel('Code').fill(await latestSignInCode(email))
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(`${stack.webUrl}/provider`)
}

/** A desktop page in a context of its own, signed in as `email` through the pages. */
export async function signedInPage(browser: Browser, email: string) {
  const context = await browser.newContext({ viewport: viewports.desktop })
  const page = await context.newPage()
  await signInThroughPages(page, email)
  return { context, page }
}

/** Opens "Report schools" for the world's cohort and chooses lead provider A's delivery partner. */
export async function choosePartner(page: Page, w: ProviderWorld): Promise<void> {
  await page.goto(`${stack.webUrl}/provider/report-schools?cohort=${w.cohort}`)
  await page.getByLabel(w.a.deliveryPartner.name).check()
  await page.getByRole('button', { name: 'Continue' }).click()
  await heading(page, 'Upload a CSV of school URNs').waitFor()
}

/** Reports `urns` through the pages, up to the confirm page. */
export async function reachConfirmPage(
  page: Page,
  w: ProviderWorld,
  urns: string[],
): Promise<void> {
  await choosePartner(page, w)
  await page.getByLabel('Or paste the URNs').fill(urns.join('\n'))
  await page.getByRole('button', { name: 'Continue' }).click()
  await heading(page, 'Confirm that you have an agreement with').waitFor()
}
