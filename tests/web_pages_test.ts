/**
 * Every page of the static site and every report state from its page fixture, in real Chromium
 * from the stack's web server: GOV.UK header, service name, Beta banner and footer; everything
 * loaded from our own origin under the content security policy; and no WCAG 2.2 A/AA violations
 * found by axe-core at desktop width or at 320 px.
 */
import assert from 'node:assert/strict'
import { assertAccessible, type Browser, viewports, withBrowser } from './_browser.ts'
import { stack } from './_stack.ts'
import type { ReportStateId } from '../web/src/report_states.ts'

const serviceName = 'Report a mistake with early career teacher training'

/** The h1 of each report state, as the page fixtures fill it in. */
const previewHeadings: Record<ReportStateId, string> = {
  open: 'Report that your school has been signed up incorrectly',
  open_error: 'Report that your school has been signed up incorrectly',
  submitted: 'Your report has been submitted',
  already_reported: 'Someone at Greenfield Primary School has already reported this issue',
  expired: 'This link has expired',
  superseded: 'This link is no longer valid',
  not_found: 'Page not found',
  problem: 'Sorry, there is a problem with the service',
}

const pages: { path: string; heading: string; status?: number }[] = [
  { path: '/', heading: serviceName },
  { path: '/accessibility', heading: `Accessibility statement for ${serviceName}` },
  { path: '/cookies', heading: 'Cookies' },
  { path: '/privacy', heading: 'Privacy notice' },
  { path: '/no-such-page', heading: 'Page not found', status: 404 },
  { path: '/preview/', heading: 'Preview of the pages' },
  ...Object.entries(previewHeadings).map(([state, heading]) => ({
    path: `/preview/report-a-mistake/${state}`,
    heading,
  })),
]

/** Loads `path` and reports what a careful reviewer would look at. */
async function visit(browser: Browser, path: string) {
  const context = await browser.newContext({ viewport: viewports.desktop })
  const page = await context.newPage()
  const problems: string[] = []
  const origins = new Set<string>()
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().includes('404 (Not Found)')) {
      problems.push(message.text())
    }
  })
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('request', (request) => origins.add(new URL(request.url()).origin))
  page.on('response', (response) => {
    if (response.status() >= 400 && response.url() !== `${stack.webUrl}${path}`) {
      problems.push(`${response.status()} ${response.url()}`)
    }
  })
  const response = await page.goto(`${stack.webUrl}${path}`)
  await page.waitForLoadState('networkidle')
  return { context, page, response, problems, origins }
}

for (const { path, heading, status = 200 } of pages) {
  Deno.test(`browser: ${path} is a GOV.UK page with no accessibility violations`, async () => {
    await withBrowser(async (browser) => {
      const { context, page, response, problems, origins } = await visit(browser, path)
      assert.equal(response?.status(), status)
      assert.equal(
        (await page.getByRole('heading', { level: 1 }).textContent())?.trim().replace(/\s+/g, ' '),
        heading,
      )
      assert.match(await page.title(), new RegExp(` - ${serviceName} - GOV.UK$`))
      assert.ok(await page.getByRole('banner').getByRole('link', { name: 'GOV.UK' }).isVisible())
      assert.ok(await page.getByRole('link', { name: serviceName }).first().isVisible())
      assert.ok(await page.getByText('Beta', { exact: true }).isVisible())
      const footer = page.getByRole('contentinfo')
      for (const name of ['Accessibility statement', 'Cookies', 'Privacy notice']) {
        assert.ok(await footer.getByRole('link', { name }).isVisible(), name)
      }
      assert.ok(
        await footer.getByRole('link', { name: /@digital\.education\.gov\.uk$/ }).isVisible(),
      )

      assert.deepEqual(problems, [])
      assert.deepEqual([...origins], [stack.webUrl], 'every request goes to our own origin')
      await assertAccessible(page)
      await context.close()
    })
  })
}

Deno.test('browser: pages carry a content security policy with no inline script of our own', async () => {
  const html = await (await fetch(`${stack.webUrl}/report-a-mistake`)).text()
  const policy = html.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1] ?? ''
  assert.match(policy, /default-src 'none'/)
  assert.match(policy, /script-src 'self' 'sha256-[A-Za-z0-9+/=]+'(;|$)/)
  assert.match(policy, new RegExp(`connect-src ${stack.apiUrl}(;|$)`))
  assert.match(policy, /form-action 'none'/)
  assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/)
  const inlineScripts = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>/g)]
  assert.equal(inlineScripts.length, 1, "only GOV.UK Frontend's js-enabled line")
})

Deno.test('browser: the report page blocks a script that is not ours', async () => {
  await withBrowser(async (browser) => {
    const { context, page } = await visit(browser, '/preview/report-a-mistake/open')
    const ran = await page.evaluate(`new Promise((resolve) => {
      const script = document.createElement('script')
      script.textContent = 'window.injected = true'
      document.body.append(script)
      setTimeout(() => resolve(window.injected === true), 50)
    })`)
    assert.equal(ran, false)
    await context.close()
  })
})
