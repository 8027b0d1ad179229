/**
 * `Authorization: Bearer <token>` for the Lead Provider API. The token is checked, its use
 * recorded and counted against its rate limit by `app.use_api_token` (in Postgres, so the limit
 * holds across every isolate); routes then run as the token with the database's `withApiToken`. A missing, unknown or
 * revoked token is a 401 with the anchor's words; a sign-in session or an API key is a 403.
 */
import type { MiddlewareHandler } from 'hono'
import type { Database } from '../_shared/db.ts'
import { AppError } from '../_shared/errors.ts'

export type TokenEnv = { Variables: { apiTokenId: string } }

/** Our tokens: `lpapi_` and 43 base64url characters; anything far from that is not looked up. */
const tokenShape = /^[A-Za-z0-9_-]{1,100}$/
/** A JWT (a sign-in session) or a Supabase API key: real credentials, for other doors. */
const otherCredential = /^(eyJ[\w-]*\.[\w-]*\.[\w-]*|sb_(publishable|secret)_[\w-]+)$/

const denied = () => new AppError(401, 'unauthorised', 'HTTP Token: Access denied')

export function requireApiToken(database: Database): MiddlewareHandler<TokenEnv> {
  return async (c, next) => {
    const given = /^Bearer +(\S+)$/i.exec(c.req.header('authorization') ?? '')
      ?.[1]
    if (!given) throw denied()
    if (otherCredential.test(given)) {
      throw new AppError(
        403,
        'wrong_credential',
        'Use a Lead Provider API token for this API',
      )
    }
    if (!tokenShape.test(given)) throw denied()
    const [used] = await database.withService((tx) =>
      tx<{ api_token_id: string; retry_after_seconds: number | null }[]>`
        select api_token_id, retry_after_seconds from app.use_api_token(${given})`
    )
    if (!used) throw denied()
    if (used.retry_after_seconds !== null) {
      c.header('retry-after', String(used.retry_after_seconds))
      throw new AppError(
        429,
        'too_many_requests',
        `Too many requests for this token: try again in ${used.retry_after_seconds} seconds`,
      )
    }
    c.set('apiTokenId', used.api_token_id)
    await next()
  }
}
