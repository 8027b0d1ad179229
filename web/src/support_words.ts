/// <reference lib="dom" />
/**
 * Every word DfE support's pages show, one object per page, with tiny functions for sentences
 * that take values; and how those pages put the service's records into words: what each email
 * is, where it went, its sending and delivery status as a GOV.UK tag, and each event of a
 * school's timeline as what happened and who did it, how. One file to review the tools' wording.
 */
import { cohortLabel, formatDate, plural, tag } from './portal_dom.ts'
export {
  noteTooLong,
  reasonRequired,
  tokenNameRequired,
  tokenNameTooLong,
} from '../../supabase/functions/_shared/wording.ts'
import type { PartnershipEmail, PartnershipEvent, Reason } from './support_api.ts'

/** The sign-in page, and the page for someone signed in who is not a support user. */
export const signInWords = {
  heading: 'Sign in to the DfE support tools',
  hint: 'Use your Department for Education email address',
  notAllowedTitle: 'You do not have access',
  notAllowed: 'Your account is not set up for the Department for Education’s support tools.',
  ifItShould: 'If you think it should be, ask the service team to add you. ',
  signOut: 'Sign out',
} as const

/** "Find a school". */
export const findWords = {
  title: 'Find a school',
  label: 'School URN or name',
  hint: 'For example, 100001 or part of the school’s name',
  search: 'Search',
  required: 'Enter a school URN or name',
  signedInAs: (name: string, email: string) => `You are signed in as ${name} (${email}).`,
  found: (count: number, q: string) =>
    count === 0
      ? `No schools match “${q}”. Check the URN or the spelling of the name.`
      : `${plural(count, 'school matches', 'schools match')} “${q}”`,
  caption: 'Schools found',
  head: ['School', 'URN', 'Local authority', 'Partnerships'],
  noLocalAuthority: 'None',
  limited: (limit: number) =>
    `Only the first ${limit} are shown. Search for the URN or more of the name.`,
} as const

/** The page a support link lands on when its school or partnership does not exist. */
export const notFoundWords = {
  school: 'School not found',
  partnership: 'Partnership not found',
  check: 'Check the link, or ',
  find: 'find the school',
  byUrn: ' by its URN or name.',
} as const

/** A school, its partnerships, their timelines and emails. */
export const schoolWords = {
  urn: (urn: string) => `URN ${urn}`,
  partnerships: 'Partnerships',
  noPartnerships: 'No lead provider has reported this school.',
  findAnother: 'Find another school',
  status: 'Status',
  type: 'Type',
  localAuthority: 'Local authority',
  none: 'None',
  trust: 'Trust',
  noTrust: 'Not in a trust',
  giasEmail: 'Email address in GIAS',
  tutor: 'Induction tutor',
  noTutor: 'None nominated',
  schoolStatuses: {
    open: 'Open',
    closed: 'Closed',
    proposed_to_close: 'Open, proposed to close',
    proposed_to_open: 'Proposed to open',
  } as Record<string, string>,
  which: (cohort: number, provider: string) => `${cohortLabel(cohort)}, ${provider}`,
  partnershipHeading: (cohort: number, provider: string) =>
    `${cohortLabel(cohort)} academic year: ${provider}`,
  leadProvider: 'Lead provider',
  deliveryPartner: 'Delivery partner',
  reportedOn: 'Reported on',
  deadline: 'Deadline to report a mistake',
  deadlineDate: (deadline: string, passed: boolean) =>
    `${formatDate(deadline)}${passed ? ' (passed)' : ''}`,
  confirmed: 'Confirmed',
  challenged: 'Mistake reported',
  reportMistake: 'Report a mistake for the school',
  resend: 'Send the email to a corrected address',
  nothingYet: 'Nothing has been recorded yet.',
  historyCaption: 'What has happened',
  historyHead: ['Date', 'What happened', 'Who, and how'],
  noEmails: 'No emails yet.',
  emailsCaption: 'Emails',
  emailsHead: ['Email', 'Sent to', 'Status'],
  reason: 'Reason',
  notRecorded: 'Not recorded',
  challengedHow: (date: string, bySupport: boolean) =>
    `${date}, ${
      bySupport ? 'by DfE support for the school' : 'by the school, using the link in its email'
    }`,
  supportNote: 'Note from DfE support',
  due: (when: string) => `Due ${when}`,
} as const

