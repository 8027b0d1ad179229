/**
 * For tests: a confirmed person as the Auth stand-in reads one from `auth.users`, and a session
 * of theirs, without a database, so tokens and hook calls can be made as sign-in makes them; and a
 * token issuer of a test's own.
 */
import { exportJWK, generateKeyPair } from 'jose'
import type { KeySet } from '../../supabase/functions/_shared/config.ts'
import type { AuthSession, AuthUser } from './store.ts'
import { createTokenSigner } from './tokens.ts'

export function testAuthUser(email = 'someone@example.test'): AuthUser {
  return {
    id: crypto.randomUUID(),
    email,
    email_confirmed_at: new Date(),
    last_sign_in_at: null,
    created_at: new Date(),
    updated_at: new Date(),
    raw_app_meta_data: { provider: 'email', providers: ['email'] },
    raw_user_meta_data: {},
  }
}

export function testAuthSession(user: AuthUser): AuthSession {
  return { id: crypto.randomUUID(), user_id: user.id, created_at: new Date() }
}

/**
 * A signing key made here, signing access tokens as the Auth stand-in does at sign-in for the
 * project at `apiUrl`; `jwks` is its public half, as a function's configuration holds it.
 */
export async function testTokenIssuer(apiUrl: string) {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true })
  const signingKey = { ...(await exportJWK(privateKey)), kid: crypto.randomUUID(), alg: 'ES256' }
  const { d: _private, ...publicKey } = signingKey
  const signer = await createTokenSigner(`${apiUrl}/auth/v1`, signingKey)
  return {
    kid: signingKey.kid,
    jwks: { keys: [publicKey] } as KeySet,
    /** An access token for `user` (a new person by default), in a new session. */
    accessToken: (user: AuthUser = testAuthUser()) =>
      signer.sign(user, testAuthSession(user), new Date()),
  }
}
