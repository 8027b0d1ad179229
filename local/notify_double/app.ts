/**
 * The Notify double's HTTP interface: Notify's REST API under `/v2/`, the mailbox (`GET /`,
 * `GET /messages`) and test controls under `/_double/`. Built apart from the listener so it can
 * be exercised with `app.request()`; the listener supplies `drop()` to cut a connection dead.
 */
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import type { Authenticate } from './auth.ts'
import {
  badRequest,
  internalServerError,
  NotifyError,
  notifyErrorResponse,
  rateLimitError,
} from './errors.ts'
import { type Faults, faultSchema } from './faults.ts'
import { mailboxMessage, renderMailboxPage } from './mailbox.ts'
import type { Notifications } from './notifications.ts'
import type { RateLimiter } from './rate_limit.ts'
import { sleep } from './sleep.ts'
import type { EmailStore } from './store.ts'
import type { ServerEnv } from './http_server.ts'

export type DoubleEnv = { Bindings: ServerEnv }

export type AppDeps = {
  authenticate: Authenticate
  notifications: Notifications
  store: EmailStore
  faults: Faults
  rateLimiter: RateLimiter
  /** Aborted when the double stops, so that a slow answer does not outlive it. */
  stopping: AbortSignal
  /** Refuses every connection for `ms` (Notify is down), then listens again on the same port. */
  outage(ms: number): void
}

const rateLimitSchema = z.object({ perMinute: z.int().min(1).max(1_000_000) })
const outageSchema = z.object({ seconds: z.int().min(1).max(3_600) })

export function createNotifyDoubleApp(deps: AppDeps): Hono<DoubleEnv> {
  const { authenticate, notifications, store, faults, rateLimiter, stopping, outage } = deps
  const app = new Hono<DoubleEnv>()

  const authorised = (c: Context<DoubleEnv>) => {
    const result = authenticate(c.req.header('authorization') ?? null)
    if (!result.ok) throw result.error
    return result.key
  }
  const baseUrl = (c: Context<DoubleEnv>) => new URL(c.req.url).origin

  app.post('/v2/notifications/email', async (c) => {
    const body = parseJson(await c.req.text())
    const fault = faults.next(recipient(body))
    const late = fault?.kind === 'late'
    if (fault?.delayMs && !late) await sleep(fault.delayMs, stopping)
    if (fault?.kind === '500') throw internalServerError()
    if (fault?.kind === '429') throw rateLimitError(rateLimiter.perMinute)
    if (fault?.kind === '400') throw badRequest(teamOnlyRecipient)
    if (fault?.kind === 'drop') {
      c.env.drop()
      return c.body(null)
    }
    const key = authorised(c)
    if (body === invalidJson) throw badRequest('Invalid JSON supplied in POST data')
    const accepted = notifications.sendEmail(key, body, baseUrl(c))
    if (late) await sleep(fault.delayMs, stopping)
    return c.json(accepted, 201)
  })

  app.get('/v2/notifications/:id', (c) => {
    return c.json(notifications.get(authorised(c), c.req.param('id'), baseUrl(c)))
  })

  app.get('/v2/notifications', (c) => {
    const query = new URL(c.req.url).searchParams
    return c.json(notifications.list(authorised(c), query, baseUrl(c)))
  })

  app.get('/messages', (c) => {
    const emails = store.list({
      to: c.req.query('to'),
      reference: c.req.query('reference'),
      templateId: c.req.query('template_id'),
    })
    return c.json(emails.map(mailboxMessage))
  })

  app.get('/', (c) => {
    const to = c.req.query('to') || undefined
    c.header('cache-control', 'no-store')
    return c.html(renderMailboxPage(store.list({ to }), to))
  })

  app.post('/_double/faults', async (c) => {
    const fault = faultSchema.safeParse(parseJson(await c.req.text()))
    if (!fault.success) return controlError(c, z.prettifyError(fault.error))
    faults.add(fault.data)
    return c.json({ pending: faults.pending() }, 201)
  })

  app.delete('/_double/faults', (c) => {
    faults.reset()
    return c.json({ pending: 0 })
  })

  app.put('/_double/rate-limit', async (c) => {
    const limit = rateLimitSchema.safeParse(parseJson(await c.req.text()))
    if (!limit.success) return controlError(c, z.prettifyError(limit.error))
    rateLimiter.setPerMinute(limit.data.perMinute)
    return c.json({ perMinute: rateLimiter.perMinute })
  })

  // Once this answer is sent nothing answers, this control included, until the outage ends.
  app.post('/_double/outage', async (c) => {
    const request = outageSchema.safeParse(parseJson(await c.req.text()))
    if (!request.success) return controlError(c, z.prettifyError(request.error))
    const ms = request.data.seconds * 1000
    c.env.afterAnswer(() => outage(ms))
    return c.json({ downForSeconds: request.data.seconds }, 202)
  })

  app.get('/_double/state', (c) => {
    return c.json({
      messages: store.size,
      pendingFaults: faults.pending(),
      ratePerMinute: rateLimiter.perMinute,
    })
  })

  app.notFound((c) => {
    return c.json(
      { error: { code: 'not_found', message: 'The Notify double has no such page' } },
      404,
    )
  })

  app.onError((error) => {
    if (error instanceof NotifyError) return notifyErrorResponse(error)
    // A bug in the double, not bad input: say so without echoing the request.
    console.error(`[notify double] ${error.name}: ${error.message}`)
    return notifyErrorResponse(internalServerError())
  })

  return app
}

const invalidJson = Symbol('invalid JSON')

/** Notify's words (app/v2/errors.py) when a team-only key, or trial mode, may not send there. */
const teamOnlyRecipient = 'Can’t send to this recipient using a team-only API key'

/** The address a send request names, to match faults aimed at it. */
function recipient(body: unknown): string | undefined {
  const address = (body as { email_address?: unknown } | null)?.email_address
  return typeof address === 'string' ? address : undefined
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return invalidJson
  }
}

function controlError(c: Context<DoubleEnv>, message: string) {
  return c.json({ error: { code: 'invalid_request', message } }, 400)
}