/** "Report a mistake for the school": the form, the check, and the result. */
export const challengeWords = {
  noteLabel: 'Note (optional)',
  noteHint:
    'What the school told you, and how. The lead provider does not see it. You can enter up to 2,000 characters.',
  legend: 'Why is this confirmation incorrect?',
  reasonHint: (provider: string, partner: string, cohort: number) =>
    `${provider}, with ${partner}, reported this school for the ${
      cohortLabel(cohort)
    } academic year. Choose the reason the school gave you.`,
  continue: 'Continue',
  caption: (school: string) => `Report a mistake for ${school}`,
  confirm: 'Report the mistake',
  checkTitle: 'Check before you report the mistake',
  school: 'School',
  schoolValue: (name: string, urn: string) => `${name} (URN ${urn})`,
  leadProvider: 'Lead provider',
  deliveryPartner: 'Delivery partner',
  academicYear: 'Academic year',
  reason: 'Reason',
  note: 'Note',
  noNote: 'None',
  deadlinePassed: (deadline: string) =>
    `The school’s deadline was ${formatDate(deadline)}. You can still report the mistake for them.`,
  consequence:
    'The partnership will end, so another provider can recruit the school, and the lead provider’s users will be emailed the school and the reason.',
  doneTitle: 'Mistake reported',
  doneFor: (school: string) => `for ${school}`,
  ended: (provider: string, cohort: number) =>
    `${provider} has stopped being the school’s lead provider for ${
      cohortLabel(cohort)
    }. We are emailing its users to tell them.`,
  back: (school: string) => `Back to ${school}`,
  alreadyTitle: 'A mistake has already been reported',
  already: (school: string) =>
    `A mistake has already been reported for ${school}, so there is nothing to do.`,
  seeWhat: (school: string) => `See what happened at ${school}`,
} as const

/** "Send the email to a corrected address". */
export const resendWords = {
  label: 'Email address',
  hint: 'The address the school gave you, for example office@school.sch.uk',
  send: 'Send the email',
  title: 'Send the email to a corrected address',
  willSend: (provider: string, partner: string) =>
    `We will send the school the email about ${provider} and ${partner} again, with a new link to report a mistake. The school will have 14 days from when the email is sent.`,
  sentSoFar: 'Emails so far went to:',
  sentTo: (kind: string, to: string) => `${kind}: ${to}`,
  required: 'Enter an email address',
  doneTitle: 'Email on its way',
  to: 'to ',
  restart:
    'The school’s 14 days to report a mistake start again when the email is sent. Any reminder still to come will go to this address too.',
  back: (school: string) => `Back to ${school}`,
  refusedTitle: 'You cannot send this email again',
  refused: (school: string) =>
    `A mistake has already been reported for ${school}, so the school has nothing to check.`,
  seeWhat: (school: string) => `See what happened at ${school}`,
} as const

/** "Emails that could not be delivered". */
export const undeliveredWords = {
  title: 'Emails that could not be delivered',
  about:
    'Emails with no address, that could not be sent, or that GOV.UK Notify could not deliver, and that no later email has put right. Find a better address for the school, then send the email again from the school’s page. Once that email is on its way, the school leaves this list.',
  inCohort: (cohort: number | null) => cohort ? ` for ${cohortLabel(cohort)}` : '',
  none: (inCohort: string) => `There are no emails that could not be delivered${inCohort}.`,
  count: (count: number, limit: number) =>
    count === limit ? `The newest ${limit} are shown.` : plural(count, 'email', 'emails'),
  caption: (inCohort: string) => `Emails not delivered${inCohort}, newest first`,
  head: ['School', 'Email', 'Sent to', 'Status'],
  urn: (urn: string) => `URN ${urn}`,
  kind: (kind: string, provider: string) => `${kind} (${provider})`,
  noAddress: 'No email address',
  cohorts: 'Cohorts',
  allCohorts: 'All cohorts',
} as const

/** "Lead Provider API tokens": the providers, one provider's tokens, and a new token. */
export const apiTokensWords = {
  notFound: 'Lead provider not found',
  check: 'Check the link, or ',
  choose: 'choose the lead provider',
  title: 'Lead Provider API tokens',
  about:
    'Lead providers’ systems use a token to report schools and follow changes through the Lead Provider API. Choose a lead provider to see, create or revoke its tokens.',
  providersCaption: 'Lead providers',
  providersHead: ['Lead provider', 'Active tokens'],
  nameLabel: 'Name',
  nameHint: 'So the provider and we can tell its tokens apart, for example the system it is for',
  create: 'Create a token',
  createButton: 'Create token',
  tokensTitle: (provider: string) => `API tokens for ${provider}`,
  tokens: 'API tokens',
  revoked: (name: string) => `Token “${name}” revoked`,
  noLongerWorks: 'It no longer works. Systems using it will get “HTTP Token: Access denied”.',
  revoke: 'Revoke',
  createdTitle: 'Token created',
  createdFor: (name: string, provider: string) => `“${name}” for ${provider}`,
  copyNow:
    'Copy the token now and send it to the provider securely. You will not be able to see it again.',
  token: 'Token',
  back: (provider: string) => `Back to ${provider}’s tokens`,
} as const

