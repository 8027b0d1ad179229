/**
 * Turns a claimed outbox row into the request Notify gets: the template for its kind, the
 * personalisation the template names, and the row's id as the reference (so a delivery receipt,
 * or a later look-up, finds the row). The link token goes into the report link's fragment, which
 * browsers never send to a server, so no access log on a static host ever holds it.
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
      support_email: settings.supportEmail,
    },
    reference: email.notificationId,
  }
}

export function reportLink(webOrigin: string, token: string): string {
  return `${webOrigin}${reportPagePath}#${token}`
}
