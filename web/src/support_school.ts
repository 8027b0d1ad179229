/// <reference lib="dom" />
/**
 * A school as DfE support sees it: its details and addresses, and for each partnership (newest
 * academic year first) its status and deadline, the ways to act for the school while it is
 * active, what has happened (who did what, how) and every email with where it got to.
 */
import {
  formatDate,
  formatDateTime,
  h,
  heading,
  link,
  paragraph,
  plainList,
  section,
  showPage,
  subheading,
  summaryList,
  table,
  tag,
  visuallyHidden,
} from './portal_dom.ts'
import type { PartnershipEmail, Reason, School, SchoolPartnership } from './support_api.ts'
import { loadSchool } from './support_target.ts'
import {
  describeEvent,
  emailKind,
  emailStatusTag,
  recipient,
  schoolWords as words,
} from './support_words.ts'

export async function showSchool(root: HTMLElement): Promise<void> {
  const record = await loadSchool(root)
  if (!record) return
  const { school, partnerships, reasons } = record
  showPage(root, school.name, [
    heading(school.name, 'l', words.urn(school.urn)),
    schoolDetails(school),
    subheading(words.partnerships, { size: 'l' }),
    partnerships.length === 0 ? paragraph(words.noPartnerships) : null,
    ...partnerships.map((partnership) => partnershipSection(school, partnership, reasons)),
    paragraph(link('/support', words.findAnother)),
  ])
}

function schoolDetails(school: School): HTMLElement {
  return summaryList([
    [words.status, words.schoolStatuses[school.status] ?? school.status],
    [words.type, school.establishment_type],
    [words.localAuthority, school.local_authority ?? words.none],
    [words.trust, school.trust_name ?? words.noTrust],
    [words.giasEmail, school.gias_email ?? words.none],
    [
      words.tutor,
      school.induction_tutor
        ? `${school.induction_tutor.full_name}, ${school.induction_tutor.email}`
        : words.noTutor,
    ],
  ])
}

function partnershipSection(
  school: School,
  p: SchoolPartnership,
  reasons: Reason[],
): HTMLElement {
  const which = words.which(p.cohort, p.lead_provider_name)
  const query = new URLSearchParams({ urn: school.urn, id: p.partnership_id })
  const active = p.status === 'active'
  return section(
    { label: which, space: 9 },
    subheading(words.partnershipHeading(p.cohort, p.lead_provider_name), { level: 3 }),
    summaryList([
      [words.leadProvider, p.lead_provider_name],
      [words.deliveryPartner, p.delivery_partner_name],
      [words.reportedOn, formatDate(p.reported_at)],
      [words.deadline, words.deadlineDate(p.deadline, p.window_closed)],
      [words.status, active ? tag(words.confirmed, 'green') : tag(words.challenged, 'red')],
      ...(active ? [] : challengeRows(p)),
    ]),
    active
      ? plainList([
        link(
          `/support/report-a-mistake?${query}`,
          words.reportMistake,
          visuallyHidden(` (${which})`),
        ),
        link(
          `/support/resend-email?${query}`,
          words.resend,
          visuallyHidden(` (${which})`),
        ),
      ])
      : null,
    h(
      'div',
      { class: 'app-history' },
      p.events.length === 0 ? paragraph(words.nothingYet) : table({
        caption: words.historyCaption,
        head: [...words.historyHead],
        rows: p.events.map((event) => {
          const { what, who } = describeEvent(event, p.emails, reasons)
          return [formatDateTime(event.created_at), what, who]
        }),
      }),
      p.emails.length === 0 ? paragraph(words.noEmails) : table({
        caption: words.emailsCaption,
        head: [...words.emailsHead],
        rows: p.emails.map((email) => [
          emailKind(email.kind),
          recipient(email),
          h('span', {}, emailStatusTag(email), ' ', emailWhen(email)),
        ]),
      }),
    ),
  )
}

function challengeRows(p: SchoolPartnership): [string, string][] {
  return [
    [words.reason, p.challenge_reason_label ?? words.notRecorded],
    [
      words.challenged,
      words.challengedHow(
        p.challenged_at ? formatDate(p.challenged_at) : '',
        p.challenge_channel === 'support',
      ),
    ],
    ...(p.challenge_note ? [[words.supportNote, p.challenge_note] as [string, string]] : []),
  ]
}

function emailWhen(email: PartnershipEmail): string {
  if (email.delivery_status_at) return formatDateTime(email.delivery_status_at)
  if (email.sent_at) return formatDateTime(email.sent_at)
  if (email.status === 'queued') return words.due(formatDateTime(email.due_at))
  return ''
}
