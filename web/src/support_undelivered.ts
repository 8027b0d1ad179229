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
  section,
  showPage,
  table,
} from './portal_dom.ts'
import { getJson, type UndeliveredEmails } from './support_api.ts'
import { schoolHref } from './support_target.ts'
import { emailKind, emailStatusTag, undeliveredWords as words } from './support_words.ts'

export async function showUndelivered(root: HTMLElement): Promise<void> {
  const wanted = Number(new URLSearchParams(location.search).get('cohort')) || null
  const { limit, cohort, cohorts, emails } = await getJson<UndeliveredEmails>(
    `/emails/undelivered${wanted ? `?cohort=${wanted}` : ''}`,
  )
  const inCohort = words.inCohort(cohort)
  showPage(root, words.title, [
    heading(words.title),
    paragraph(words.about),
    cohortFilter(cohorts, cohort),
    emails.length === 0 ? paragraph(words.none(inCohort)) : h(
      'div',
      { class: 'app-history' },
      paragraph(words.count(emails.length, limit)),
      table({
        caption: words.caption(inCohort),
        head: [...words.head],
        rows: emails.map((email) => [
          h(
            'span',
            {},
            link(schoolHref(email.urn), email.school_name),
            h('br', {}),
            words.urn(email.urn),
          ),
          words.kind(emailKind(email.kind), email.lead_provider_name),
          email.recipient_email ?? words.noAddress,
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
    { element: 'nav', label: words.cohorts },
    plainList([
      item(words.allCohorts, null),
      ...cohorts.map((year) => item(cohortLabel(year), year)),
    ]),
  )
}
