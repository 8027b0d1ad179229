/// <reference lib="dom" />
/**
 * "Emails that could not be delivered": school and provider emails that never reached anyone
 * (no address, could not be sent, or Notify could not deliver them), newest first, each linking
 * to its school so support can find a better address and send it again.
 */
import {
  formatDateTime,
  h,
  heading,
  link,
  paragraph,
  plural,
  showPage,
  table,
} from './portal_dom.ts'
import { getJson, type UndeliveredEmail } from './support_api.ts'
import { schoolHref } from './support_target.ts'
import { emailKind, emailStatusTag } from './support_words.ts'

export async function showUndelivered(root: HTMLElement): Promise<void> {
  const { limit, emails } = await getJson<{ limit: number; emails: UndeliveredEmail[] }>(
    '/emails/undelivered',
  )
  showPage(root, 'Emails that could not be delivered', [
    heading('Emails that could not be delivered'),
    paragraph(
      'Emails with no address, that could not be sent, or that GOV.UK Notify could not deliver. Find a better address for the school, then send the email again from the school’s page.',
    ),
    emails.length === 0 ? paragraph('There are no emails that could not be delivered.') : h(
      'div',
      { class: 'app-history' },
      h(
        'p',
        { class: 'govuk-body' },
        emails.length === limit
          ? `The newest ${limit} are shown.`
          : plural(emails.length, 'email', 'emails'),
      ),
      table({
        caption: 'Emails not delivered, newest first',
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
