/**
 * The one door to GOV.UK Notify: the official `notifications-node-client`, with a request timeout,
 * and every answer sorted into what the sender should do next. Nothing here logs: answers can
 * carry personalisation, and errors can carry addresses.
 *
 * Its axios keeps its default adapter, Node's `http`, although axios's `fetch` adapter costs about
 * 1 ms less CPU per email (issue 16): when a kept-alive connection closes before Notify answers,
 * Deno's `fetch` sends the POST again by itself, so an email Notify had accepted could be sent
 * twice (notify_client_test.ts).
 */
import axios from 'axios'
import { NotifyClient } from 'notifications-node-client'

/** What happened to one request, in the sender's terms. */
export type NotifyFailure =
  /** Notify refused this email (400): sending it again would fail the same way. */
  | { result: 'rejected'; reason: string }
  /** Worth another try later (5xx, 429, timeout, network). */
  | { result: 'retry'; reason: string; outcomeUnknown: boolean }
  /** Notify refused the key (403): nothing will succeed until someone fixes it. */
  | { result: 'key_rejected'; reason: string }

export type SendOutcome =
  | { result: 'accepted'; notifyId: string }
  | NotifyFailure
export type LookupOutcome =
  | { result: 'found'; notifyId: string }
  | { result: 'not_found' }
  | NotifyFailure

export type NotifySender = {
  sendEmail(
    templateId: string,
    emailAddress: string,
    personalisation: Record<string, string>,
    reference: string,
  ): Promise<SendOutcome>
  /** Whether Notify already has an email with this reference (an earlier try may have landed). */
  findByReference(reference: string): Promise<LookupOutcome>
}

export type NotifySenderOptions = {
  apiKey: string
  /** Unset: the real GOV.UK Notify. */
  baseUrl?: string | undefined
  timeoutMs: number
}

export function notifySender(
  { apiKey, baseUrl, timeoutMs }: NotifySenderOptions,
): NotifySender {
  const client = baseUrl ? new NotifyClient(baseUrl, apiKey) : new NotifyClient(apiKey)
  // The same axios, typed once through its ESM and once through its CommonJS declarations.
  type RestClient = Parameters<typeof client.setClient>[0]
  client.setClient(
    axios.create({ timeout: timeoutMs }) as unknown as RestClient,
  )
  return {
    async sendEmail(templateId, emailAddress, personalisation, reference) {
      try {
        const response = await client.sendEmail(templateId, emailAddress, {
          personalisation,
          reference,
        })
        return { result: 'accepted', notifyId: response.data.id }
      } catch (error) {
        return classifyNotifyError(error, timeoutMs)
      }
    },
    async findByReference(reference) {
      try {
        const response = await client.getNotifications(
          'email',
          undefined,
          reference,
        )
        const [found] = response.data.notifications
        return found ? { result: 'found', notifyId: found.id } : { result: 'not_found' }
      } catch (error) {
        return classifyNotifyError(error, timeoutMs)
      }
    },
  }
}

/** Notify's error body: `{"status_code":400,"errors":[{"error":"BadRequestError","message":"..."}]}`. */
type NotifyErrorBody = { errors?: { error?: unknown; message?: unknown }[] }

/** Sorts a failed request by what Notify said, or by why it could not say anything. */
export function classifyNotifyError(
  error: unknown,
  timeoutMs: number,
): NotifyFailure {
  if (!axios.isAxiosError(error)) throw error
  const response = error.response
  if (!response) {
    if (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT') {
      return {
        result: 'retry',
        reason: `No answer from Notify within ${timeoutMs} ms`,
        outcomeUnknown: true,
      }
    }
    // A refused connection never reached Notify; anything else may have died after it did.
    return {
      result: 'retry',
      reason: `Could not reach Notify (${error.code ?? 'network error'})`,
      outcomeUnknown: error.code !== 'ECONNREFUSED',
    }
  }
  const said = notifyMessages(response.data as NotifyErrorBody | undefined)
  const reason = `Notify answered ${response.status}${said ? `: ${said}` : ''}`
  if (response.status === 403) return { result: 'key_rejected', reason }
  if (response.status === 429 || response.status >= 500) {
    return { result: 'retry', reason, outcomeUnknown: false }
  }
  return { result: 'rejected', reason }
}

function notifyMessages(body: NotifyErrorBody | undefined): string {
  if (!Array.isArray(body?.errors)) return ''
  return body.errors
    .map(({ error, message }) =>
      [error, message].filter((part) => typeof part === 'string').join(' ')
    )
    .filter(Boolean)
    .join('; ')
}
