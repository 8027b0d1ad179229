/**
 * One sweep over every page and state of the site and both portals, in real Chromium against the
 * running stack: each state in the table below is reached the way a person reaches it (real
 * links, sign-ins and forms; a failed or slow request held or cut in the browser where the state
 * is about the network), then `assertAccessible` checks axe's WCAG 2.2 A/AA rules and reflow
 * (nothing wider than the screen) at desktop width and at 320 px. Each state is one `t.step`, so
 * a failure names the page and state. Every preview the built site lists in `previews.json` is
 * swept too (the report page's states and each portal state's fixture).
 *
 * States run in order on one page per surface (signed out, lead provider, support, a person with
 * no delivery partners); a state may carry on from the one before it on the same surface. Adding
 * a state is one line in `states()`.
 *
 * With `SWEEP_SCREENSHOTS=<dir>` each state is also saved at 320 px as `<dir>/<nnn>-<state>.png`.
 */
import assert from 'node:assert/strict'
import { Buffer } from 'node:buffer'
import type postgres from 'postgres'
import { assertAccessible, type Browser, type Page, viewports, withBrowser } from './_browser.ts'
import { createSchoolLink, newToken } from './_challenge_world.ts'
import { choosePartner, signInThroughPages } from './_provider_pages.ts'
import { reasonLabels, ReportPage } from './_report_page.ts'
import { connect, eventually, latestSignInCode, stack, waitForEmail } from './_stack.ts'
import {
  callProvider,
  challenge,
  createProviderWorld,
  createSchools,
  type ProviderWorld,
} from './provider_world.ts'
import { callSupport, createSupportWorld } from './support_world.ts'
import { reportStateIds } from '../web/src/report_states.ts'

type Surface = 'site' | 'provider' | 'support' | 'other'
/** A named state: the surface it is on, then what reaches it, in order. */
type State = [name: string, on: Surface, ...reach: Action[]]

/** A seed cohort whose academic year (2025 to 2026) has ended. */
const pastCohort = { id: 'c0000000-0000-4000-8000-000000002025', startYear: 2025 }
/** The cohort `createSchoolLink` reports schools into. */
const linkCohort = 2090

type Sweep = Awaited<ReturnType<typeof buildWorld>>

/**
 * Lead provider A with 24 schools reported (2 pages of "Your schools"): one emailed, one that
 * reported a mistake, one whose email bounced, 20 with no address, and one whose first link a
 * re-report superseded; a second, ended cohort to choose from; an API token; 53 unreported schools
 * to report through the pages (two in a trust). A support world's school with an email that could
 * not be sent, and open and expired links for the report page.
 */
async function buildWorld(sql: postgres.Sql) {
  const w = await createProviderWorld({ schools: 3 })
  const [emailed, challenged, superseded] = w.schools
  await sql`
    insert into public.provider_relationships (lead_provider_id, delivery_partner_id, cohort_id)
    values (${w.a.id}, ${w.a.deliveryPartner.id}, ${pastCohort.id})`
  const noAddress = await createSchools(sql, 20, { email: false })
  // Notify's simulator address that always fails for good: the school's email never arrives.
  const [bounced] = await createSchools(sql, 1)
  await sql`
    update public.schools set gias_email = 'perm-fail@simulator.notify'
    where school_id = ${bounced!.id}`
  const schools = [...w.schools, bounced!, ...noAddress]
  const reported = await report(w, schools.map((school) => school.urn))
  const idOf = (urn: string) => reported.find((row) => row.urn === urn)!.partnership_id
  await challenge(idOf(challenged!.urn))

  // The school reports a mistake with its first link; the provider reports it again.
  const first = await waitForEmail(`office@${superseded!.urn}.example.test`)
  const supersededToken = new URL(first.personalisation.report_link!).hash.slice(1)
  const reportedMistake = await fetch(`${stack.apiUrl}/functions/v1/challenge/report`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', apikey: stack.publishableKey },
    body: JSON.stringify({ token: supersededToken, reason: 'mistake' }),
  })
  assert.equal(reportedMistake.status, 200, await reportedMistake.text())
  await report(w, [superseded!.urn])

  const toReport = await createSchools(sql, 52, { email: false })
  const [emailedToReport] = await createSchools(sql, 1)
  await sql`
    update public.schools set trust_uid = ${`SWEEP${w.cohort}`}, trust_name = 'Sweep Trust',
      trust_type = 'multi_academy_trust'
    where school_id = any(${[toReport[0]!.id, toReport[1]!.id]}::uuid[])`

  const support = await createSupportWorld(sql)
  await sql`
    insert into public.notifications (kind, partnership_id, recipient_email, recipient_kind,
      status, created_at)
    values ('school_first', ${support.link.partnershipId}, null, 'gias', 'no_address', now())`
  const token = await callSupport(support.support, 'POST', `/lead-providers/${w.a.id}/api-tokens`, {
    name: 'Student record system',
  })
  assert.equal(token.status, 201, JSON.stringify(token.body))

  return {
    w,
    support,
    school: {
      emailed: idOf(emailed!.urn),
      noAddress: idOf(noAddress[0]!.urn),
      bounced: idOf(bounced!.urn),
      challenged: idOf(challenged!.urn),
    },
    toReport: [...toReport, emailedToReport!].map((school) => school.urn),
    links: {
      open: await createSchoolLink(sql),
      expired: await createSchoolLink(sql, { emailedDaysAgo: 30 }),
      superseded: supersededToken,
    },
  }
}

