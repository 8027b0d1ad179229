/**
 * Who is calling. `requireUser` verifies a Supabase Auth access token in the function itself
 * (config.toml turns the gateway's check off: it has been unreliable with asymmetric signing
 * keys) against the project's JWKS; `requireSecretKey` admits the platform's own callers (pg_net,
 * pg_cron) that present a secret API key.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify } from 'jose'
import type { JWTVerifyGetKey } from 'jose'
import { config } from './config.ts'
import type { UserClaims } from './db.ts'
import { AppError } from './errors.ts'

export type UserEnv = { Variables: { claims: UserClaims } }

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

let keySet: JWTVerifyGetKey | undefined

function signingKeys(): JWTVerifyGetKey {
  const { jwks, supabaseUrl } = config()
  return keySet ??= jwks
    ? createLocalJWKSet(jwks)
    : createRemoteJWKSet(new URL(`${supabaseUrl}/auth/v1/.well-known/jwks.json`))
}

/** Verifies a user access token; throws AppError 401 when it is not one. */
export async function verifyUserToken(token: string): Promise<UserClaims> {
  try {
    const { payload } = await jwtVerify(token, signingKeys(), {
      issuer: `${config().supabaseUrl}/auth/v1`,
      audience: 'authenticated',
      algorithms: ['ES256', 'RS256', 'EdDSA'],
      requiredClaims: ['sub', 'exp'],
    })
    // `sub` becomes `auth.uid()`, a uuid: anything else would fail in the database, not here.
    if (
      typeof payload.sub !== 'string' || !uuidPattern.test(payload.sub) ||
      payload.role !== 'authenticated'
    ) {
      throw new AppError(401, 'unauthorised', 'Sign in to continue')
    }
    return { ...payload, sub: payload.sub, role: payload.role }
  } catch (error) {
    if (error instanceof AppError) throw error
    if (error instanceof errors.JWTExpired) {
      throw new AppError(401, 'session_expired', 'Your session has expired. Sign in again')
    }
    if (error instanceof errors.JOSEError) {
      throw new AppError(401, 'unauthorised', 'Sign in to continue')
    }
    throw error
  }
}

/** Admits a request with a valid user access token and puts its claims in `c.var.claims`. */
export const requireUser: MiddlewareHandler<UserEnv> = async (c, next) => {
  const token = bearerToken(c.req.header('authorization'))
  if (!token) throw new AppError(401, 'unauthorised', 'Sign in to continue')
  c.set('claims', await verifyUserToken(token))
  await next()
}

/** Admits a request presenting one of the project's secret API keys. */
export const requireSecretKey: MiddlewareHandler = async (c, next) => {
  const presented = bearerToken(c.req.header('authorization')) ?? c.req.header('apikey')
  if (!presented || !config().secretKeys.some((key) => sameSecret(presented, key))) {
    throw new AppError(401, 'unauthorised', 'A secret API key is required')
  }
  await next()
}

function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i)
  return match?.[1]
}

/**
 * Compares two secrets in constant time: both are hashed to the same length first, so neither
 * their lengths nor the first differing character show in the timing.
 */
export function sameSecret(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected))
}

function digest(text: string): Uint8Array {
  return createHash('sha256').update(text).digest()
}
