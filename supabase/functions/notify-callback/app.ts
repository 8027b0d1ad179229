/**
 * The notify-callback function: GOV.UK Notify's delivery receipts. Notify calls it with the
 * bearer token set on the service's callback (docs.notifications.service.gov.uk, "Callbacks"),
 * checked here in constant time. Recording a receipt is idempotent, so Notify's repeats (it
 * retries when we are slow) answer 200 and change nothing.
 *
 *   POST /notify-callback {id, reference, to, status, ...}  -> 200 {result}
 */
import type { MiddlewareHandler } from 'hono'
import { z } from 'zod'
import { sameSecret } from '../_shared/auth.ts'
import type { Config } from '../_shared/config.ts'
import { AppError } from '../_shared/errors.ts'
import type { FunctionDeps } from '../_shared/function_deps.ts'
import { functionApp, validated } from '../_shared/http.ts'
import { recordReceipt } from './receipts.ts'

/**
 * Notify's timestamps, e.g. `2026-10-12T09:30:00.000000Z`: strict ISO 8601, so a date that does
 * not exist (30 February) is refused, and in UTC within years 1 to 9999, which is what the
 * database can store (year 0, or 10000 reached through an offset, would fail there instead).
 */
const timestamp = z.iso.datetime({ offset: true }).refine((text) => {
  const year = new Date(text).getUTCFullYear()
  return year >= 1 && year <= 9999
}, { message: 'must be a date and time' })

/** The fields of Notify's delivery receipt; others Notify may add are ignored. */
export const deliveryReceiptSchema = z.object({
  id: z.uuid(),
  reference: z.string().max(1000).nullable(),
  to: z.string().max(1000),
  /** Final for email: delivered, permanent-failure, temporary-failure, technical-failure. */
  status: z.string().regex(/^[a-z-]{1,40}$/),
  created_at: timestamp,
  completed_at: timestamp.nullable(),
  sent_at: timestamp.nullable(),
  notification_type: z.enum(['email', 'sms', 'letter']),
  template_id: z.uuid(),
  template_version: z.int(),
})
export type DeliveryReceipt = z.infer<typeof deliveryReceiptSchema>

function requireNotifyToken(config: Pick<Config, 'notifyCallbackToken'>): MiddlewareHandler {
  return async (c, next) => {
    const presented = c.req.header('authorization')?.match(/^Bearer\s+(\S+)\s*$/i)?.[1]
    if (!presented || !sameSecret(presented, config.notifyCallbackToken())) {
      throw new AppError(401, 'unauthorised', 'A valid bearer token is required')
    }
    await next()
  }
}

/** The configuration and database notify-callback needs. */
export type NotifyCallbackDeps = FunctionDeps<'webOrigin' | 'notifyCallbackToken'>

export function createNotifyCallbackApp({ config, database }: NotifyCallbackDeps) {
  return functionApp('notify-callback', config, { maxBodyBytes: 8 * 1024 }).post(
    '/',
    requireNotifyToken(config),
    validated('json', deliveryReceiptSchema),
    async (c) => {
      const result = await recordReceipt(database, c.req.valid('json'))
      // The receipt's address stays out of the log.
      console.log(JSON.stringify({ level: 'info', event: 'delivery_receipt', result }))
      return c.json({ result })
    },
  )
}
