/**
 * How the Auth stand-in sends its emails: it does not. Like hosted Supabase Auth with a Send Email
 * Hook configured, it calls the hook (our `auth-email-hook` function, through the gateway) and
 * leaves the sending to it, so sign-in codes take one path locally and hosted. The call copies
 * supabase/auth `internal/hooks/hookshttp` and `internal/api/mail.go`: the same payload, a new
 * `webhook-id` and timestamp per attempt signed with `standardwebhooks`, up to 3 attempts within
 * one 5 s budget, and the same error (status, code, message) for the client when the hook fails.
 */
import { createHash } from 'node:crypto'
import { Webhook } from 'standardwebhooks'
import type { AuthUser } from './store.ts'
import { userJson } from './tokens.ts'

/** What Auth answers the client when the hook fails; GoTrue's `error_code` and message. */
export type HookFailure = { status: number; code: string; message: string }

/** Calls the hook for one email; resolves to undefined once it is sent. */
export type SendEmail = (email: {
  user: AuthUser
  emailActionType: 'magiclink'
  token: string
}) => Promise<HookFailure | undefined>

export type SendEmailHookOptions = {
  uri: string
  /** `v1,whsec_<base64>`, as configured in Auth. */
  secrets: string[]
  /** Auth's `site_url`, sent as `redirect_to` when the client names none. */
  siteUrl: string
  /** Auth's own external URL, e.g. `http://127.0.0.1:54321/auth/v1`. */
  externalUrl: string
  /** Auth's values; tests shorten them. */
  timeoutMs?: number
  retries?: number
  backoffMs?: number
}

/** hookshttp's response limit. */
const payloadLimit = 200 * 1024

export function createSendEmailHook(
  { uri, secrets, siteUrl, externalUrl, timeoutMs = 5_000, retries = 3, backoffMs = 2_000 }:
    SendEmailHookOptions,
): SendEmail {
  const webhooks = secrets.map((secret) => {
    if (!secret.startsWith('v1,')) throw new Error('a hook secret must start with v1,')
    return new Webhook(secret.slice('v1,'.length))
  })
  const seconds = (timeoutMs / 1000).toFixed(6)
  const timedOut = {
    status: 422,
    code: 'hook_timeout',
    message: `Failed to reach hook within maximum time of ${seconds} seconds`,
  }
  const unavailable = unexpected('Service currently unavailable due to hook')

  return async ({ user, emailActionType, token }) => {
    const payload = JSON.stringify({
      metadata: {
        uuid: crypto.randomUUID(),
        time: new Date().toISOString(),
        name: 'send-email',
        ip_address: '127.0.0.1',
      },
      user: userJson(user),
      email_data: {
        token,
        token_hash: createHash('sha224').update(user.email + token).digest('hex'),
        redirect_to: siteUrl,
        email_action_type: emailActionType,
        site_url: externalUrl,
        token_new: '',
        token_hash_new: '',
        old_email: '',
        old_phone: '',
        provider: '',
        factor_type: '',
      },
    })
    // One budget for every attempt, as Auth's context deadline is.
    const deadline = AbortSignal.timeout(timeoutMs)
    for (let attempt = 0; attempt < retries; attempt++) {
      const id = crypto.randomUUID()
      const now = new Date()
      let response: Response
      try {
        response = await fetch(uri, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'webhook-id': id,
            'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
            'webhook-signature': webhooks.map((hook) => hook.sign(id, now, payload)).join(', '),
            'accept-encoding': 'identity',
          },
          body: payload,
          signal: deadline,
        })
      } catch {
        if (deadline.aborted) return timedOut
        if (attempt < retries - 1) {
          if (!(await wait(backoffMs, deadline))) return timedOut
          continue
        }
        return {
          status: 422,
          code: 'hook_timeout_after_retry',
          message: 'Failed to reach hook after maximum retries',
        }
      }
      const status = response.status
      if (status === 204) {
        await response.body?.cancel()
        return undefined
      }
      if (status === 200 || status === 202) return await successBody(response).catch(() => timedOut)
      await response.body?.cancel()
      if (status === 429 || status === 503) {
        // Auth tries again at once when the hook says when to; without Retry-After it gives up.
        if (response.headers.get('retry-after')) continue
        return unavailable
      }
      if (status === 400) return unexpected('Invalid payload sent to hook')
      if (status === 401) return unexpected('Hook requires authorization token')
      return unexpected(`Unexpected status code returned from hook: ${status}`)
    }
    return unavailable
  }
}

/**
 * A 200 or 202 counts as sent only with a JSON body that is not a hook error; an error body's
 * `http_code` (500 when absent) and message become Auth's answer.
 */
async function successBody(response: Response): Promise<HookFailure | undefined> {
  const type = response.headers.get('content-type')
  if (!type) {
    await response.body?.cancel()
    return invalidContentType('Invalid Content-Type: Missing Content-Type header')
  }
  if (type.split(';')[0]!.trim().toLowerCase() !== 'application/json') {
    await response.body?.cancel()
    return invalidContentType(`Invalid JSON response. Received content-type: ${type}`)
  }
  const bytes = new Uint8Array(await response.arrayBuffer())
  if (bytes.length > payloadLimit) {
    return {
      status: 422,
      code: 'hook_payload_over_size_limit',
      message: `Payload size exceeded size limit of ${payloadLimit} bytes`,
    }
  }
  let body: unknown
  try {
    body = JSON.parse(new TextDecoder().decode(bytes))
  } catch {
    return unexpected('Error unmarshaling JSON output.')
  }
  const error = (body as { error?: { http_code?: unknown; message?: unknown } } | null)?.error
  if (typeof error?.message === 'string' && error.message) {
    const status = typeof error.http_code === 'number' && error.http_code ? error.http_code : 500
    return {
      status,
      code: status === 500 ? 'unexpected_failure' : 'unknown',
      message: error.message,
    }
  }
  return undefined
}

function unexpected(message: string): HookFailure {
  return { status: 500, code: 'unexpected_failure', message }
}

function invalidContentType(message: string): HookFailure {
  return { status: 400, code: 'hook_payload_invalid_content_type', message }
}

/** Waits `ms`; false when the deadline comes first. */
function wait(ms: number, deadline: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      deadline.removeEventListener('abort', stop)
      resolve(true)
    }, ms)
    const stop = () => {
      clearTimeout(timer)
      resolve(false)
    }
    deadline.addEventListener('abort', stop, { once: true })
  })
}

/** Six decimal digits, uniformly random (rejection sampling avoids modulo bias). */
export function newCode(): string {
  const limit = Math.floor(0x1_0000_0000 / 1_000_000) * 1_000_000
  for (;;) {
    const [value] = crypto.getRandomValues(new Uint32Array(1))
    if (value! < limit) return String(value! % 1_000_000).padStart(6, '0')
  }
}
