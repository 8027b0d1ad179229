/// <reference lib="dom" />
/**
 * How DfE support's pages put the service's records into words: what each email is, where it
 * went, its sending and delivery status as a GOV.UK tag, and each event of a school's timeline
 * as what happened and who did it, how.
 */
import { tag } from './portal_dom.ts'
export {
  noteTooLong,
  reasonRequired,
  tokenNameRequired,
  tokenNameTooLong,
} from '../../supabase/functions/_shared/wording.ts'
import type { PartnershipEmail, PartnershipEvent, Reason } from './support_api.ts'

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