async function report(w: ProviderWorld, urns: string[]) {
  const answer = await callProvider('/reports', {
    token: w.a.accessToken,
    body: { cohort: w.cohort, delivery_partner_id: w.a.deliveryPartner.id, urns },
  })
  assert.equal(answer.status, 200, answer.text)
  return (answer.body as { rows: { urn: string; partnership_id: string }[] }).rows
}

/** One thing a person (or the network) does, or waits to see, on a page. */
type Action = (page: Page) => Promise<unknown>

const web = (path: string) => `${stack.webUrl}${path}`
const api = (path: string) => `${stack.apiUrl}/functions/v1${path}`

const go = (path: string): Action => (p) => p.goto(web(path))
const press = (name: string | RegExp): Action => (p) =>
  p.getByRole('button', { name, exact: typeof name === 'string' }).first().click()
const follow = (name: string | RegExp): Action => (p) =>
  p.getByRole('link', { name }).first().click()
const type = (label: string, value: string | (() => Promise<string>)): Action => async (p) =>
  p.getByLabel(label).fill(typeof value === 'string' ? value : await value())
const pick = (label: string): Action => (p) => p.getByLabel(label, { exact: true }).check()
const h1 = (text: string | RegExp): Action => (p) =>
  p.getByRole('heading', { level: 1, name: text }).waitFor()
/** The error summary's link to the field in trouble. */
const alert = (text: string): Action => (p) =>
  p.getByRole('alert').getByRole('link', { name: text }).first().waitFor()
const sees = (text: string): Action => (p) => p.getByText(text).first().waitFor()
const role = (name: 'table' | 'navigation' | 'region' | 'status', text: string): Action => (p) =>
  p.getByRole(name, { name: text }).first().waitFor()
const row = (text: string): Action => (p) => p.getByRole('row').filter({ hasText: text }).waitFor()
const status = (text: string): Action => (p) =>
  p.getByRole('status').filter({ hasText: text }).waitFor()

/** The network fails for requests to a function's `path`, until `restore(path)`. */
const cut = (path: string): Action => (p) =>
  p.route(api(path), (route) => route.abort('internetdisconnected'))
/** The function answers `path` with this refusal, until `restore(path)`. */
const refuse = (path: string, status: number, code: string): Action => (p) =>
  p.route(api(path), (route) =>
    route.fulfill({
      status,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code, message: code } }),
    }))
const restore = (path: string): Action => (p) => p.unroute(api(path))

/**
 * Requests to `path` wait until `release`, so a "please wait" state can be checked; `restore(path)`
 * once the page has its answer.
 */
function holder(path: string): { hold: Action; release: Action } {
  let release = () => {}
  const held = new Promise<void>((resolve) => release = resolve)
  return {
    hold: (p) =>
      p.route(api(path), async (route) => {
        await held
        await route.continue()
      }),
    release: () => Promise.resolve(release()),
  }
}

/** Opens a school's link afresh (the same address again would only be a jump within the page). */
const openLink = (token: string): Action => async (p) => {
  await p.goto('about:blank')
  await new ReportPage(p).open(token)
}

