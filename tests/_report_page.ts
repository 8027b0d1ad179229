/**
 * The report page as a person finds their way around it: by headings, labels, roles and the
 * words on the page, never by our CSS classes. Shared by the browser tests.
 */
import type { Locator, Page } from 'playwright-core'
import { stack } from './_stack.ts'
import { reasonRequired } from '../supabase/functions/_shared/wording.ts'

export const reasonLabels = {
  another_provider: 'I have already confirmed an agreement with another provider',
  not_confirmed: 'We have not confirmed an agreement',
  do_not_recognise: 'I do not recognise this training provider',
  no_ects: 'We do not have any early career teachers this year',
  mistake: 'This looks like a mistake',
} as const

/** The reasons as the API lists them: code and label, in the order the school journey shows. */
export const reasons = Object.entries(reasonLabels).map(([code, label]) => ({ code, label }))

export { reasonRequired }

export class ReportPage {
  constructor(readonly page: Page) {}

  /** Opens the link from the email and waits until the page has said what it found. */
  async open(token: string): Promise<void> {
    await this.page.goto(`${stack.webUrl}/report-a-mistake#${token}`)
    await this.heading.waitFor()
  }

  get heading(): Locator {
    return this.page.getByRole('heading', { level: 1 })
  }

  reason(label: string): Locator {
    return this.page.getByRole('radio', { name: label })
  }

  get submitButton(): Locator {
    return this.page.getByRole('button', { name: 'Submit' })
  }

  get errorSummary(): Locator {
    return this.page.getByRole('alert').filter({ hasText: 'There is a problem' })
  }

  get inlineError(): Locator {
    return this.page.getByText(`Error: ${reasonRequired}`)
  }

  supportLink(email: string): Locator {
    return this.page.getByRole('main').getByRole('link', { name: email })
  }

  /** Picks a reason and submits, then waits for the page to show the outcome. */
  async report(label: string): Promise<void> {
    await this.reason(label).check()
    await this.submitAndWait()
  }

  async submitAndWait(): Promise<void> {
    const before = await this.page.title()
    await this.submitButton.click()
    // Every state has its own title. A function, not a string: the page's policy forbids eval.
    await this.page.waitForFunction(
      (title) =>
        (globalThis as unknown as { document: { title: string } }).document.title !== title,
      before,
    )
  }

  /** The labels of the reasons, in the order the page shows them. */
  async reasonLabels(): Promise<string[]> {
    const labels = await this.page.getByRole('group', { name: 'Tell us why' }).locator('label')
      .allTextContents()
    return labels.map((label) => label.trim())
  }

  /** Whether focus is on the error summary (GOV.UK moves it there so it is read out first). */
  async errorSummaryHasFocus(): Promise<boolean> {
    return await this.page.locator('*:focus').getByRole('alert').count() === 1
  }

  /** What a screen reader would announce for the focused element: its label, else its text. */
  async focusedText(): Promise<string> {
    const focused = this.page.locator('*:focus')
    const id = await focused.getAttribute('id')
    const label = this.page.locator(`label[for="${id}"]`)
    const text = id && await label.count() ? await label.textContent() : await focused.textContent()
    return (text ?? '').trim().replace(/\s+/g, ' ')
  }
}
