/// <reference lib="dom" />
/**
 * Real Chromium for browser tests: from `@sparticuz/chromium` (or `CHROME_PATH`), driven by
 * `playwright-core`, and axe-core's WCAG 2.2 A/AA rules. `npx playwright install` cannot work
 * here, so the browser comes from npm like everything else.
 */
import assert from 'node:assert/strict'
import chromium from '@sparticuz/chromium'
import { AxeBuilder } from '@axe-core/playwright'
import {
  type Browser,
  type BrowserContext,
  chromium as playwright,
  type Page,
} from 'playwright-core'

export type { Browser, BrowserContext, Page }

/** The widths every page is checked at: a desktop, and the 320 CSS pixels of WCAG reflow. */
export const viewports = {
  desktop: { width: 1280, height: 900 },
  narrow: { width: 320, height: 640 },
} as const

/**
 * `@sparticuz/chromium`'s flags are tuned for AWS Lambda. Two would make the tests lie:
 * `--disable-web-security` switches off CORS and the same-origin policy we test, and
 * `--single-process` ends the whole browser when one context closes.
 */
const unwantedFlags = new Set(['--disable-web-security', '--single-process'])

export async function launchBrowser(): Promise<Browser> {
  const executablePath = Deno.env.get('CHROME_PATH') || await chromium.executablePath()
  const args = chromium.args.filter((flag) => !unwantedFlags.has(flag.split('=')[0] ?? flag))
  return await playwright.launch({ executablePath, args, headless: true })
}

/**
 * Runs `fn` with a browser of its own and closes it, even when `fn` fails, so a failing test
 * never leaves Chromium running.
 */
export async function withBrowser<T>(fn: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await launchBrowser()
  try {
    return await fn(browser)
  } finally {
    await browser.close()
  }
}

/**
 * axe finds nothing on the page as it is now, at every width in `viewports`, and the page reflows
 * (WCAG 1.4.10: nothing wider than the screen, which axe does not check); the page is left at
 * desktop width. `state` names what is on the page in the failure message.
 */
export async function assertAccessible(page: Page, state = ''): Promise<void> {
  for (const [name, size] of Object.entries(viewports)) {
    await page.setViewportSize(size)
    const where = state ? `${state} at ${name} width` : `at ${name} width`
    assert.deepEqual(await accessibilityViolations(page), [], where)
    await assertReflows(page, where)
  }
  await page.setViewportSize(viewports.desktop)
}

/**
 * The document is no wider than the viewport, so nobody has to scroll sideways to read a line;
 * what is too wide names itself in the failure message.
 */
export async function assertReflows(page: Page, where = ''): Promise<void> {
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth
    if (document.documentElement.scrollWidth <= width) return null
    const wide = [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((element) => element.getBoundingClientRect().right > width + 0.5)
      .filter((element) => !element.closest('.app-table-scroll'))
      .slice(-3)
      .map((element) => `${element.tagName.toLowerCase()}.${element.className}`)
    return { width, scrollWidth: document.documentElement.scrollWidth, wide }
  })
  assert.equal(overflow, null, `page wider than the screen ${where}: ${JSON.stringify(overflow)}`)
}

/** The rules axe-core files under WCAG 2.0, 2.1 and 2.2, levels A and AA. */
const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

/** axe-core's violations on the page as it is now, summarised for a readable assertion message. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(wcagTags).analyze()
  return results.violations.map((violation) =>
    `${violation.id} (${violation.impact}): ${violation.help} at ${
      violation.nodes.map((node) => node.target.join(' ')).join(', ')
    }`
  )
}
