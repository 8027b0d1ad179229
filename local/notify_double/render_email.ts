/**
 * Fills an email template with personalisation as Notify does, refusing it when a placeholder
 * has no value: `Missing personalisation: a, b` (notifications-api `check_placeholders`), with
 * the subject's placeholders first, then the body's.
 */
import { badRequest } from './errors.ts'
import { renderPlainText } from './markup.ts'
import { type Personalisation, PersonalisationValues, placeholderNames } from './placeholders.ts'
import type { EmailTemplate } from './templates.ts'

export type RenderedEmail = { subject: string; markup: string; text: string }

/** notifications-api refuses emails over 2 MB once rendered. */
const MAX_EMAIL_BYTES = 2_000_000

export function renderEmail(
  template: EmailTemplate,
  personalisation: Personalisation,
): RenderedEmail {
  const values = new PersonalisationValues(personalisation)
  const missing = values.missing(placeholderNames(template.subject, template.body))
  if (missing.length) throw badRequest(`Missing personalisation: ${missing.join(', ')}`)

  // notifications-utils: the subject's whitespace is normalised; the body keeps its markup.
  const subject = values.fill(template.subject).replace(/\s+/g, ' ').trim()
  const markup = values.fill(template.body).trim()
  const size = new TextEncoder().encode(markup).length
  if (size > MAX_EMAIL_BYTES) {
    throw badRequest(
      `Emails cannot be longer than ${MAX_EMAIL_BYTES} bytes. Your message is ${size} bytes.`,
    )
  }
  return { subject, markup, text: renderPlainText(markup) }
}
