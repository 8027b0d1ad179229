/**
 * What a school's browser asks for when it opens the report page, in real Chromium from the
 * stack's web server: on a first visit the page, its one stylesheet, its one script and the link
 * check, with no CORS preflight before the check; on a reload only the page (answered 304) and the
 * link check, with the assets kept from the first visit. And the page still looks right: a
 * screenshot at desktop width and at 320 px (written to `$SCREENSHOT_DIR` when set), with no axe
 * violations and nothing wider than the screen.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { assertAccessible, viewports, withBrowser } from './_browser.ts'
import { createSchoolLink } from './_challenge_world.ts'
import { ReportPage } from './_report_page.ts'
import { connect, stack } from './_stack.ts'

Deno.test('browser: the report page checks its link with no CORS preflight, and a reload fetches only the page (304) and the check', async () => {
  const sql = connect()
  const link = await createSchoolLink(sql)
  await sql.end()
  await withBrowser(async (browser) => {
    const context = await browser.newContext({ viewport: viewports.desktop })
    const page = await context.newPage()
    const cdp = await context.newCDPSession(page)
    await cdp.send('Network.enable')
    // What went over the network, as DevTools counts it: a request the cache answered is not one.
    let network: { requestId: string; method: string; url: string }[] = []
    cdp.on('Network.requestWillBeSent', ({ requestId, request }) => {
      network.push({ requestId, method: request.method, url: request.url })
    })
    cdp.on('Network.requestServedFromCache', ({ requestId }) => {
      network = network.filter((entry) => entry.requestId !== requestId)
    })
    // The status as it came over the wire: for a revalidated copy Chromium reports the cached
    // 200 everywhere else. Kept apart by request: DevTools may send this before or after the
    // request's own event.
    const statuses = new Map<string, number>()
    cdp.on('Network.responseReceivedExtraInfo', ({ requestId, statusCode }) => {
      statuses.set(requestId, statusCode)
    })
    const settle = async () => {
      await page.getByRole('button', { name: 'Submit' }).waitFor()
      await page.waitForLoadState('networkidle')
    }
    const paths = () =>
      network.map(({ requestId, method, url }) =>
        `${method} ${url.replace(stack.webUrl, '').replace(stack.apiUrl, 'API')} ${
          statuses.get(requestId)
        }`
      )

    await page.goto(`${stack.webUrl}/report-a-mistake#${link.token}`)
    await settle()
    const cold = paths()
    assert.equal(cold.filter((line) => line.startsWith('OPTIONS')).length, 0, cold.join('\n'))
    assert.ok(cold.length <= 6, cold.join('\n'))
    assert.deepEqual(
      cold.map((line) => line.replace(/-[0-9a-f]{10}\./, '-<hash>.')).sort(),
      [
        'GET /assets/report-<hash>.js 200',
        'GET /assets/site-<hash>.css 200',
        'GET /report-a-mistake 200',
        'POST API/functions/v1/challenge/status 200',
      ].sort(),
    )

    network = []
    await page.reload()
    await settle()
    const warm = paths()
    assert.deepEqual(
      warm.sort(),
      ['GET /report-a-mistake 304', 'POST API/functions/v1/challenge/status 200'],
    )
    await context.close()
  })
})

Deno.test('browser: the report form looks right on a desktop and at 320 px, with no accessibility violations', async () => {
  const sql = connect()
  const link = await createSchoolLink(sql)
  await sql.end()
  const screenshots = Deno.env.get('SCREENSHOT_DIR')
  await withBrowser(async (browser) => {
    const context = await browser.newContext({ viewport: viewports.desktop })
    const report = new ReportPage(await context.newPage())
    await report.open(link.token)
    await report.submitButton.waitFor()
    assert.ok(await report.page.getByRole('contentinfo').getByText('© Crown copyright').isVisible())
    await assertAccessible(report.page, 'the report form')
    for (const [name, size] of Object.entries(viewports)) {
      await report.page.setViewportSize(size)
      const shot = await report.page.screenshot({ fullPage: true })
      assert.ok(shot.length > 0)
      if (screenshots) await Deno.writeFile(join(screenshots, `report-form-${name}.png`), shot)
    }
    await context.close()
  })
})
