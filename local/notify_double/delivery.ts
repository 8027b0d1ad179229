/**
 * What happens to an email after Notify accepts it: it goes to `sending`, then after a short
 * delay to its final status (`temp-fail@simulator.notify` and `perm-fail@simulator.notify` fail
 * as Notify's test addresses do, everything else is delivered), and a delivery receipt is
 * POSTed to the callback URL with the service's bearer token (docs.notifications.service.gov.uk
 * "Callbacks"). Receipts are retried when the callback fails, never blocking the API.
 */
import { sleep } from './sleep.ts'
import type { EmailStatus, StoredEmail } from './store.ts'
import { notifyTimestamp, notifyTimestampOrNull } from './timestamps.ts'

/** Notify retries a failed callback "up to a maximum of 5 times" (5 minutes apart; faster here). */
const CALLBACK_RETRIES = 5
const RETRY_BASE_MS = 100
/** notifications-api `service_callback_tasks.py` gives the service 5 seconds to answer. */
const CALLBACK_TIMEOUT_MS = 5_000

export type DeliveryOptions = {
  callbackUrl?: string
  callbackBearerToken?: string
  callbackDelayMs: number
  now: () => Date
}

export type Delivery = {
  schedule(email: StoredEmail): void
  /** Cancels what is scheduled and waits for receipts in flight to give up. */
  stop(): Promise<void>
}

export type DeliveryReceipt = {
  id: string
  reference: string | null
  to: string
  status: EmailStatus
  created_at: string
  completed_at: string | null
  sent_at: string | null
  notification_type: 'email'
  template_id: string
  template_version: number
}

const simulatedStatuses: Record<string, EmailStatus> = {
  'temp-fail@simulator.notify': 'temporary-failure',
  'perm-fail@simulator.notify': 'permanent-failure',
}

export function finalStatus(to: string): EmailStatus {
  return simulatedStatuses[to.toLowerCase()] ?? 'delivered'
}

export function deliveryReceipt(email: StoredEmail): DeliveryReceipt {
  return {
    id: email.id,
    reference: email.reference,
    to: email.to,
    status: email.status,
    created_at: notifyTimestamp(email.createdAt),
    completed_at: notifyTimestampOrNull(email.completedAt),
    sent_at: notifyTimestampOrNull(email.sentAt),
    notification_type: 'email',
    template_id: email.templateId,
    template_version: email.templateVersion,
  }
}

export function createDelivery(options: DeliveryOptions): Delivery {
  const stopping = new AbortController()
  const timers = new Set<ReturnType<typeof setTimeout>>()
  const inFlight = new Set<Promise<void>>()

  const later = (ms: number, action: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      action()
    }, ms)
    timers.add(timer)
  }

  const complete = (email: StoredEmail) => {
    email.status = finalStatus(email.to)
    email.completedAt = options.now()
    if (!options.callbackUrl) return
    const sending = sendReceipt(
      options.callbackUrl,
      options.callbackBearerToken,
      email,
      stopping.signal,
    )
    inFlight.add(sending)
    sending.finally(() => inFlight.delete(sending))
  }

  return {
    schedule(email) {
      // A slow answer cut short by stop() may still accept its email; it is never delivered.
      if (stopping.signal.aborted) return
      later(0, () => {
        email.status = 'sending'
        email.sentAt = options.now()
        later(options.callbackDelayMs, () => complete(email))
      })
    },
    async stop() {
      stopping.abort()
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      await Promise.all(inFlight)
    },
  }
}

async function sendReceipt(
  url: string,
  bearerToken: string | undefined,
  email: StoredEmail,
  signal: AbortSignal,
): Promise<void> {
  const body = JSON.stringify(deliveryReceipt(email))
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (bearerToken) headers.authorization = `Bearer ${bearerToken}`
  for (let attempt = 0; attempt <= CALLBACK_RETRIES && !signal.aborted; attempt++) {
    if (attempt > 0) await sleep(RETRY_BASE_MS * 2 ** (attempt - 1), signal)
    const outcome = await post(url, headers, body, signal)
    if (outcome === 'done') return
  }
}

/**
 * As notifications-api does: a 5xx, a 429, a timeout or a network error is retried; any other
 * answer (2xx, or a 4xx that says the receipt itself is unwelcome) is final.
 */
async function post(
  url: string,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
): Promise<'done' | 'retry'> {
  const attempt = new AbortController()
  const timeout = setTimeout(() => attempt.abort(), CALLBACK_TIMEOUT_MS)
  const onStop = () => attempt.abort()
  signal.addEventListener('abort', onStop, { once: true })
  try {
    const response = await fetch(url, { method: 'POST', headers, body, signal: attempt.signal })
    await response.body?.cancel()
    return response.status >= 500 || response.status === 429 ? 'retry' : 'done'
  } catch {
    return 'retry'
  } finally {
    clearTimeout(timeout)
    signal.removeEventListener('abort', onStop)
  }
}
