/// <reference lib="dom" />
/**
 * The report page as a person finds their way around it: by headings, labels, roles and the
 * words on the page, never by our CSS classes. Shared by the browser tests.
 */
import type { Locator, Page } from 'playwright-core'
import { stack } from './_stack.ts'

export const reasonLabels = {
  another_provider: 'I have already confirmed an agreement with another provider',
  not_confirmed: 'We have not confirmed an agreement',
  do_not_recognise: 'I do not recognise this training provider',
  no_ects: 'We do not have any early career teachers this year',
  mistake: 'This looks like a mistake',
} as const

export const reasonRequired = 'Select a reason why you think this confirmation is incorrect'

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

  get reasons(): Locator {
    return this.page.getByRole('group', { name: 'Tell us why' }).getByRole('radio')
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
    await this.page.waitForFunction((title) => document.title !== title, before)
  }

  /** The text of the element that has focus, to follow a keyboard journey. */
  focusedText(): Promise<string> {
    return this.page.evaluate(() => {
      const element = document.activeElement
      if (element instanceof HTMLInputElement && element.labels?.[0]) {
        return element.labels[0].textContent?.trim() ?? ''
      }
      return element?.textContent?.trim().replace(/\s+/g, ' ') ?? ''
    })
  }
}
