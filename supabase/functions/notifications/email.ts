/**
 * Turns a claimed outbox row into the request Notify gets: the template for its kind, the
 * personalisation the template names, and the row's id as the reference (so a delivery receipt,
 * or a later look-up, finds the row). The link token goes into the report link's fragment, which
 * browsers never send to a server, so no access log on a static host ever holds it. A lead
 * provider's email links to the school in their list of schools.
 */
import type { NotificationKind } from '../_shared/config.ts'
import type { ClaimedEmail } from './outbox.ts'

export type EmailSettings = {
  templateIds: Record<NotificationKind, string>
  /** The site's origin, e.g. `https://report-a-mistake.education.gov.uk`. */
  webOrigin: string
  supportEmail: string
}

export type NotifyEmail = {
  templateId: string
  emailAddress: string
  personalisation: Record<string, string>
  reference: string
}

export const reportPagePath = '/report-a-mistake'

export function composeEmail(
  email: ClaimedEmail,
  settings: EmailSettings,
): NotifyEmail {
  const { token, ...personalisation } = email.personalisation
  return {
    templateId: settings.templateIds[email.kind],
    emailAddress: email.recipientEmail,
    personalisation: {
      ...personalisation,
      ...(token === undefined ? {} : { report_link: reportLink(settings.webOrigin, token) }),
      ...(email.kind === 'provider_challenged'
        ? { schools_link: schoolsLink(settings.webOrigin, personalisation) }
        : {}),
      support_email: settings.supportEmail,
    },
    reference: email.notificationId,
  }
}

export function reportLink(webOrigin: string, token: string): string {
  return `${webOrigin}${reportPagePath}#${token}`
}

/**
 * The provider's list of schools for the email's cohort, searched for the school's URN: one
 * click from the email to the school (signing in first if need be). The cohort comes as people
 * read it, "2026 to 2027"; without one, the list opens on the newest cohort.
 */
export function schoolsLink(webOrigin: string, personalisation: Record<string, string>): string {
  const startYear = /^(\d{4}) to \d{4}$/.exec(personalisation.cohort ?? '')?.[1]
  const query = new URLSearchParams({
    ...(startYear ? { cohort: startYear } : {}),
    ...(personalisation.urn ? { q: personalisation.urn } : {}),
  })
  return `${webOrigin}/provider/schools${query.size ? `?${query}` : ''}`
}
