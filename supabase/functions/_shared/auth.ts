/**
 * Who is calling. `requireUser` verifies a Supabase Auth access token in the function itself
 * (config.toml turns the gateway's check off: it has been unreliable with asymmetric signing
 * keys) against the project's JWKS, inline or fetched from Auth; `requireSecretKey` admits the
 * platform's own callers (pg_net, pg_cron) that present a secret API key (or, on a project with
 * legacy API keys only, its service role key).
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
} from 'jose'
import type { JWTVerifyGetKey } from 'jose'
import type { Config } from './config.ts'
import type { UserClaims } from './db.ts'
import { AppError } from './errors.ts'

export type UserEnv = { Variables: { claims: UserClaims } }

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The algorithms of Supabase's asymmetric JWT signing keys. */
const signingAlgorithms = ['ES256', 'RS256', 'EdDSA']

/** What checking a user's access token reads: the project's URL (the issuer) and its keys. */
export type UserAuthConfig = Pick<Config, 'jwks' | 'supabaseUrl'>

/** The keys, inline or fetched, made on first use and then kept. */
function signingKeys(config: UserAuthConfig): () => JWTVerifyGetKey {
  let keySet: JWTVerifyGetKey | undefined
  return () => {
    if (keySet) return keySet
    const inline = config.jwks()
    return keySet = inline
      ? createLocalJWKSet(inline)
      : fetchedKeys(new URL(`${config.supabaseUrl()}/auth/v1/.well-known/jwks.json`))
  }
}

/**
 * The project's keys from Auth's JWKS endpoint, cached by jose (refetched at most every 30 s when
 * a token names a key it has not seen). When Auth cannot be reached the keys are unknown, not the
 * token wrong: that is a 503, not a 401 that would send the person to sign in again.
 */
function fetchedKeys(url: URL): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(url)
  return async (header, token) => {
    try {
      return await remote(header, token)
    } catch (error) {
      if (
        error instanceof errors.JWKSNoMatchingKey ||
        error instanceof errors.JWKSMultipleMatchingKeys ||
        error instanceof errors.JOSENotSupported
      ) {
        throw error
      }
      const kind = error instanceof Error ? error.name : typeof error
      console.error(JSON.stringify({ level: 'error', event: 'jwks_unavailable', kind }))
      throw new AppError(
        503,
        'jwks_unavailable',
        'Sorry, signing in is not working at the moment. Try again later',
      )
    }
  }
}

/**
 * A token signed with the project's legacy JWT secret (HS256) cannot be checked against a JWKS:
 * the project must move to asymmetric signing keys. Said in the answer and, once per process, in
 * the log, so whoever runs the project sees why every sign-in is refused.
 */
let legacyTokenLogged = false

function refuseLegacyToken(token: string): void {
  let algorithm: unknown
  try {
    algorithm = decodeProtectedHeader(token).alg
  } catch {
    throw new AppError(401, 'unauthorised', 'Sign in to continue')
  }
  if (typeof algorithm !== 'string' || !/^HS(256|384|512)$/.test(algorithm)) return
  if (!legacyTokenLogged) {
    legacyTokenLogged = true
    console.error(JSON.stringify({ level: 'error', event: 'legacy_jwt_signing_key', algorithm }))
  }
  throw new AppError(
    401,
    'legacy_jwt_signing_key',
    'Sign-ins cannot be checked: this Supabase project still signs them with its legacy JWT ' +
      'secret (HS256) and must move to asymmetric JWT signing keys',
  )
}

/** Checks user access tokens against `config`'s keys and issuer. */
export function userTokenVerifier(config: UserAuthConfig): (token: string) => Promise<UserClaims> {
  const keys = signingKeys(config)
  return (token) => verifyUserToken(config, keys, token)
}

/** Verifies a user access token; throws AppError 401 when it is not one. */
async function verifyUserToken(
  config: UserAuthConfig,
  signingKeys: () => JWTVerifyGetKey,
  token: string,
): Promise<UserClaims> {
  refuseLegacyToken(token)
  const issuer = `${config.supabaseUrl()}/auth/v1`
  const keys = signingKeys()
  try {
    const { payload } = await jwtVerify(token, keys, {
      issuer,
      audience: 'authenticated',
      algorithms: signingAlgorithms,
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
export function requireUser(config: UserAuthConfig): MiddlewareHandler<UserEnv> {
  const verify = userTokenVerifier(config)
  return async (c, next) => {
    const token = bearerToken(c.req.header('authorization'))
    if (!token) throw new AppError(401, 'unauthorised', 'Sign in to continue')
    c.set('claims', await verify(token))
    await next()
  }
}

/** Admits a request presenting one of the project's secret API keys. */
export function requireSecretKey(config: Pick<Config, 'secretKeys'>): MiddlewareHandler {
  return async (c, next) => {
    const presented = bearerToken(c.req.header('authorization')) ?? c.req.header('apikey')
    if (!presented || !config.secretKeys().some((key) => sameSecret(presented, key))) {
      throw new AppError(401, 'unauthorised', 'A secret API key is required')
    }
    await next()
  }
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
