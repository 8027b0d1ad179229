/**
 * The functions' Postgres connection. User-scoped work runs under RLS the way PostgREST runs it:
 * in a transaction, with the verified JWT claims in `request.jwt.claims`, so `auth.uid()` and the
 * policies see the signed-in user; but as role `app_user`, not `authenticated` (see `withUser`).
 * Service work runs as `service_role`. The settings are transaction-local, so a pooled connection
 * never carries one caller's identity into the next transaction.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import postgres from 'postgres'
import { databaseUrl } from './config.ts'

export type Sql = postgres.Sql
export type Tx = postgres.TransactionSql

/** The claims of a verified Supabase user JWT; `sub` is the user id. */
export type UserClaims = { sub: string; role: string; [claim: string]: unknown }

/**
 * Each function has a pool of its own, as on the platform, where each runs in isolates of its own.
 * There every request of an isolate is the same function's, so this is one pool; where several
 * functions share a process (the local gateway), each request uses its function's pool
 * (`inFunctionPool`, set by `functionApp`), so the sender's work never holds the connections a
 * school's link check waits for.
 */
const pools = new Map<string, Sql>()
const poolOwner = new AsyncLocalStorage<string>()

/** Runs `fn` (a request of function `name`, and what it starts) on that function's pool. */
export function inFunctionPool<T>(name: string, fn: () => T): T {
  return poolOwner.run(name, fn)
}

/** The pool, opened on first use; 503 `not_configured` without a usable SUPABASE_DB_URL. */
export function db(): Sql {
  const owner = poolOwner.getStore() ?? ''
  let pool = pools.get(owner)
  if (!pool) {
    pool = postgres(databaseUrl(), {
      // Supavisor in transaction mode cannot keep prepared statements between transactions.
      prepare: false,
      max: 5,
      idle_timeout: 20,
      connect_timeout: 10,
      onnotice: () => {},
    })
    pools.set(owner, pool)
  }
  return pool
}

/**
 * Runs `fn` in a transaction as the signed-in user, under RLS. The role is `app_user`, which holds
 * our grants and policies, rather than `authenticated`: hosted PostgREST serves `public` to
 * `authenticated` with its table privileges, so anything granted to it would be readable straight
 * from /rest/v1 with a user's own session, columns RLS cannot hide included (support's note).
 * PostgREST cannot switch to `app_user` (migration 20261130030000).
 */
export function withUser<T>(claims: UserClaims, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return asRole('app_user', claims, fn)
}

/**
 * Runs `fn` as `withUser` does, but as `app_support_user`: a member of `app_user` that may also
 * read what support alone writes (its notes, who in support acted; migration 20261130140000).
 * Only the support function's routes use it, after `requireSupportUser` has admitted the caller;
 * RLS still decides which rows.
 */
export function withSupportUser<T>(claims: UserClaims, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return asRole('app_support_user', claims, fn)
}

/**
 * Runs `fn` in a transaction as a Lead Provider API token already checked by `app.use_api_token`:
 * `app_user` under RLS, with claims that `app.current_lead_provider_id()` answers the token's
 * lead provider for (migration 20261130100000). There is no user, so `auth.uid()` is null.
 */
export function withApiToken<T>(apiTokenId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return asRole('app_user', { role: 'lead_provider_api', api_token_id: apiTokenId }, fn)
}

/** Runs `fn` in a transaction as `service_role` (RLS bypassed: the function's own work). */
export function withService<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return asRole('service_role', { role: 'service_role' }, fn)
}

/** Closes the pools; for tests and shutdown. The next `db()` opens a new one. */
export async function closeDb(): Promise<void> {
  const open = [...pools.values()]
  pools.clear()
  await Promise.all(open.map((pool) => pool.end({ timeout: 5 })))
}

async function asRole<T>(
  role: 'app_user' | 'app_support_user' | 'service_role',
  claims: Record<string, unknown>,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  const result = await db().begin(async (tx) => {
    // One round trip, the settings PostgREST makes, with our role in place of the token's
    // (`set local role` is the transaction-local `set_config('role', ..., true)`).
    await tx`
      select
        set_config('role', ${role}, true),
        set_config('request.jwt.claims', ${JSON.stringify(claims)}, true),
        set_config('request.jwt.claim.sub', ${String(claims.sub ?? '')}, true)`
    return await fn(tx)
  })
  return result as T
}
