/**
 * The lead provider portal's calls to its function carry the person's session, so the browser
 * asks the function first with a CORS preflight; the function lets it keep that answer 600 s. In
 * real Chromium: once signed in, opening the home page again sends no preflight, only the call.
 */
import assert from 'node:assert/strict'
import { withBrowser } from './_browser.ts'
import { heading, signInThroughPages } from './_provider_pages.ts'
import { stack } from './_stack.ts'
import { createProviderWorld } from './provider_world.ts'

Deno.test('browser: a signed-in provider reopening the home page sends no CORS preflight', () =>
  withBrowser(async (browser) => {
    const { a: provider } = await createProviderWorld({ schools: 1 })
    const context = await browser.newContext()
    const page = await context.newPage()
    const home = heading(page, provider.name)
    await signInThroughPages(page, provider.user.email)
    await home.waitFor()
    await page.waitForLoadState('networkidle')

    // DevTools sees preflights; Playwright's own request events leave them out.
    const cdp = await context.newCDPSession(page)
    await cdp.send('Network.enable')
    const toFunction: string[] = []
    cdp.on('Network.requestWillBeSent', ({ request }) => {
      if (request.url.startsWith(`${stack.apiUrl}/functions/v1/`)) {
        toFunction.push(`${request.method} ${request.url.replace(stack.apiUrl, '')}`)
      }
    })
    await page.goto(`${stack.webUrl}/provider`)
    await home.waitFor()
    await page.waitForLoadState('networkidle')
    assert.ok(toFunction.length > 0, 'the home page calls the provider function')
    assert.deepEqual(
      toFunction.filter((line) => line.startsWith('OPTIONS')),
      [],
      toFunction.join('\n'),
    )
    await context.close()
  }))
