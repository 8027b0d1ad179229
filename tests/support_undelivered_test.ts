/**
 * Support's list of emails that could not be delivered shows what is still outstanding, in real
 * Chromium against the running stack: a school's undelivered email is listed under its cohort,
 * and leaves the list once support sends it again to a better address; another cohort's list
 * does not show it. axe and reflow at 320 px on each state.
 */
import assert from 'node:assert/strict'
import { withBrowser } from './_browser.ts'
import { connect } from './_stack.ts'
import { SupportPages } from './support_portal.ts'
import { callSupport, createSupportWorld } from './support_world.ts'
import * as insert from './world.ts'
import { daysFromNow } from './_made_up.ts'

/** The cohort `createSchoolLink` reports schools into. */
const linkCohort = 2090

Deno.test('browser: support’s undelivered list is by cohort, and a school fixed by a resend leaves it', async () => {
  const sql = connect()
  try {
    const { link, support } = await createSupportWorld(sql)
    await insert.notifications(sql, [{
      partnershipId: link.partnershipId,
      recipientEmail: null,
      status: 'no_address',
      createdAt: daysFromNow(-1 / 1440),
    }])

    await withBrowser(async (browser) => {
      const pages = await SupportPages.open(browser)
      try {
        await pages.goto(`/support/undelivered-emails?cohort=${linkCohort}`)
        await pages.signIn(support.email)
        const row = pages.page.getByRole('row').filter({ hasText: link.schoolName })
        await row.waitFor()
        const current = pages.page.getByRole('navigation', { name: 'Cohorts' })
          .locator('[aria-current="page"]')
        assert.equal(await current.textContent(), `${linkCohort} to ${linkCohort + 1}`)
        await pages.page.getByRole('table', {
          name: `Emails not delivered for ${linkCohort} to ${linkCohort + 1}, newest first`,
        }).waitFor()
        await pages.assertAccessible('undelivered emails in one cohort')

        // Another cohort's list does not show it.
        await pages.goto(`/support/undelivered-emails?cohort=${linkCohort + 1}`)
        await pages.page.getByText(
          `There are no emails that could not be delivered for ${linkCohort + 1} to ${
            linkCohort + 2
          }.`,
        ).waitFor()
        await pages.assertAccessible('no undelivered emails in a cohort')

        // Support sends it again to a better address: the school is no longer outstanding.
        const resent = await callSupport(
          support,
          'POST',
          `/partnerships/${link.partnershipId}/resend`,
          { email: `head-${link.urn}@school.example.test` },
        )
        assert.equal(resent.status, 202, JSON.stringify(resent.body))
        await pages.goto(`/support/undelivered-emails?cohort=${linkCohort}`)
        await pages.page.getByRole('navigation', { name: 'Cohorts' }).waitFor()
        assert.equal(
          await pages.page.getByRole('row').filter({ hasText: link.schoolName }).count(),
          0,
        )
      } finally {
        await pages.end()
      }
    })
  } finally {
    await sql.end()
  }
})
