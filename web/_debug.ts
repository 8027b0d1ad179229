import { createSchoolLink } from '../tests/_challenge_world.ts'
import { connect, stack } from '../tests/_stack.ts'
import { withBrowser } from '../tests/_browser.ts'
const sql = connect()
const link = await createSchoolLink(sql)
await sql.end()
await withBrowser(async (browser) => {
  const context = await browser.newContext()
  const page = await context.newPage()
  page.on('console', (m) => console.log('console:', m.type(), m.text()))
  page.on('pageerror', (e) => console.log('pageerror:', e.message))
  page.on('requestfailed', (r) => console.log('failed:', r.url(), r.failure()?.errorText))
  await page.goto(`${stack.webUrl}/report-a-mistake#${link.token}`)
  await page.waitForTimeout(2000)
  console.log(await page.title())
  console.log((await page.locator('main').innerText()).slice(0, 1500))
})
