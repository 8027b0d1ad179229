/**
 * Benchmark: the lead provider's check page for a 10,000-row CSV with errors, in real Chromium.
 * Starts a local stack of its own, signs a provider in through the pages, uploads a CSV of 9,000
 * rows that are not URNs and 1,000 good schools, and prints, `runs` times: the time from
 * "Continue" to the check page showing, the page's height in CSS pixels, its number of elements
 * and the size of its markup; then the time to show the next page of errors and the confirm page.
 * (Before the check page was paged, the same upload gave one table about 448,000 px tall.) Never
 * passes or fails on a time.
 *
 *   npx -y deno@2.9.6 run -A bench/provider_check_page_10000.ts [runs=3]
 */
import { Buffer } from 'node:buffer'
import { startBenchStack } from './_stack.ts'
import { percentiles } from './_stats.ts'

const runs = Number(Deno.args[0] ?? 3)
const stack = await startBenchStack('provider-check-page')
try {
  const { connect, latestSignInCode } = await import('../tests/_stack.ts')
  const { createProviderWorld, createSchools } = await import('../tests/provider_world.ts')
  const { withBrowser, viewports } = await import('../tests/_browser.ts')

  const world = await createProviderWorld({ schools: 0 })
  const sql = connect()
  const good = (await createSchools(sql, 1_000, { email: false })).map((school) => school.urn)
  await sql.end()
  const bad = Array.from({ length: 9_000 }, (_, i) => `NOT-A-URN-${i}`)
  const csv = `URN\r\n${[...bad, ...good].join('\r\n')}\r\n`

  const figures: Record<string, number[]> = {}
  const note = (label: string, value: number) => (figures[label] ??= []).push(value)

  await withBrowser(async (browser) => {
    const context = await browser.newContext({ viewport: viewports.desktop })
    const page = await context.newPage()
    const heading = (text: string) =>
      page.getByRole('heading', { level: 1 }).filter({ hasText: text })
    await page.goto(`${stack.urls.web}/provider/sign-in`)
    await page.getByLabel('Email address').fill(world.a.user.email)
    await page.getByRole('button', { name: 'Continue' }).click()
    await heading('Check your email').waitFor()
    await page.getByLabel('Code').fill(await latestSignInCode(world.a.user.email))
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${stack.urls.web}/provider`)

    for (let run = 0; run < runs; run++) {
      // Reporting survives a reload: opening the same address again would resume the last run's
      // step, so each run starts afresh from the home page.
      await page.goto(`${stack.urls.web}/provider`)
      await page.goto(`${stack.urls.web}/provider/report-schools?cohort=${world.cohort}`)
      await page.getByLabel(world.a.deliveryPartner.name).check()
      await page.getByRole('button', { name: 'Continue' }).click()
      await page.getByLabel('CSV file').setInputFiles({
        name: 'schools.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(csv, 'utf-8'),
      })
      let started = performance.now()
      await page.getByRole('button', { name: 'Continue' }).click()
      await heading('Your CSV has errors').waitFor({ timeout: 120_000 })
      note('check page shown (ms)', performance.now() - started)
      const size = await page.evaluate(() => ({
        height: document.documentElement.scrollHeight,
        elements: document.getElementsByTagName('*').length,
        markup: document.documentElement.outerHTML.length,
      }))
      note('check page height (px)', size.height)
      note('check page elements', size.elements)
      note('check page markup (characters)', size.markup)

      started = performance.now()
      await page.getByRole('link', { name: /Next/ }).click()
      await page.getByRole('table', { name: /Rows with errors \(page 2 of/ }).waitFor()
      note('next page of errors (ms)', performance.now() - started)

      started = performance.now()
      await page.getByRole('button', { name: /^Continue with/ }).click()
      await heading('Confirm that you have an agreement with').waitFor()
      note('confirm page shown (ms)', performance.now() - started)
      note(
        'confirm page Remove buttons',
        await page.getByRole('button', { name: /^Remove/ }).count(),
      )
    }
    await context.close()
  })

  console.log(`check page for a CSV of 10,000 rows (9,000 with errors), ${runs} run(s)`)
  for (const [label, values] of Object.entries(figures)) {
    const { p50, max } = percentiles(values)
    console.log(`  ${label.padEnd(34)} median ${Math.round(p50)}  max ${Math.round(max)}`)
  }
} finally {
  await stack.stop()
}
