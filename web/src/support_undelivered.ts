/// <reference lib="dom" />
/**
 * "Emails that could not be delivered": school and provider emails that never reached anyone
 * (no address, could not be sent, or Notify could not deliver them) and that nothing has put
 * right since, newest first, in every cohort or one; each links to its school so support can
 * find a better address and send it again. The cohort is in the address, so Back works.
 */
import {
  cohortLabel,
  formatDateTime,
  h,
  heading,
  link,
  paragraph,
  plainList,
  plural,
  section,
  showPage,
  table,
} from './portal_dom.ts'
import { getJson, type UndeliveredEmails } from './support_api.ts'
import { schoolHref } from './support_target.ts'
import { emailKind, emailStatusTag } from './support_words.ts'

export async function showUndelivered(root: HTMLElement): Promise<void> {
  const wanted = Number(new URLSearchParams(location.search).get('cohort')) || null
  const { limit, cohort, cohorts, emails } = await getJson<UndeliveredEmails>(
    `/emails/undelivered${wanted ? `?cohort=${wanted}` : ''}`,
  )
  const inCohort = cohort ? ` for ${cohortLabel(cohort)}` : ''
  showPage(root, 'Emails that could not be delivered', [
    heading('Emails that could not be delivered'),
    paragraph(
      'Emails with no address, that could not be sent, or that GOV.UK Notify could not deliver, and that no later email has put right. Find a better address for the school, then send the email again from the school’s page. Once that email is on its way, the school leaves this list.',
    ),
    cohortFilter(cohorts, cohort),
    emails.length === 0
      ? paragraph(`There are no emails that could not be delivered${inCohort}.`)
      : h(
        'div',
        { class: 'app-history' },
        paragraph(
          emails.length === limit
            ? `The newest ${limit} are shown.`
            : plural(emails.length, 'email', 'emails'),
        ),
        table({
          caption: `Emails not delivered${inCohort}, newest first`,
          head: ['School', 'Email', 'Sent to', 'Status'],
          rows: emails.map((email) => [
            h(
              'span',
              {},
              link(schoolHref(email.urn), email.school_name),
              h('br', {}),
              `URN ${email.urn}`,
            ),
            `${emailKind(email.kind)} (${email.lead_provider_name})`,
            email.recipient_email ?? 'No email address',
            h('span', {}, emailStatusTag(email), ' ', formatDateTime(email.created_at)),
          ]),
        }),
      ),
  ])
}

/** Links to show one cohort's emails, or every cohort's; the one shown is marked current. */
function cohortFilter(cohorts: number[], current: number | null): HTMLElement {
  const item = (text: string, year: number | null) =>
    year === current ? h('strong', { 'aria-current': 'page' }, text) : link(
      year ? `/support/undelivered-emails?cohort=${year}` : '/support/undelivered-emails',
      text,
    )
  return section(
    { element: 'nav', label: 'Cohorts' },
    plainList([item('All cohorts', null), ...cohorts.map((year) => item(cohortLabel(year), year))]),
  )
}
