/**
 * The lead provider's "a school reported a mistake" email names this service and links back to
 * the school, in real Chromium against the running stack: the link asks the person to sign in,
 * then opens their list of schools for that cohort, searched for the school, showing its report.
 */
import assert from 'node:assert/strict'
import { reportMistake } from './_challenge_world.ts'
import { assertAccessible, viewports, withBrowser } from './_browser.ts'
import { heading } from './_provider_pages.ts'
import { latestSignInCode, stack, waitForEmail } from './_stack.ts'
import { createProviderWorld, reportUrns } from './provider_world.ts'
import templates from '../notify/templates/templates.json' with { type: 'json' }

const providerChallenged = templates.find((template) => template.kind === 'provider_challenged')!

Deno.test('browser: the provider’s email about a school’s report links to that school, after sign-in', async () => {
  const body = await Deno.readTextFile(
    new URL(`../notify/templates/${providerChallenged.body}`, import.meta.url),
  )
  assert.match(body, /Report a mistake with early career teacher training/)
  assert.doesNotMatch(body, /list of partnerships/)
  assert.match(body, /\(\(schools_link\)\)/)

  const w = await createProviderWorld({ schools: 1 })
  const school = w.schools[0]!
  const reported = await reportUrns(w, [school.urn])
  assert.equal(reported.status, 200, reported.text)
  const schoolEmail = await waitForEmail(`office@${school.urn}.example.test`)
  const token = new URL(schoolEmail.personalisation.report_link!).hash.slice(1)
  const challenged = await reportMistake(token, 'mistake')
  assert.equal(challenged.status, 200, await challenged.text())

  const providerEmail = await waitForEmail(
    w.a.user.email,
    (message) => message.template_id === providerChallenged.id,
  )
  const schoolsLink = providerEmail.personalisation.schools_link!
  assert.equal(
    schoolsLink,
    `${stack.webUrl}/provider/schools?cohort=${w.cohort}&q=${school.urn}`,
  )

  await withBrowser(async (browser) => {
    const context = await browser.newContext({ viewport: viewports.desktop })
    const page = await context.newPage()
    await page.goto(schoolsLink)
    await page.waitForURL(/\/provider\/sign-in\?next=/)
    await page.getByLabel('Email address').fill(w.a.user.email)
    await page.getByRole('button', { name: 'Continue' }).click()
    await heading(page, 'Check your email').waitFor()
    await page.getByLabel('Code').fill(await latestSignInCode(w.a.user.email))
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(schoolsLink)
    const row = page.getByRole('row').filter({ hasText: school.name })
    await row.getByText('Reported a mistake').waitFor()
    assert.equal(await page.getByRole('row').count(), 2, 'the heading row and the school')
    await assertAccessible(page, 'schools list from the email')
    await context.close()
  })
})