const emailKinds: Record<string, string> = {
  school_first: 'Email to the school',
  tutor_first: 'Email to the induction tutor',
  school_reminder: 'Reminder to the school',
  tutor_reminder: 'Reminder to the induction tutor',
  provider_challenged: 'Email to the lead provider',
  new_link: 'New link to report a mistake',
}

export function emailKind(kind: string | undefined): string {
  return emailKinds[kind ?? ''] ?? 'Email'
}

const recipientKinds: Record<string, string> = {
  induction_tutor: 'induction tutor',
  gias: 'school’s address in GIAS',
  provider_user: 'lead provider user',
  support_corrected: 'corrected by DfE support',
}

/** "office@school.example (school’s address in GIAS)", or "No email address". */
export function recipient(
  email: { recipient_email: string | null; recipient_kind: string },
) {
  return email.recipient_email
    ? `${email.recipient_email} (${recipientKinds[email.recipient_kind] ?? email.recipient_kind})`
    : 'No email address'
}

/** Where the email got to, as a tag: not sent, waiting, sent, delivered or not delivered. */
export function emailStatusTag(
  email: { status: string; delivery_status: string | null },
): HTMLElement {
  if (email.delivery_status === 'delivered') return tag('Delivered', 'green')
  if (email.delivery_status) return tag('Not delivered', 'red')
  switch (email.status) {
    case 'no_address':
      return tag('No address', 'red')
    case 'failed':
      return tag('Could not send', 'red')
    case 'cancelled':
      return tag('Cancelled', 'grey')
    case 'queued':
      return tag('Waiting to send', 'grey')
    case 'sending':
      return tag('Sending', 'blue')
    default:
      return tag('Sent', 'blue')
  }
}

const deliveryFailures: Record<string, string> = {
  'permanent-failure': 'the address does not exist or refused it',
  'temporary-failure': 'the inbox was full or unavailable',
  'technical-failure': 'GOV.UK Notify had a technical problem',
}

/** One line of a partnership's timeline: what happened, and who did it, how. */
export function describeEvent(
  event: PartnershipEvent,
  emails: PartnershipEmail[],
  reasons: Reason[],
): { what: string; who: string } {
  const email = emails.find((e) => e.notification_id === event.details.notification_id)
  const emailName = emailKind(email?.kind)
  const to = email ? ` to ${recipient(email)}` : ''
  return { what: whatHappened(), who: whoAndHow() }

  function whatHappened(): string {
    switch (event.kind) {
      case 'reported':
        return 'Lead provider reported the school'
      case 're_reported':
        return 'Lead provider reported the school again'
      case 'notified':
      case 'reminded':
      case 'new_link_sent':
        return `${emailName} sent${to}`
      case 'delivered':
        return `${emailName} delivered${to}`
      case 'delivery_failed':
        return `${emailName} not delivered${to}: ${
          deliveryFailures[event.details.delivery_status ?? ''] ??
            'it did not arrive'
        }`
      case 'challenged': {
        const reason = reasons.find((r) => r.code === event.details.reason)
        return `Mistake reported: “${reason?.label ?? event.details.reason}”`
      }
      case 'resend_requested':
        return `Email asked for again${to}`
      case 'new_link_requested':
        return 'New link asked for on the website'
      default:
        return event.kind
    }
  }

  function whoAndHow(): string {
    if (event.by?.role === 'support') return `${event.by.name}, DfE support`
    if (event.by) return `${event.by.name}, lead provider, using the service`
    switch (event.channel) {
      case 'email_link':
        return 'The school, using the link in its email'
      case 'notify':
        return 'GOV.UK Notify'
      case 'new_link_page':
        return 'Someone using the “Get a new link” page'
      case 'api':
        return 'Lead provider, through the Lead Provider API'
      default:
        return 'Not recorded'
    }
  }
}
