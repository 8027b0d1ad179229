/**
 * The running local stack, as `deno task test` (local/test.ts) describes it in TEST_* variables,
 * and helpers for tests across it: a user of their own for each test, signing in with the real
 * `@supabase/supabase-js` and reading the emailed code from the Notify double's mailbox.
 */
import { createClient, type Session, type SupabaseClient } from '@supabase/supabase-js'
import postgres from 'postgres'
import * as insert from './world.ts'
import type { MailboxMessage as DoubleMailboxMessage } from '../local/notify_double/mailbox.ts'
import { type Config, readConfig } from '../supabase/functions/_shared/config.ts'
import { type FunctionDeps, platformDeps } from '../supabase/functions/_shared/function_deps.ts'

function required(name: string): string {
  const value = Deno.env.get(name)
  if (!value) {
    throw new Error(
      `${name} is not set: run these tests with \`deno task test\`, which starts the stack`,
    )
  }
  return value
}

export const stack = {
  /** As `postgres`, which is not a superuser, as on hosted. */
  databaseUrl: required('TEST_DATABASE_URL'),
  /**
   * As the platform superuser, only for what the platform itself does (a shim, a database); read
   * when used, so that runners which set only the others keep working.
   */
  get databaseAdminUrl(): string {
    return required('TEST_DATABASE_ADMIN_URL')
  },
  apiUrl: required('TEST_API_URL'),
  notifyUrl: required('TEST_NOTIFY_URL'),
  webUrl: required('TEST_WEB_URL'),
  publishableKey: required('TEST_PUBLISHABLE_KEY'),
  secretKey: required('TEST_SECRET_KEY'),
}

/** A connection to the stack's database as `postgres`; end it with `sql.end()`. */
export function connect(): postgres.Sql {
  return postgres(stack.databaseUrl, { max: 2, onnotice: () => {} })
}

/** Runs `fn` on a connection of its own, ended after, pass or fail. */
export async function withSql<T>(fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = connect()
  try {
    return await fn(sql)
  } finally {
    await sql.end()
  }
}

/** A supabase-js client for the stack that keeps its session in memory only. */
export function supabaseClient(): SupabaseClient {
  return createClient(stack.apiUrl, stack.publishableKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  })
}

/**
 * Adds a person to `auth.users` with an address unique to this call, confirmed as DfE adds them
 * (Auth takes an unconfirmed address for a sign-up, which is off); returns id and email.
 */
export async function createUser(label = 'person'): Promise<{ id: string; email: string }> {
  const email = `${label}-${crypto.randomUUID()}@example.test`
  return { id: await withSql((sql) => insert.authUser(sql, email)), email }
}

/**
 * What a function is given on the platform, pointing at the stack: the configuration read from
 * the environment the platform sets (with `changes` over it) and a database pool of its own, for
 * tests that build a function's app in this process and call `app.request()`. Close the pool with
 * `database.close()`.
 */
export async function stackFunctionDeps(
  changes: Record<string, string> = {},
): Promise<FunctionDeps<keyof Config>> {
  const jwks = await (await fetch(`${stack.apiUrl}/auth/v1/.well-known/jwks.json`)).text()
  const env: Record<string, string> = {
    SUPABASE_URL: stack.apiUrl,
    SUPABASE_DB_URL: stack.databaseUrl,
    SUPABASE_PUBLISHABLE_KEYS: JSON.stringify({ default: stack.publishableKey }),
    SUPABASE_SECRET_KEYS: JSON.stringify({ default: stack.secretKey }),
    SUPABASE_JWKS: jwks,
    WEB_ORIGIN: stack.webUrl,
    SUPPORT_EMAIL: 'support@example.test',
    ...changes,
  }
  return platformDeps(readConfig((name) => env[name]))
}

/** An email in the Notify double's mailbox; our templates' personalisation is all text. */
export type MailboxMessage = Omit<DoubleMailboxMessage, 'personalisation'> & {
  personalisation: Record<string, string>
}

/** The emails the Notify double accepted, newest first, to one address or with one reference. */
export async function mailbox(
  filter: { to: string } | { reference: string },
): Promise<MailboxMessage[]> {
  const response = await fetch(`${stack.notifyUrl}/messages?${new URLSearchParams(filter)}`)
  if (!response.ok) throw new Error(`the Notify double's mailbox answered ${response.status}`)
  return await response.json()
}

/**
 * Polls until `check` returns a value (not undefined), and returns it. The limit is a safety net
 * for a broken sender, not a claim about speed.
 */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  { timeoutMs = 60_000, what = 'the expected state' } = {},
): Promise<T> {
  const giveUpAt = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > giveUpAt) throw new Error(`gave up waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/** Waits for the newest email to `to` that `matches`, and returns it. */
export function waitForEmail(
  to: string,
  matches: (message: MailboxMessage) => boolean = () => true,
): Promise<MailboxMessage> {
  return eventually(async () => (await mailbox({ to })).find(matches), {
    what: `an email to ${to}`,
  })
}

/** The newest sign-in code the Notify double holds for `email`. */
export async function latestSignInCode(email: string): Promise<string> {
  const messages = await mailbox({ to: email })
  const code = messages.find((message) => message.to === email)?.personalisation.code
  if (typeof code !== 'string') throw new Error(`no sign-in code was emailed to ${email}`)
  return code
}

/** Signs `email` in the way the site does: emailed code, then verify. */
export async function signIn(
  email: string,
): Promise<{ client: SupabaseClient; session: Session }> {
  const client = supabaseClient()
  const sent = await client.auth.signInWithOtp({ email, options: { shouldCreateUser: false } })
  if (sent.error) throw sent.error
  const verified = await client.auth.verifyOtp({
    email,
    token: await latestSignInCode(email),
    type: 'email',
  })
  if (verified.error || !verified.data.session) throw verified.error ?? new Error('no session')
  return { client, session: verified.data.session }
}
