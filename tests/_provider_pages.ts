/**
 * Page steps shared by the lead provider portal's browser tests: signing in through the pages
 * with the newest code in the Notify double's mailbox, and finding a page's main heading.
 */
import type { Page } from './_browser.ts'
import { latestSignInCode, stack } from './_stack.ts'

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
