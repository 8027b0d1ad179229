/**
 * The auth-email-hook function: Supabase Auth's Send Email Hook. With the hook on, Auth sends no
 * email of its own (its default SMTP reaches only the project's team); it calls this function
 * instead, signed per Standard Webhooks, and the one-time sign-in code goes out through GOV.UK
 * Notify like the service's other emails. The local Auth stand-in calls it the same way.
 *
 *   POST /auth-email-hook {user, email_data}  -> 200 {} once Notify has accepted the email
 *
 * Answers are in the terms Auth acts on (supabase/auth `internal/hooks/hookshttp`): 2xx = sent;
 * 503 with `Retry-After` = try again (Auth does, at once, within its 5 s budget); any other
 * status fails the sign-in request, so the person is told rather than left waiting for an email
 * that never comes. Error bodies are Auth's hook error shape, `{"error":{"http_code","message"}}`.
 * Only sign-in codes (`magiclink`) are sent: sign-ups are off and the service uses no other Auth
 * email, so any other kind is refused (422) rather than silently dropped or sent with wrong words.
 * Nothing logged names the person, their address or the code.
 */
import { type Context, Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { z } from 'zod'
import { type Config, NotConfiguredError } from '../_shared/config.ts'
import { securityHeaders } from '../_shared/cors.ts'
import { type NotifySender, notifySender } from '../_shared/notify_client.ts'
import { signedByAuth } from './signature.ts'

/** Auth gives the whole hook call 5 s; this leaves time for it to try once more. */
const notifyTimeoutMs = 2_000

/** The parts of Auth's payload this function reads; Auth sends more, which are ignored. */
export const sendEmailInputSchema = z.object({
  user: z.looseObject({ email: z.string().min(1).max(320) }),
  email_data: z.looseObject({
    token: z.string().regex(/^\d{6,10}$/, 'must be the one-time code'),
    email_action_type: z.string().max(100),
  }),
})

export type HookErrorBody = { error: { http_code: number; message: string } }

/** What the hook reads: its secrets, Notify's key and the sign-in template. It needs no database. */
export type AuthEmailHookDeps = { config: Pick<Config, 'sendEmailHook'> }

export function createAuthEmailHookApp({ config }: AuthEmailHookDeps) {
  const app = new Hono().basePath('/auth-email-hook')
  app.use(securityHeaders())
  app.use(bodyLimit({
    maxSize: 64 * 1024,
    onError: (c) => hookError(c, 413, 'The request body is too large'),
  }))

  let sender: NotifySender | undefined

  app.post('/', async (c) => {
    const settings = config.sendEmailHook()
    const body = await c.req.text()
    if (!signedByAuth(body, c.req.raw.headers, settings.secrets)) {
      log('warn', 'refused', 'the webhook signature is missing, wrong or more than 5 minutes old')
      return hookError(c, 401, 'The webhook signature is missing, wrong or too old')
    }
    const input = sendEmailInputSchema.safeParse(parseJson(body))
    if (!input.success) {
      const [issue] = input.error.issues
      return hookError(c, 400, `${issue?.path.join('.')}: ${issue?.message}`)
    }
    const { user, email_data: emailData } = input.data
    if (emailData.email_action_type !== 'magiclink') {
      log('error', 'refused', `unexpected email_action_type ${emailData.email_action_type}`)
      return hookError(
        c,
        422,
        `This service sends only sign-in codes, not ${emailData.email_action_type} emails`,
      )
    }

    sender ??= notifySender({
      apiKey: settings.notifyApiKey,
      baseUrl: settings.notifyBaseUrl,
      timeoutMs: notifyTimeoutMs,
    })
    // The webhook id is random per call: Notify's reference then ties its record to this log line.
    const reference = c.req.header('webhook-id') ?? ''
    const outcome = await sender.sendEmail(
      settings.signInCodeTemplateId,
      user.email,
      { code: emailData.token },
      reference,
    )
    switch (outcome.result) {
      case 'accepted':
        log('info', 'sent')
        return c.json({})
      case 'retry':
        log('warn', 'retry', outcome.reason)
        c.header('retry-after', '1')
        return hookError(c, 503, 'GOV.UK Notify is not answering; try again')
      case 'rejected':
        log('error', 'rejected', outcome.reason)
        return hookError(c, 422, 'GOV.UK Notify refused to send the sign-in code')
      case 'key_rejected':
        log('error', 'key_rejected', outcome.reason)
        return hookError(c, 500, 'GOV.UK Notify refused the API key')
    }
  })

  app.notFound((c) => hookError(c, 404, 'There is nothing at this address'))
  app.onError((error, c) => {
    // A configuration error has been logged by name already (config.ts); others by kind only.
    log('error', 'failed', error instanceof NotConfiguredError ? 'not_configured' : error.name)
    return hookError(c, 500, 'The sign-in email could not be sent')
  })
  return app
}

function hookError(c: Context, status: ContentfulStatusCode, message: string) {
  return c.json<HookErrorBody>({ error: { http_code: status, message } }, status)
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** One JSON line per call: the outcome and why, with no address, code or user id. */
function log(level: 'info' | 'warn' | 'error', result: string, reason?: string): void {
  const line = JSON.stringify({ level, event: 'sign_in_email', result, reason })
  if (level === 'info') console.log(line)
  else console.error(line)
}
