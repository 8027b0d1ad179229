/// <reference lib="dom" />
/**
 * How the lead provider portal puts a school's email into words: its status as a GOV.UK tag,
 * what to do when the school was not emailed or the email did not arrive, and whom to contact.
 * Also the warning before reporting into an academic year that has ended. One place for these
 * sentences, so the list, the school page and the reporting pages agree.
 */
import { cohortLabel, link, tag, warningText } from './portal_dom.ts'
import type { EmailStatus, ProviderCohort, SchoolEmail } from './provider_api.ts'

/** A provider with no delivery partner in any cohort has nothing to report yet. */
export const noDeliveryPartners =
  'You do not work with any delivery partners yet. Contact the Department for Education to set this up.'

const statusTags: Record<EmailStatus, [string, Parameters<typeof tag>[1]]> = {
  not_sent: ['Not sent yet', 'grey'],
  sending: ['Sending', 'grey'],
  sent: ['Sent', 'blue'],
  delivered: ['Delivered', 'green'],
  not_delivered: ['Not delivered', 'red'],
  no_address: ['Not emailed: no address', 'orange'],
}

/** The school's email status as a tag: "Delivered", "Not emailed: no address" and so on. */
export function emailStatusTag(status: EmailStatus): HTMLElement {
  const [text, colour] = statusTags[status]
  return tag(text, colour)
}

/** What the provider should do when the school has not heard from us; null when it has. */
export function emailNextStep(status: EmailStatus, supportEmail: string): (Node | string)[] | null {
  if (status === 'no_address') {
    return [
      'We have no email address for this school, so we have not told them you reported them and they cannot report a mistake. Contact the school to let them know, and ask them to add their email address to Get Information about Schools (GIAS). If you have an address for the school, email ',
      link(`mailto:${supportEmail}`, supportEmail),
      ' and we will send it there.',
    ]
  }
  if (status === 'not_delivered') {
    return [
      'Our email to this school did not arrive. Contact the school to check their address, then email ',
      link(`mailto:${supportEmail}`, supportEmail),
      ' so we can send it again.',
    ]
  }
  return null
}

const contactKinds = {
  induction_tutor: 'induction tutor',
  school: 'school’s address in GIAS',
}

/** "tutor@school.example (induction tutor)" as a mailto link, or what to do without one. */
export function schoolContact(school: SchoolEmail): (Node | string)[] {
  if (!school.contact_email || !school.contact_kind) {
    return ['No email address. Find the school’s phone number on Get Information about Schools.']
  }
  return [
    link(`mailto:${school.contact_email}`, school.contact_email),
    ` (${contactKinds[school.contact_kind]})`,
  ]
}

/** The address people email for help, as the page's frame was built with it. */
export function supportEmailOf(root: HTMLElement): string {
  return root.dataset.appSupportEmail ?? ''
}

/**
 * Academic years run from September to August: once one has ended, reporting into it is almost
 * always a slip of the radio button, so the page says so before anything is recorded.
 */
export function pastYearWarning(cohort: ProviderCohort, today = new Date()): HTMLElement | null {
  const ended = today > new Date(Date.UTC(cohort.start_year + 1, 7, 31, 23, 0))
  return ended
    ? warningText(
      `The ${
        cohortLabel(cohort.start_year)
      } academic year has ended. Check these schools are not for a later academic year.`,
    )
    : null
}
