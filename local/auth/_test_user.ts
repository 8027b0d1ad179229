/**
 * For tests: a confirmed person as the Auth stand-in reads one from `auth.users`, and a session
 * of theirs, without a database, so tokens and hook calls can be made as sign-in makes them.
 */
import type { AuthSession, AuthUser } from './store.ts'

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
