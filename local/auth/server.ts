/**
 * A minimal stand-in for Supabase Auth (GoTrue) at `/auth/v1`: sign-in with an emailed one-time
 * code, sessions, refresh-token rotation, `GET /user`, sign-out and the JWKS, answering in
 * GoTrue's shapes so the real `@supabase/supabase-js` works against it unchanged. Sign-ups are
 * off: only people already in `auth.users`, confirmed, can sign in, as in the service. The code
 * goes out through the Send Email Hook (local/auth/email.ts), as on hosted.
 */
import { type Context, Hono } from 'hono'
import { cors } from 'hono/cors'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { JWK } from 'jose'
import { z } from 'zod'
import { newCode, type SendEmail } from './email.ts'
import { authSettings } from './settings.ts'
import type { AuthStore } from './store.ts'
import {
  type AccessClaims,
  newRefreshToken,
  sessionJson,
  type TokenSigner,
  userJson,
} from './tokens.ts'

export type AuthServerOptions = {
  store: AuthStore
  signer: TokenSigner
  jwks: { keys: JWK[] }
  /** Calls the Send Email Hook, as Supabase Auth does when one is configured. */
  sendEmail: SendEmail
  /** Keys accepted in the `apikey` header (publishable and secret). */
  apiKeys: string[]
}

/** GoTrue marks its newer error shape with this header and date. */
const apiVersionHeader = 'x-supabase-api-version'
const apiVersion = '2024-01-01'

const otpSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  create_user: z.boolean().optional(),
})
const verifySchema = z.object({
  type: z.enum(['email', 'magiclink']),
  email: z.string().trim().toLowerCase().pipe(z.email()),
  token: z.string().trim().min(1),
})
const refreshSchema = z.object({ refresh_token: z.string().min(1) })
/** Any uuid in its canonical text form, the form GoTrue signs. */
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const logoutScopeSchema = z.enum(['global', 'local', 'others']).default('global')

