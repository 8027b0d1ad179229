/**
 * The rules of Notify's `/v2/notifications` endpoints, in Notify's order of checks
 * (notifications-api `post_notifications.py`): request schema, rate limit, template,
 * personalisation, reply-to address; then the email is stored, answered with Notify's response
 * body and handed to delivery. Reading is limited to the caller's own service, as in Notify.
 */
import { type ApiKey, isUuid } from './api_keys.ts'
import type { Delivery } from './delivery.ts'
import { badRequest, noResultFound, rateLimitError, validationError } from './errors.ts'
import type { RateLimiter } from './rate_limit.ts'
import { renderEmail } from './render_email.ts'
import { parseSendEmailRequest } from './send_request.ts'
import type { EmailStatus, EmailStore, StoredEmail } from './store.ts'
import type { EmailTemplate } from './templates.ts'
import { notifyTimestamp, notifyTimestampOrNull } from './timestamps.ts'

/** The sender Notify shows for a service; real services get `<name>@notifications.service.gov.uk`. */
const FROM_EMAIL = 'local.notify.double@notifications.service.gov.uk'

/** Notify pages `GET /v2/notifications` 250 at a time. */
const PAGE_SIZE = 250

export type NotificationsDeps = {
  templates: Map<string, EmailTemplate>
  store: EmailStore
  rateLimiter: RateLimiter
  delivery: Delivery
  now: () => Date
}

export type Notifications = {
  sendEmail(key: ApiKey, body: unknown, baseUrl: string): Record<string, unknown>
  get(key: ApiKey, id: string, baseUrl: string): Record<string, unknown>
  list(key: ApiKey, query: URLSearchParams, baseUrl: string): Record<string, unknown>
}

export function createNotifications(deps: NotificationsDeps): Notifications {
  const { templates, store, rateLimiter, delivery, now } = deps
  return {
    sendEmail(key, body, baseUrl) {
      const request = parseSendEmailRequest(body)
      if (request.scheduledFor !== null) {
        throw badRequest('Cannot schedule notifications (this feature is invite-only)')
      }
      if (!rateLimiter.tryAcquire(`${key.serviceId}/${key.secret}`)) {
        throw rateLimitError(rateLimiter.perMinute)
      }
      const template = templates.get(request.templateId)
      if (!template) throw badRequest('Template not found')
      const rendered = renderEmail(template, request.personalisation)
      if (request.emailReplyToId) {
        // The double's service has no reply-to addresses, so any id is unknown, as in Notify.
        throw badRequest(
          `email_reply_to_id ${request.emailReplyToId} does not exist in database for service id ${key.serviceId}`,
        )
      }
      const email: StoredEmail = {
        id: crypto.randomUUID(),
        serviceId: key.serviceId,
        to: request.emailAddress,
        templateId: template.id,
        templateVersion: template.version,
        personalisation: request.personalisation,
        reference: request.reference,
        oneClickUnsubscribeUrl: request.oneClickUnsubscribeUrl,
        ...rendered,
        status: 'created',
        createdAt: now(),
        sentAt: null,
        completedAt: null,
      }
      store.add(email)
      delivery.schedule(email)
      // notifications-api `create_post_email_response_from_notification`.
      return {
        id: email.id,
        reference: email.reference,
        content: {
          subject: email.subject,
          body: email.markup,
          from_email: FROM_EMAIL,
          one_click_unsubscribe_url: email.oneClickUnsubscribeUrl,
        },
        uri: `${baseUrl}/v2/notifications/${email.id}`,
        template: {
          id: template.id,
          version: template.version,
          uri: `${baseUrl}/services/${key.serviceId}/templates/${template.id}`,
        },
        scheduled_for: null,
      }
    },

    get(key, id, baseUrl) {
      if (!isUuid(id)) throw validationError(['notification_id is not a valid UUID'])
      const email = store.get(id)
      if (!email || email.serviceId !== key.serviceId) throw noResultFound()
      return notificationJson(email, baseUrl)
    },

    list(key, query, baseUrl) {
      const reference = query.get('reference') ?? undefined
      const statuses = query.getAll('status') as EmailStatus[]
      const types = query.getAll('template_type')
      const olderThan = query.get('older_than')
      let emails = store.list({ reference }).filter((email) =>
        email.serviceId === key.serviceId &&
        (statuses.length === 0 || statuses.includes(email.status)) &&
        (types.length === 0 || types.includes('email'))
      )
      if (olderThan) {
        const index = emails.findIndex((email) => email.id === olderThan.toLowerCase())
        emails = index < 0 ? [] : emails.slice(index + 1)
      }
      const page = emails.slice(0, PAGE_SIZE)
      const current = `${baseUrl}/v2/notifications${query.size ? `?${query}` : ''}`
      const links: Record<string, string> = { current }
      if (emails.length > PAGE_SIZE) {
        const next = new URLSearchParams(query)
        next.set('older_than', page.at(-1)!.id)
        links.next = `${baseUrl}/v2/notifications?${next}`
      }
      return { notifications: page.map((email) => notificationJson(email, baseUrl)), links }
    },
  }
}

/** Notify's notification object, as documented for "Get the status of one message". */
function notificationJson(email: StoredEmail, baseUrl: string): Record<string, unknown> {
  return {
    id: email.id,
    reference: email.reference,
    email_address: email.to,
    phone_number: null,
    line_1: null,
    line_2: null,
    line_3: null,
    line_4: null,
    line_5: null,
    line_6: null,
    postcode: null,
    postage: null,
    type: 'email',
    status: email.status,
    template: {
      id: email.templateId,
      version: email.templateVersion,
      uri: `${baseUrl}/v2/template/${email.templateId}/version/${email.templateVersion}`,
    },
    body: email.markup,
    subject: email.subject,
    created_at: notifyTimestamp(email.createdAt),
    created_by_name: null,
    sent_at: notifyTimestampOrNull(email.sentAt),
    completed_at: notifyTimestampOrNull(email.completedAt),
    scheduled_for: null,
    one_click_unsubscribe: email.oneClickUnsubscribeUrl,
    is_cost_data_ready: true,
    cost_in_pounds: 0,
    cost_details: {},
  }
}
