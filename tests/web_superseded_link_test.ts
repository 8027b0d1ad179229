/**
 * Old links stay dead, in real Chromium against the running stack: a school reports a mistake
 * with the link in its email, the lead provider reports the school again, and the first email's
 * link then says it is no longer valid and changes nothing, while the new email's link works.
 */
import assert from 'node:assert/strict'
import { reportMistake } from './_challenge_world.ts'
import { assertAccessible, viewports, withBrowser } from './_browser.ts'
import { reasonLabels, ReportPage } from './_report_page.ts'
import { connect, waitForEmail } from './_stack.ts'
import { createProviderWorld, reportUrns } from './provider_world.ts'

function tokenOf(link: string | undefined): string {
  assert.ok(link, 'the email has a report link')
  return new URL(link).hash.slice(1)
}

Deno.test('browser: a link from a report that was superseded by a re-report says so and changes nothing', async () => {
  const w = await createProviderWorld({ schools: 1 })
  const school = w.schools[0]!
  const address = `office@${school.urn}.example.test`
  const report = () => reportUrns(w, [school.urn])
  const sql = connect()
  /** What a report through a link would change. */
  const state = async () =>
    (await sql`
      select challenged_at, challenge_reason,
        (select count(*)::int from public.partnership_events e
          where e.partnership_id = p.partnership_id) as events
      from public.partnerships p join public.schools s using (school_id)
      where s.urn = ${school.urn}`)[0]
  try {
    assert.equal((await report()).status, 200)
    const firstToken = tokenOf((await waitForEmail(address)).personalisation.report_link)

    await withBrowser(async (browser) => {
      const context = await browser.newContext({ viewport: viewports.desktop })
      const page = new ReportPage(await context.newPage())
      await page.open(firstToken)
      await page.report(reasonLabels.not_confirmed)
      assert.equal((await page.heading.textContent())?.trim(), 'Your report has been submitted')

      // The provider reports the school again; a new email with a new link goes out.
      const again = await report()
      assert.equal(again.status, 200, again.text)
      const secondToken = tokenOf(
        (await waitForEmail(
          address,
          (message) => tokenOf(message.personalisation.report_link) !== firstToken,
        )).personalisation.report_link,
      )
      const before = await state()
      assert.equal(before!.challenged_at, null)

      // The first link: no longer valid, with no form, and refused by the service too. (Opened
      // afresh: the same address again would only be a jump within the page.)
      await page.page.goto('about:blank')
      await page.open(firstToken)
      assert.equal((await page.heading.textContent())?.trim(), 'This link is no longer valid')
      assert.match(await page.page.title(), /^This link is no longer valid - /)
      assert.equal(await page.submitButton.count(), 0)
      await assertAccessible(page.page, 'superseded link')
      const refused = await reportMistake(firstToken, 'mistake')
      assert.equal(refused.status, 410)
      assert.equal((await refused.json()).error.code, 'link_superseded')
      const after = await state()
      assert.deepEqual(after, before)

      // The new email's link opens the form.
      await page.page.goto('about:blank')
      await page.open(secondToken)
      assert.equal(
        (await page.heading.textContent())?.trim(),
        'Report that your school has been signed up incorrectly',
      )
      await context.close()
    })
  } finally {
    await sql.end()
  }
})
