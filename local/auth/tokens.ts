/**
 * The shapes Supabase Auth (GoTrue) answers with: the user object, the session JSON and the
 * ES256 access token with GoTrue's claims, signed with the local key whose public half the
 * JWKS endpoint publishes, so the functions verify it exactly as they would a hosted one.
 */
import { importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose'
import type { AuthSession, AuthUser } from './store.ts'

export const accessTokenSeconds = 3600

export type AccessClaims = JWTPayload & { sub: string; session_id: string; email: string }

export type TokenSigner = {
  issuer: string
  sign(user: AuthUser, session: AuthSession, signedInAt: Date): Promise<string>
  verify(token: string): Promise<AccessClaims>
}

/** Signs with the private JWK (which carries its `kid`) and verifies with its public half. */
export async function createTokenSigner(issuer: string, signingKey: JWK): Promise<TokenSigner> {
  const { d: _private, ...publicJwk } = signingKey
  const privateKey = await importJWK(signingKey, 'ES256')
  const publicKey = await importJWK(publicJwk, 'ES256')
  const kid = String(signingKey.kid)
  return {
    issuer,
    sign(user, session, signedInAt) {
      const now = Math.floor(Date.now() / 1000)
      return new SignJWT({
        email: user.email,
        phone: '',
        app_metadata: appMetadata(user),
        user_metadata: user.raw_user_meta_data ?? {},
        role: 'authenticated',
        aal: 'aal1',
        amr: [{ method: 'otp', timestamp: Math.floor(signedInAt.getTime() / 1000) }],
        session_id: session.id,
        is_anonymous: false,
      })
        .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
        .setIssuer(issuer)
        .setSubject(user.id)
        .setAudience('authenticated')
        .setIssuedAt(now)
        .setExpirationTime(now + accessTokenSeconds)
        .sign(privateKey)
    },
    async verify(token) {
      const { payload } = await jwtVerify(token, publicKey, {
        issuer,
        audience: 'authenticated',
        algorithms: ['ES256'],
      })
      if (
        typeof payload.sub !== 'string' || typeof payload.session_id !== 'string' ||
        typeof payload.email !== 'string'
      ) {
        throw new Error('access token without sub, session_id or email')
      }
      return payload as AccessClaims
    },
  }
}

/** GoTrue's user object, as `GET /user` and sessions carry it. */
export function userJson(user: AuthUser) {
  const iso = (date: Date | null) => date?.toISOString() ?? null
  return {
    id: user.id,
    aud: 'authenticated',
    role: 'authenticated',
    email: user.email,
    email_confirmed_at: iso(user.email_confirmed_at),
    phone: '',
    confirmed_at: iso(user.email_confirmed_at),
    last_sign_in_at: iso(user.last_sign_in_at),
    app_metadata: appMetadata(user),
    user_metadata: user.raw_user_meta_data ?? {},
    identities: [],
    created_at: iso(user.created_at),
    updated_at: iso(user.updated_at),
    is_anonymous: false,
  }
}

/** GoTrue's session JSON (`POST /verify`, `POST /token`). */
export function sessionJson(accessToken: string, refreshToken: string, user: AuthUser) {
  return {
    access_token: accessToken,
    token_type: 'bearer',
    expires_in: accessTokenSeconds,
    expires_at: Math.floor(Date.now() / 1000) + accessTokenSeconds,
    refresh_token: refreshToken,
    user: userJson(user),
  }
}

/** Refresh tokens are opaque random strings, as GoTrue's are. */
export function newRefreshToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24))
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
}

function appMetadata(user: AuthUser) {
  return { provider: 'email', providers: ['email'], ...(user.raw_app_meta_data ?? {}) }
}
