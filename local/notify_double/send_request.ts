/**
 * Validates the body of `POST /v2/notifications/email` as Notify's JSON schema does
 * (notifications-api `post_email_request` and `schema_validation`): every problem is reported
 * at once, each as a `ValidationError` worded the way Notify words it.
 */
import { isUuid } from './api_keys.ts'
import { validEmailAddress } from './email_address.ts'
import { validationError } from './errors.ts'
import type { Personalisation } from './placeholders.ts'

export type SendEmailRequest = {
  templateId: string
  emailAddress: string
  personalisation: Personalisation
  reference: string | null
  emailReplyToId: string | null
  oneClickUnsubscribeUrl: string | null
  scheduledFor: unknown
}

/** Throws a NotifyError listing every schema error, or returns the request. */
export function parseSendEmailRequest(body: unknown): SendEmailRequest {
  if (!isObject(body)) throw validationError([`${pythonRepr(body)} is not of type object`])
  const errors: string[] = []
  const {
    template_id: templateId,
    email_address: emailAddress,
    personalisation,
    reference,
    email_reply_to_id: replyToId,
    one_click_unsubscribe_url: unsubscribeUrl,
    scheduled_for: scheduledFor,
  } = body

  if (emailAddress === undefined) errors.push('email_address is a required property')
  else if (typeof emailAddress !== 'string') {
    errors.push(`email_address ${pythonRepr(emailAddress)} is not of type string`)
  } else if (!validEmailAddress(emailAddress)) {
    errors.push('email_address Not a valid email address')
  }

  if (templateId === undefined) errors.push('template_id is a required property')
  else if (typeof templateId !== 'string' || !isUuid(templateId)) {
    errors.push('template_id is not a valid UUID')
  }
  if (personalisation !== undefined && !isObject(personalisation)) {
    errors.push(`personalisation ${pythonRepr(personalisation)} is not of type object`)
  }
  if (reference !== undefined && reference !== null && typeof reference !== 'string') {
    errors.push(`reference ${pythonRepr(reference)} is not of type string`)
  }
  if (replyToId !== undefined && (typeof replyToId !== 'string' || !isUuid(replyToId))) {
    errors.push('email_reply_to_id is not a valid UUID')
  }
  if (unsubscribeUrl !== undefined && unsubscribeUrl !== null && !isHttpsUrl(unsubscribeUrl)) {
    errors.push('one_click_unsubscribe_url is not a valid https url')
  }
  if (errors.length) throw validationError(errors)

  return {
    templateId: (templateId as string).toLowerCase(),
    emailAddress: validEmailAddress(emailAddress as string)!,
    personalisation: (personalisation ?? {}) as Personalisation,
    reference: (reference ?? null) as string | null,
    emailReplyToId: (replyToId ?? null) as string | null,
    oneClickUnsubscribeUrl: (unsubscribeUrl ?? null) as string | null,
    scheduledFor: scheduledFor ?? null,
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isHttpsUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false
  try {
    return new URL(value).protocol === 'https:'
  } catch {
    return false
  }
}

/** Values appear in Notify's messages as Python prints them. */
function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None'
  if (value === true) return 'True'
  if (value === false) return 'False'
  if (typeof value === 'string') return `'${value}'`
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}
