/**
 * The portals' page previews, in real Chromium against the running stack's site: every preview
 * the build lists in `previews.json` is there, and each portal preview shows its page, filled in
 * from its fixture by the portal's own script, never the "problem with the service" page (bar that
 * page's own preview); and a school name with markup in it stays text on the provider's and
 * support's pages.
 */
import assert from 'node:assert/strict'
import { type Page, withBrowser } from './_browser.ts'
import { stack } from './_stack.ts'

type Preview = { href: string; title: string }

async function listedPreviews(): Promise<Preview[]> {
  const response = await fetch(`${stack.webUrl}/previews.json`)
  assert.equal(response.status, 200)
  return await response.json()
}

/** Opens a preview and waits until its script has replaced the frame's own heading. */
async function open(page: Page, href: string): Promise<string[]> {
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  await page.goto(`${stack.webUrl}${href}`)
  await page.waitForFunction(() => document.activeElement?.matches('h1, [data-module]') ?? false)
  return problems
}

Deno.test('previews.json lists a preview of every report state and of both portals', async () => {
  const hrefs = (await listedPreviews()).map(({ href }) => href)
  for (const prefix of ['/preview/report-a-mistake/', '/preview/provider/', '/preview/support/']) {
    assert.ok(hrefs.some((href) => href.startsWith(prefix)), prefix)
  }
  assert.equal(new Set(hrefs).size, hrefs.length)
})

Deno.test('browser: each portal preview shows its page from its fixture', async () => {
  const previews = (await listedPreviews()).filter(({ href }) =>
    /^\/preview\/(provider|support)\//.test(href)
  )
  await withBrowser(async (browser) => {
    for (const { href } of previews) {
      const context = await browser.newContext()
      const page = await context.newPage()
      const problems = await open(page, href)
      const heading = (await page.getByRole('heading', { level: 1 }).textContent()) ?? ''
      // Only the preview of that page may show it: elsewhere it means the fixture is wrong.
      if (href.endsWith('/problem')) assert.match(heading, /problem with the service/, href)
      else assert.doesNotMatch(heading, /problem with the service/, href)
      assert.deepEqual(problems, [], href)
      await context.close()
    }
  })
})

Deno.test('browser: a school name with markup in it is shown as text on the portals', async () => {
  await withBrowser(async (browser) => {
    for (
      const [href, name] of [
        ['/preview/provider/schools_hostile_name', '<img src=x onerror="window.injected=true">'],
        ['/preview/support/school_hostile_name', '<script>window.injected=true</script>'],
      ]
    ) {
      const context = await browser.newContext()
      const page = await context.newPage()
      await open(page, href!)
      const main = page.getByRole('main')
      await main.getByText(name!).first().waitFor()
      assert.equal(await main.locator('img, script, b').count(), 0, href)
      assert.equal(await page.evaluate('window.injected'), undefined)
      await context.close()
    }
  })
})