export function createAuthServer(
  { store, signer, jwks, sendEmail, apiKeys }: AuthServerOptions,
) {
  const app = new Hono().basePath('/auth/v1')

  // Supabase's API gateway lets any origin call Auth; the publishable key is public.
  app.use(
    cors({
      origin: '*',
      allowHeaders: ['authorization', 'apikey', 'content-type', 'x-client-info', apiVersionHeader],
      exposeHeaders: [apiVersionHeader],
    }),
  )

  app.get('/.well-known/jwks.json', (c) => c.json(jwks))
  app.get('/jwks', (c) => c.json(jwks))

  app.use(async (c, next) => {
    const key = c.req.header('apikey')
    if (!key) {
      return c.json({
        message: 'No API key found in request',
        hint: 'No `apikey` request header or url param was found.',
      }, 401)
    }
    if (!apiKeys.includes(key)) return c.json({ message: 'Invalid API key' }, 401)
    await next()
  })

  app.get('/settings', (c) => c.json(authSettings))

  app.post('/otp', async (c) => {
    const body = otpSchema.safeParse(await jsonBody(c))
    if (!body.success) return invalid(c, 'Unable to validate email address: invalid format')
    const user = await store.findUserByEmail(body.data.email)
    if (!user) {
      return body.data.create_user === false
        ? authError(c, 422, 'otp_disabled', 'Signups not allowed for otp')
        : authError(c, 422, 'signup_disabled', 'Signups not allowed for this instance')
    }
    // Auth treats an unconfirmed address as a sign-up, which is off: such a person cannot sign
    // in on hosted either, so users are added already confirmed.
    if (!user.email_confirmed_at) {
      return authError(c, 422, 'signup_disabled', 'Signups not allowed for this instance')
    }
    const code = newCode()
    if (!(await store.issueCode(user.id, code))) {
      return authError(c, 429, 'over_email_send_rate_limit', 'Email rate limit exceeded')
    }
    const failure = await sendEmail({ user, emailActionType: 'magiclink', token: code })
    if (failure) {
      await store.withdrawCode(user.id, code)
      return authError(c, failure.status as ContentfulStatusCode, failure.code, failure.message)
    }
    return c.json({})
  })

  app.post('/verify', async (c) => {
    const body = verifySchema.safeParse(await jsonBody(c))
    if (!body.success) return invalid(c, 'Verify requires a verification type, email and token')
    const user = await store.findUserByEmail(body.data.email)
    if (!user || !(await store.redeemCode(user.id, body.data.token))) {
      return authError(c, 403, 'otp_expired', 'Token has expired or is invalid')
    }
    const signedIn = (await store.findUser(user.id))!
    const refreshToken = newRefreshToken()
    const session = await store.createSession(user.id, refreshToken)
    const accessToken = await signer.sign(signedIn, session, new Date())
    return c.json(sessionJson(accessToken, refreshToken, signedIn))
  })

  app.post('/token', async (c) => {
    if (c.req.query('grant_type') !== 'refresh_token') {
      return invalid(c, 'unsupported_grant_type')
    }
    const body = refreshSchema.safeParse(await jsonBody(c))
    if (!body.success) {
      return authError(
        c,
        400,
        'refresh_token_not_found',
        'Invalid Refresh Token: Refresh Token Not Found',
      )
    }
    const refreshToken = newRefreshToken()
    const session = await store.rotateRefreshToken(body.data.refresh_token, refreshToken)
    if (session === 'not_found') {
      return authError(
        c,
        400,
        'refresh_token_not_found',
        'Invalid Refresh Token: Refresh Token Not Found',
      )
    }
    if (session === 'revoked') {
      return authError(c, 400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used')
    }
    const user = await store.findUser(session.user_id)
    if (!user) {
      return authError(c, 403, 'user_not_found', 'User from sub claim in JWT does not exist')
    }
    const accessToken = await signer.sign(user, session, session.created_at)
    return c.json(sessionJson(accessToken, refreshToken, user))
  })

  app.get('/user', async (c) => {
    const claims = await signedIn(c)
    if (claims instanceof Response) return claims
    const user = await store.findUser(claims.sub)
    if (!user) {
      return authError(c, 403, 'user_not_found', 'User from sub claim in JWT does not exist')
    }
    return c.json(userJson(user))
  })

  app.post('/logout', async (c) => {
    const claims = await signedIn(c)
    if (claims instanceof Response) return claims
    const scope = logoutScopeSchema.safeParse(c.req.query('scope'))
    if (!scope.success) {
      return invalid(c, 'Unsupported logout scope')
    }
    await store.endSessions(claims.sub, claims.session_id, scope.data)
    return c.body(null, 204)
  })

  app.notFound((c) => authError(c, 404, 'not_found', 'Not found'))
  app.onError((error, c) => {
    console.error(`[auth] ${error.name}: request failed`)
    return authError(c, 500, 'unexpected_failure', 'Unexpected failure, please check server logs')
  })

  /** The verified claims of the request's access token, or GoTrue's refusal. */
  async function signedIn(c: Context): Promise<AccessClaims | Response> {
    const match = c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)
    if (!match?.[1]) {
      return authError(c, 401, 'no_authorization', 'This endpoint requires a valid Bearer token')
    }
    let claims: AccessClaims
    try {
      claims = await signer.verify(match[1])
    } catch {
      return authError(
        c,
        403,
        'bad_jwt',
        'invalid JWT: unable to parse or verify signature, token is invalid',
      )
    }
    // GoTrue parses both claims as uuids before any lookup and refuses the token otherwise; our
    // store would hand them to Postgres, whose failed cast is a 500.
    if (!uuidPattern.test(claims.sub)) {
      return authError(c, 400, 'bad_jwt', 'invalid claim: sub claim must be a UUID')
    }
    if (!uuidPattern.test(claims.session_id)) {
      return authError(c, 403, 'bad_jwt', 'invalid claim: session_id claim must be a UUID')
    }
    if (!(await store.sessionExists(claims.session_id))) {
      return authError(
        c,
        403,
        'session_not_found',
        'Session from session_id claim in JWT does not exist',
      )
    }
    return claims
  }

  return app
}

/** The parsed body, or undefined when it is not JSON (the schema then refuses it). */
async function jsonBody(c: Context): Promise<unknown> {
  try {
    return await c.req.json()
  } catch {
    return undefined
  }
}

/**
 * GoTrue's error body: `{code, message}` for clients that send the API version header (as
 * supabase-js does), the older `{code: <status>, error_code, msg}` for the rest.
 */
/** Auth's answer to a request it cannot read: 400 `validation_failed`. */
function invalid(c: Context, message: string) {
  return authError(c, 400, 'validation_failed', message)
}

function authError(c: Context, status: ContentfulStatusCode, code: string, message: string) {
  const requested = c.req.header(apiVersionHeader)
  if (requested && requested >= apiVersion) {
    c.header(apiVersionHeader, apiVersion)
    return c.json({ code, message }, status)
  }
  return c.json({ code: status, error_code: code, msg: message }, status)
}
