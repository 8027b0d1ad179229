/**
 * DfE support's pages as a person finds their way around them in real Chromium: by headings,
 * labels, roles and the words on the page. Shared by the support browser tests, with the axe
 * check every state gets at desktop width and at 320 px.
 */
import type { Locator } from 'playwright-core'
import { assertAccessible, type Browser, type Page, viewports } from './_browser.ts'
import { latestSignInCode, stack } from './_stack.ts'

export class SupportPages {
  private constructor(readonly page: Page, private readonly close: () => Promise<void>) {}

  /** A page in a context of its own (axe needs one from `browser.newContext()`). */
  static async open(browser: Browser, options = {}): Promise<SupportPages> {
    const context = await browser.newContext({ viewport: viewports.desktop, ...options })
    return new SupportPages(await context.newPage(), () => context.close())
  }

  end(): Promise<void> {
    return this.close()
  }

  goto(path: string): Promise<unknown> {
    return this.page.goto(`${stack.webUrl}${path}`)
  }

  /**
   * The page's heading. Each page's frame already has one before its script fills the page, so
   * wait for something the script shows when the heading alone does not tell them apart.
   */
  heading(text: string): Locator {
    return this.page.getByRole('heading', { level: 1 }).filter({ hasText: text })
  }

  /** The error summary's link to the field in trouble. */
  error(text: string): Locator {
    return this.page.getByRole('alert').getByRole('link', { name: text })
  }

  button(name: string): Promise<void> {
    return this.page.getByRole('button', { name, exact: true }).click()
  }

  link(name: string | RegExp): Promise<void> {
    return this.page.getByRole('link', { name }).first().click()
  }

  /** Signs in on the sign-in page with the newest code in the mailbox. */
  async signIn(email: string): Promise<void> {
    await this.page.getByLabel('Email address').fill(email)
    await this.button('Continue')
    await this.heading('Check your email').waitFor()
    await this.page.getByLabel('Code').fill(await latestSignInCode(email))
    await this.button('Sign in')
  }

  /** Searches "Find a school" and opens the result named `schoolName`. */
  async findSchool(q: string, schoolName: string): Promise<void> {
    await this.page.getByRole('link', { name: 'Find a school', exact: true }).click()
    await this.heading('Find a school').waitFor()
    await this.page.getByLabel('School URN or name').fill(q)
    await this.button('Search')
    const results = this.page.getByRole('table', { name: 'Schools found' })
    await results.getByRole('link', { name: schoolName }).click()
    await this.heading(schoolName).waitFor()
  }

  /** The rows of the table captioned `caption` (once it shows), each as its cells' text. */
  async rows(caption: string): Promise<string[][]> {
    const table = this.page.getByRole('table', { name: caption })
    await table.waitFor()
    const rows = table.getByRole('row')
    const texts: string[][] = []
    for (const row of (await rows.all()).slice(1)) {
      texts.push((await row.getByRole('cell').allInnerTexts()).map((t) => t.trim()))
    }
    return texts
  }

  assertAccessible(state: string): Promise<void> {
    return assertAccessible(this.page, state)
  }
}