const wrongCode = (email: string) => async () =>
  (await latestSignInCode(email)) === '000000' ? '111111' : '000000'
const code = (email: string) => () => latestSignInCode(email)

function states(sql: postgres.Sql, { w, support, school, toReport, links }: Sweep): State[] {
  const cohortName = `${w.cohort} to ${w.cohort + 1}`
  const { link } = support
  const supportSchool = `/support/school?urn=${link.urn}`
  const target = new URLSearchParams({ urn: link.urn, id: link.partnershipId })
  const checking = holder('/provider/reports/check')
  const recording = holder('/provider/reports')
  const bad = Array.from({ length: 60 }, (_, i) => `X${i}`).join('\n')
  const urnLabel = 'School’s unique reference number (URN)'
  const newLinkLimit = refuse('/challenge/new-link', 429, 'urn_limit')
  const noLimitsYet: Action = () => sql`delete from app.new_link_requests`
  const bounceShown: Action = (p) =>
    eventually(async () => {
      await p.goto(web(`/provider/school?id=${school.bounced}`))
      await p.getByRole('heading', { level: 1 }).waitFor()
      return await p.getByText('Our email did not reach this school').count() || undefined
    }, { what: 'the bounce to show on the school page' })
  const tooLarge: Action = (p) =>
    p.getByLabel('CSV file').setInputFiles({
      name: 'big.csv',
      mimeType: 'text/csv',
      buffer: Buffer.alloc(2 * 1024 * 1024 + 1, '1'),
    })
  const codeRefused: Action = async () => {
    const fault = await fetch(`${stack.notifyUrl}/_double/faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: '400', to: support.provider.email }),
    })
    assert.equal(fault.status, 201)
    await fault.body?.cancel()
  }
  const problem = 'Sorry, there is a problem with the service'
  const signedOut = 'You have signed out'
  const reasonRequired = 'Select a reason why you think this confirmation is incorrect'

  // One state a line, so the table reads as a list and adding a state is adding a line.
  // deno-fmt-ignore
  return [
    // The static site, the report page's previews and "Get a new link".
    ['start page', 'site', go('/')],
    ['accessibility statement', 'site', go('/accessibility')],
    ['cookies', 'site', go('/cookies')],
    ['privacy notice', 'site', go('/privacy')],
    ['page not found', 'site', go('/no-such-page')],
    ['preview index', 'site', go('/preview/')],
    ['get a new link', 'site', go('/get-a-new-link'), h1('Get a new link to report a mistake')],
    ['get a new link: no URN', 'site', press('Send a new link'), alert('Enter the school’s')],
    ['get a new link: limit reached', 'site', newLinkLimit, type(urnLabel, links.open.urn), press('Send a new link'), alert('A new link has already been sent'), restore('/challenge/new-link')],
    ['get a new link: sent', 'site', noLimitsYet, go('/get-a-new-link'), type(urnLabel, links.open.urn), press('Send a new link'), h1('Check the school’s email')],
    ['get a new link: problem', 'site', cut('/challenge/new-link'), go('/get-a-new-link'), type(urnLabel, links.open.urn), press('Send a new link'), h1(problem), restore('/challenge/new-link')],

    // The report page, from real links.
    ['report: open', 'site', openLink(links.open.token), h1('Report that your school has been')],
    ['report: no reason chosen', 'site', press('Submit'), alert(reasonRequired)],
    ['report: submitted', 'site', pick(reasonLabels.mistake), press('Submit'), h1('Your report has been submitted')],
    ['report: already reported', 'site', openLink(links.open.token), h1(/has already reported this issue$/)],
    ['report: expired', 'site', openLink(links.expired.token), h1('This link has expired')],
    ['report: superseded by a new report', 'site', openLink(links.superseded), h1('This link is no longer valid')],
    ['report: not found', 'site', openLink(newToken()), h1('Page not found')],
    ['report: problem', 'site', cut('/challenge/status'), openLink(links.expired.token), h1(problem), restore('/challenge/status')],

    // The lead provider portal, signed out then signed in as lead provider A.
    ['provider: sign in', 'provider', go('/provider/sign-in'), h1('Sign in to report schools')],
    ['provider: sign in with no email', 'provider', press('Continue'), alert('Enter your email address')],
    ['provider: sign in with a malformed email', 'provider', type('Email address', 'not an address'), press('Continue'), alert('Enter an email address in the correct format')],
    ['provider: enter the code', 'provider', type('Email address', w.a.user.email), press('Continue'), h1('Check your email')],
    ['provider: wrong code', 'provider', type('Code', wrongCode(w.a.user.email)), press('Sign in'), alert('The code is wrong or has expired')],
    ['provider: home page', 'provider', type('Code', code(w.a.user.email)), press('Sign in'), h1(w.a.name)],
    ['provider: your schools, page 1 of 2', 'provider', go(`/provider/schools?cohort=${w.cohort}`), role('navigation', 'Pages of schools')],
    ['provider: your schools, page 2 of 2', 'provider', go(`/provider/schools?cohort=${w.cohort}&page=2`), role('table', `Schools for ${cohortName}`)],
    ['provider: your schools, searched', 'provider', go(`/provider/schools?cohort=${w.cohort}&q=${w.schools[0]!.urn}`), row(w.schools[0]!.name)],
    ['provider: your schools, nothing matches', 'provider', go(`/provider/schools?cohort=${w.cohort}&q=no-such-school`), sees('There are no matching results.')],
    ['provider: your schools, none in an ended year', 'provider', go(`/provider/schools?cohort=${pastCohort.startYear}`), sees('You have not reported any schools for this academic year.')],
    ['provider: school emailed', 'provider', go(`/provider/school?id=${school.emailed}`), h1(w.schools[0]!.name)],
    ['provider: school not emailed, no address', 'provider', go(`/provider/school?id=${school.noAddress}`), sees('We have not emailed this school')],
    ['provider: school whose email did not arrive', 'provider', bounceShown],
    ['provider: school that reported a mistake', 'provider', go(`/provider/school?id=${school.challenged}`), sees('This school reported they did not confirm an agreement with you')],
    ['provider: school not found', 'provider', go(`/provider/school?id=${crypto.randomUUID()}`), h1('School not found')],
    ['provider: API tokens', 'provider', go('/provider/api-tokens'), sees('Student record system')],
    ['provider: report, academic year', 'provider', go('/provider/report-schools'), h1('Which academic year are these schools for?')],
    ['provider: report, no academic year chosen', 'provider', press('Continue'), alert('Select an academic year')],
    ['provider: report, delivery partner', 'provider', pick(cohortName), press('Continue'), h1('Choose the delivery partner')],
    ['provider: report, no delivery partner chosen', 'provider', press('Continue'), alert('Choose a delivery partner')],
    ['provider: report, delivery partner for an ended year', 'provider', go(`/provider/report-schools?cohort=${pastCohort.startYear}`), sees('academic year has ended')],
    ['provider: report, upload', 'provider', (p) => choosePartner(p, w)],
    ['provider: report, nothing uploaded', 'provider', press('Continue'), alert('Select a CSV file to upload, or paste the URNs')],
    ['provider: report, file too large', 'provider', tooLarge, press('Continue'), alert('The selected file must be smaller than 2MB')],
    ['provider: report, only rows with errors', 'provider', type('Or paste the URNs', 'ABC\nXYZ'), press('Continue'), h1('Your CSV has errors')],
    ['provider: report, every school removed', 'provider', press('Upload again'), type('Or paste the URNs', toReport[0]!), press('Continue'), press(/^Remove /), h1('You have removed all schools from the list')],
    // Afresh: a reload of the same address carries on from the step before, as it should.
    ['provider: report, checking a long list', 'provider', go('/provider'), (p) => choosePartner(p, w), checking.hold, type('Or paste the URNs', `${bad}\n${toReport.join('\n')}`), press('Continue'), status('Checking each row')],
    ['provider: report, rows with errors, page 1 of 2', 'provider', checking.release, role('table', 'Rows with errors (page 1 of 2)'), restore('/provider/reports/check')],
    ['provider: report, rows with errors, page 2 of 2', 'provider', follow(/Next/), role('table', 'Rows with errors (page 2 of 2)')],
    ['provider: report, confirm with a trust, page 1 of 2', 'provider', press('Continue with 53 schools'), h1('Confirm that you have an agreement with 53 schools'), sees('Sweep Trust is a multi-academy trust')],
    ['provider: report, confirm, page 2 of 2', 'provider', follow(/Next/), role('region', 'Schools to confirm (page 2 of 2)')],
    ['provider: report, confirm after removing a school', 'provider', press(/^Remove /), sees('has been removed')],
    ['provider: report, confirm with no answer from the service', 'provider', cut('/provider/reports'), press('Confirm'), sees('We could not reach the service, so we cannot tell whether'), restore('/provider/reports')],
    ['provider: report, confirm refused', 'provider', refuse('/provider/reports', 422, 'refused'), press('Confirm'), sees('Your schools have not been reported. Nothing was saved.'), restore('/provider/reports')],
    ['provider: report, recording the schools', 'provider', recording.hold, press('Confirm'), status('Reporting 52 schools')],
    ['provider: report, confirmed with schools not emailed', 'provider', recording.release, h1(/52 schools confirmed/), sees('We cannot email 51 schools'), restore('/provider/reports')],
    ['provider: problem with the service', 'provider', cut('/provider/me'), go('/provider'), h1(problem), restore('/provider/me')],
    ['provider: signed out', 'provider', go('/provider/sign-out'), sees(signedOut)],

    // A lead provider's user whose organisation has no delivery partners (the support world's).
    ['provider: code could not be sent', 'other', codeRefused, go('/provider/sign-in'), type('Email address', support.provider.email), press('Continue'), alert('We could not send a code to that email address')],
    ['provider: home page with no delivery partners', 'other', (p) => signInThroughPages(p, support.provider.email), h1(link.leadProviderName)],
    ['provider: nothing to report', 'other', go('/provider/report-schools'), h1('You cannot report schools yet')],
    ['support: not a support user', 'other', go('/support'), h1('You do not have access')],

    // DfE support's tools, signed out then signed in.
    ['support: sign in', 'support', go('/support'), h1('Sign in to the DfE support tools')],
    ['support: sign in with no email', 'support', press('Continue'), alert('Enter your email address')],
    ['support: enter the code', 'support', type('Email address', support.support.email), press('Continue'), h1('Check your email')],
    ['support: wrong code', 'support', type('Code', wrongCode(support.support.email)), press('Sign in'), alert('The code is wrong or has expired')],
    ['support: find a school', 'support', type('Code', code(support.support.email)), press('Sign in'), sees(`You are signed in as ${support.support.fullName}`)],
    ['support: find with nothing entered', 'support', press('Search'), alert('Enter a school URN or name')],
    ['support: schools found', 'support', go(`/support?q=${link.urn}`), role('table', 'Schools found')],
    ['support: no school found', 'support', go('/support?q=no-such-school-anywhere'), sees('No schools match')],
    ['support: school', 'support', go(supportSchool), role('table', 'Emails')],
    ['support: school not found', 'support', go('/support/school?urn=1'), h1('School not found')],
    ['support: partnership not found', 'support', go(`/support/resend-email?urn=${link.urn}&id=${crypto.randomUUID()}`), h1('Partnership not found')],
    ['support: emails not delivered', 'support', go('/support/undelivered-emails'), role('navigation', 'Cohorts')],
    ['support: emails not delivered in one cohort', 'support', go(`/support/undelivered-emails?cohort=${linkCohort}`), row(link.schoolName)],
    ['support: no emails not delivered in a cohort', 'support', go(`/support/undelivered-emails?cohort=${linkCohort + 1}`), sees('There are no emails that could not be delivered')],
    ['support: resend', 'support', go(`/support/resend-email?${target}`), h1(/Send the email to a corrected address/)],
    ['support: resend with no address', 'support', press('Send the email'), alert('Enter an email address')],
    ['support: resend to a malformed address', 'support', type('Email address', 'head at school'), press('Send the email'), alert('Enter an email address in the correct format')],
    ['support: email on its way', 'support', type('Email address', `head-${link.urn}@school.example.test`), press('Send the email'), h1('Email on its way')],
    ['support: report a mistake', 'support', go(`/support/report-a-mistake?${target}`), h1('Why is this confirmation incorrect?')],
    ['support: report with no reason', 'support', press('Continue'), alert(reasonRequired)],
    ['support: report with a note too long', 'support', pick(reasonLabels.not_confirmed), type('Note (optional)', 'x'.repeat(2001)), press('Continue'), alert('The note must be 2,000 characters or fewer')],
    ['support: check before reporting', 'support', type('Note (optional)', 'Head teacher phoned.'), press('Continue'), h1('Check before you report the mistake')],
    ['support: mistake reported', 'support', press('Report the mistake'), h1('Mistake reported')],
    ['support: mistake already reported', 'support', go(`/support/report-a-mistake?${target}`), h1('A mistake has already been reported')],
    ['support: school with its history', 'support', go(supportSchool), role('table', 'What has happened')],
    ['support: resend after a mistake was reported', 'support', go(`/support/resend-email?${target}`), h1('You cannot send this email again')],
    ['support: API tokens, lead providers', 'support', go('/support/api-tokens'), h1('Lead Provider API tokens')],
    ['support: API tokens, none yet', 'support', follow(link.leadProviderName), sees('There are no API tokens yet.')],
    ['support: API token with no name', 'support', press('Create token'), alert('Enter a name for the token')],
    ['support: API token created', 'support', type('Name', 'Sweep system'), press('Create token'), h1('Token created')],
    ['support: API tokens, one active', 'support', follow(/’s tokens$/), sees('Sweep system')],
    ['support: API token revoked', 'support', press('Revoke Sweep system'), sees('Token “Sweep system” revoked')],
    ['support: lead provider not found', 'support', go(`/support/api-tokens?lead_provider=${crypto.randomUUID()}`), h1('Lead provider not found')],
    ['provider: a support user is not a provider user', 'support', go('/provider'), h1('You cannot use this service')],
    ['support: signed out', 'support', go('/support/sign-out'), sees(signedOut)],
  ]
}

/**
 * Every preview the build lists in `previews.json` (`{ href, title }`: the report page's states
 * and each portal state's fixture), beside the report page's own previews, each once.
 */
async function previews(): Promise<State[]> {
  const response = await fetch(`${stack.webUrl}/previews.json`)
  const listed: { href: string; title?: string }[] =
    response.ok && response.headers.get('content-type')?.includes('json')
      ? await response.json()
      : (await response.body?.cancel(), [])
  const hrefs = new Set([
    ...reportStateIds.map((id) => `/preview/report-a-mistake/${id}`),
    ...listed.map(({ href }) => href),
  ])
  return [...hrefs].map((href): State => [`preview: ${href}`, 'site', openPreview(href)])
}

/** Opens a preview and waits until it shows its page (a portal's once its script has filled it). */
const openPreview = (href: string): Action => async (p) => {
  await p.goto(web(href))
  await p.getByRole('heading', { level: 1 }).first().waitFor()
  if (/^\/preview\/(provider|support)\//.test(href)) {
    await p.waitForFunction(() => document.activeElement?.matches('h1, [data-module]') ?? false)
  }
}

const screenshotDir = Deno.env.get('SWEEP_SCREENSHOTS')

/** Saves the page at 320 px for people to look at, when SWEEP_SCREENSHOTS names a folder. */
async function screenshot(page: Page, index: number, name: string): Promise<void> {
  if (!screenshotDir) return
  const file = `${String(index).padStart(3, '0')}-${name.replace(/[^a-z0-9]+/gi, '-')}.png`
  await page.setViewportSize(viewports.narrow)
  await page.screenshot({ path: `${screenshotDir}/${file}`, fullPage: true })
  await page.setViewportSize(viewports.desktop)
}

async function surfaces(browser: Browser): Promise<Record<Surface, Page>> {
  const pages = await Promise.all(['site', 'provider', 'support', 'other'].map(async () => {
    const context = await browser.newContext({ viewport: viewports.desktop })
    context.setDefaultTimeout(20_000)
    return await context.newPage()
  }))
  return { site: pages[0]!, provider: pages[1]!, support: pages[2]!, other: pages[3]! }
}

Deno.test('browser: every page and state of the site and both portals passes axe and reflows at 320 px', async (t) => {
  const sql = connect()
  try {
    const sweep = await buildWorld(sql)
    if (screenshotDir) await Deno.mkdir(screenshotDir, { recursive: true })
    await withBrowser(async (browser) => {
      const pages = await surfaces(browser)
      const all = [...states(sql, sweep), ...await previews()]
      for (const [index, [name, on, ...reach]] of all.entries()) {
        await t.step(name, async () => {
          const page = pages[on]
          for (const action of reach) await action(page)
          await assertAccessible(page, name)
          await screenshot(page, index, name)
        })
      }
    })
  } finally {
    await sql.end()
  }
})
