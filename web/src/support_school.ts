/// <reference lib="dom" />
/**
 * A school as DfE support sees it: its details and addresses, and for each partnership (newest
 * academic year first) its status and deadline, the ways to act for the school while it is
 * active, what has happened (who did what, how) and every email with where it got to.
 */
import {
  cohortLabel,
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
import { describeEvent, emailKind, emailStatusTag, recipient } from './support_words.ts'

export async function showSchool(root: HTMLElement): Promise<void> {
  const record = await loadSchool(root)
  if (!record) return
  const { school, partnerships, reasons } = record
  showPage(root, school.name, [
    heading(school.name, 'l', `URN ${school.urn}`),
    schoolDetails(school),
    subheading('Partnerships', { size: 'l' }),
    partnerships.length === 0 ? paragraph('No lead provider has reported this school.') : null,
    ...partnerships.map((partnership) => partnershipSection(school, partnership, reasons)),
    paragraph(link('/support', 'Find another school')),
  ])
}

function schoolDetails(school: School): HTMLElement {
  return summaryList([
    ['Status', statusWords[school.status] ?? school.status],
    ['Type', school.establishment_type],
    ['Local authority', school.local_authority ?? 'None'],
    ['Trust', school.trust_name ?? 'Not in a trust'],
    ['Email address in GIAS', school.gias_email ?? 'None'],
    [
      'Induction tutor',
      school.induction_tutor
        ? `${school.induction_tutor.full_name}, ${school.induction_tutor.email}`
        : 'None nominated',
    ],
  ])
}

const statusWords: Record<string, string> = {
  open: 'Open',
  closed: 'Closed',
  proposed_to_close: 'Open, proposed to close',
  proposed_to_open: 'Proposed to open',
}

function partnershipSection(
  school: School,
  p: SchoolPartnership,
  reasons: Reason[],
): HTMLElement {
  const which = `${cohortLabel(p.cohort)}, ${p.lead_provider_name}`
  const query = new URLSearchParams({ urn: school.urn, id: p.partnership_id })
  const active = p.status === 'active'
  return section(
    { label: which, space: 9 },
    subheading(`${cohortLabel(p.cohort)} academic year: ${p.lead_provider_name}`, { level: 3 }),
    summaryList([
      ['Lead provider', p.lead_provider_name],
      ['Delivery partner', p.delivery_partner_name],
      ['Reported on', formatDate(p.reported_at)],
      [
        'Deadline to report a mistake',
        `${formatDate(p.deadline)}${p.window_closed ? ' (passed)' : ''}`,
      ],
      ['Status', active ? tag('Confirmed', 'green') : tag('Mistake reported', 'red')],
      ...(active ? [] : challengeRows(p)),
    ]),
    active
      ? plainList([
        link(
          `/support/report-a-mistake?${query}`,
          'Report a mistake for the school',
          visuallyHidden(` (${which})`),
        ),
        link(
          `/support/resend-email?${query}`,
          'Send the email to a corrected address',
          visuallyHidden(` (${which})`),
        ),
      ])
      : null,
    h(
      'div',
      { class: 'app-history' },
      p.events.length === 0 ? paragraph('Nothing has been recorded yet.') : table({
        caption: 'What has happened',
        head: ['Date', 'What happened', 'Who, and how'],
        rows: p.events.map((event) => {
          const { what, who } = describeEvent(event, p.emails, reasons)
          return [formatDateTime(event.created_at), what, who]
        }),
      }),
      p.emails.length === 0 ? paragraph('No emails yet.') : table({
        caption: 'Emails',
        head: ['Email', 'Sent to', 'Status'],
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
    ['Reason', p.challenge_reason_label ?? 'Not recorded'],
    [
      'Mistake reported',
      `${p.challenged_at ? formatDate(p.challenged_at) : ''}, ${
        p.challenge_channel === 'support'
          ? 'by DfE support for the school'
          : 'by the school, using the link in its email'
      }`,
    ],
    ...(p.challenge_note ? [['Note from DfE support', p.challenge_note] as [string, string]] : []),
  ]
}

function emailWhen(email: PartnershipEmail): string {
  if (email.delivery_status_at) return formatDateTime(email.delivery_status_at)
  if (email.sent_at) return formatDateTime(email.sent_at)
  if (email.status === 'queued') return `Due ${formatDateTime(email.due_at)}`
  return ''
}
