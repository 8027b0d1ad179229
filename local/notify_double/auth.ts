/**
 * Checks the `Authorization: Bearer <JWT>` header the way GOV.UK Notify does
 * (alphagov/notifications-api `app/authentication/auth.py`, with the token rules of
 * notifications-python-client `authentication.py`): HS256 signed with the key's secret,
 * `iss` = service id, `iat` within 30 seconds of the server's clock either way.
 */
import { Buffer } from 'node:buffer'
import { createHmac, timingSafeEqual } from 'node:crypto'
import { type ApiKey, isUuid, parseApiKey } from './api_keys.ts'
import { authError, type NotifyError } from './errors.ts'

/** notifications-python-client `__bound__`: how far `iat` may be from the server's clock. */
const IAT_BOUND_SECONDS = 30

const GENERAL_TOKEN_ERROR_MESSAGE =
  'Invalid token: make sure your API token matches the example at ' +
  'https://docs.notifications.service.gov.uk/rest-api.html#authorisation-header'

export type AuthResult = { ok: true; key: ApiKey } | { ok: false; error: NotifyError }

export type Authenticate = (authorization: string | null) => AuthResult

type DecodedToken = { header: Record<string, unknown>; claims: Record<string, unknown> }

export function createAuthenticator(apiKeys: string[], now: () => Date): Authenticate {
  const keysByService = Map.groupBy(apiKeys.map(parseApiKey), (key) => key.serviceId)

  return (authorization) => {
    if (!authorization) {
      return fail(401, 'Unauthorized: authentication token must be provided')
    }
    // Notify compares `header[:7].title()` with "Bearer ", so the scheme's case does not matter.
    if (authorization.slice(0, 7).toLowerCase() !== 'bearer ') {
      return fail(401, 'Unauthorized: authentication bearer scheme must be used')
    }
    const token = authorization.slice(7)
    const decoded = decode(token)
    if (!decoded) return fail(403, GENERAL_TOKEN_ERROR_MESSAGE)
    const issuer = decoded.claims.iss
    if (issuer === undefined || issuer === null) {
      return fail(403, 'Invalid token: iss field not provided')
    }
    if (typeof issuer !== 'string' || !isUuid(issuer)) {
      return fail(403, 'Invalid token: service id is not the right data type')
    }
    const serviceKeys = keysByService.get(issuer.toLowerCase())
    if (!serviceKeys) return fail(403, 'Invalid token: service not found')

    // Notify tries each of the service's keys; a token signed by none of them is "not found".
    for (const key of serviceKeys) {
      if (decoded.header.alg !== 'HS256') {
        return fail(403, 'Invalid token: algorithm used is not HS256')
      }
      if (!signedWith(token, key.secret)) continue
      const iat = decoded.claims.iat
      // A token without iat fails decoding and Notify moves on to the next key.
      if (iat === undefined) continue
      if (!iatWithinBound(iat, now())) {
        return fail(403, 'Error: Your system clock must be accurate to within 30 seconds')
      }
      return { ok: true, key }
    }
    return fail(403, 'Invalid token: API key not found')
  }
}

function fail(status: 401 | 403, message: string): AuthResult {
  return { ok: false, error: authError(status, message) }
}

function decode(token: string): DecodedToken | undefined {
  const [header, claims, signature, ...rest] = token.split('.')
  if (header === undefined || claims === undefined || signature === undefined || rest.length) {
    return undefined
  }
  try {
    const decoded = { header: parseSegment(header), claims: parseSegment(claims) }
    return isRecord(decoded.header) && isRecord(decoded.claims)
      ? decoded as DecodedToken
      : undefined
  } catch {
    return undefined
  }
}

function parseSegment(segment: string): unknown {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function signedWith(token: string, secret: string): boolean {
  const lastDot = token.lastIndexOf('.')
  const expected = createHmac('sha256', secret).update(token.slice(0, lastDot)).digest()
  const given = Buffer.from(token.slice(lastDot + 1), 'base64url')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

function iatWithinBound(iat: unknown, now: Date): boolean {
  const issuedAt = typeof iat === 'number' ? iat : typeof iat === 'string' ? Number(iat) : NaN
  if (!Number.isFinite(issuedAt)) return false
  const nowSeconds = Math.floor(now.getTime() / 1000)
  return Math.abs(nowSeconds - Math.trunc(issuedAt)) <= IAT_BOUND_SECONDS
}
