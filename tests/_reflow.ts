/// <reference lib="dom" />
/**
 * WCAG 1.4.10 reflow: at 320 CSS pixels the page as it is now must not scroll sideways. Checked
 * with axe (which does not test reflow) by `assertAccessibleAndReflows`.
 */
import assert from 'node:assert/strict'
import { assertAccessible, type Page, viewports } from './_browser.ts'

/** The document is no wider than a 320 px viewport; the page is left at desktop width. */
export async function assertReflows(page: Page, state: string): Promise<void> {
  await page.setViewportSize(viewports.narrow)
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  await page.setViewportSize(viewports.desktop)
  assert.ok(width <= viewports.narrow.width, `${state}: ${width} px wide at 320 px`)
}

/** axe at desktop and 320 px, and reflow at 320 px. */
export async function assertAccessibleAndReflows(page: Page, state: string): Promise<void> {
  await assertAccessible(page, state)
  await assertReflows(page, state)
}
