/**
 * A function's data access, made once per app by its factory. User-scoped work runs under RLS the
 * way PostgREST runs it: in a transaction, with the verified JWT claims in `request.jwt.claims`, so
 * `auth.uid()` and the policies see the signed-in user; but as role `app_user`, not
 * `authenticated` (see `withUser`). Service work runs as `service_role`. The settings are
 * transaction-local, so a pooled connection never carries one caller's identity into the next
 * transaction.
 *
 * `poolDatabase` is the real one: each function has a pool of its own, as on the platform, where
 * each runs in isolates of its own (and so does each app the local gateway serves). Tests use
 * `transactionDatabase`, which runs every call inside one transaction they roll back.
 */
import postgres from 'postgres'

export type Sql = postgres.Sql
export type Tx = postgres.TransactionSql
/** What one statement runs on: the pool, or a transaction. */
export type Query = postgres.ISql

/** The claims of a verified Supabase user JWT; `sub` is the user id. */
export type UserClaims = { sub: string; role: string; [claim: string]: unknown }

export type Database = {
  /**
   * Where to run one statement on its own: no transaction around it and no role set, so it runs
   * as the connection's own role (the challenge function's `security definer` calls, issue 16).
   * Throws 503 `not_configured` without a usable database URL.
   */
  sql(): Query
  /**
   * Runs `fn` in a transaction as the signed-in user, under RLS. The role is `app_user`, which
   * holds our grants and policies, rather than `authenticated`: hosted PostgREST serves `public`
   * to `authenticated` with its table privileges, so anything granted to it would be readable
   * straight from /rest/v1 with a user's own session, columns RLS cannot hide included (support's
   * note). PostgREST cannot switch to `app_user` (migration 20261130030000).
   */
  withUser<T>(claims: UserClaims, fn: (tx: Tx) => Promise<T>): Promise<T>
  /**
   * As `withUser`, but as `app_support_user`: a member of `app_user` that may also read what
   * support alone writes (its notes, who in support acted; migration 20261130140000). Only the
   * support function's routes use it, after `requireSupportUser` has admitted the caller; RLS
   * still decides which rows.
   */
  withSupportUser<T>(claims: UserClaims, fn: (tx: Tx) => Promise<T>): Promise<T>
  /**
   * Runs `fn` in a transaction as a Lead Provider API token already checked by
   * `app.use_api_token`: `app_user` under RLS, with claims that `app.current_lead_provider_id()`
   * answers the token's lead provider for (migration 20261130100000). There is no user, so
   * `auth.uid()` is null.
   */
  withApiToken<T>(apiTokenId: string, fn: (tx: Tx) => Promise<T>): Promise<T>
  /** Runs `fn` in a transaction as `service_role` (RLS bypassed: the function's own work). */
  withService<T>(fn: (tx: Tx) => Promise<T>): Promise<T>
  /** Closes the pool, if one was opened; the next call opens another. */
  close(): Promise<void>
}

/**
 * `value` as text written into a statement rather than sent beside it, so that a statement with
 * no other parameter goes to Postgres in one round trip. With `prepare: false` postgres.js sends
 * a statement that has parameters in two: it asks Postgres for their types, waits, then binds
 * them (a prepared statement would remember the types, but the platform's transaction pooler
 * cannot keep one). Under load that second round trip was about a quarter of a link check's cost
 * (docs/performance.md, section 1). The text travels as hex digits that Postgres decodes, so
 * nothing in it can end the literal, whatever the caller sends.
 */
export function inlineText(sql: Query, value: string): postgres.PendingQuery<postgres.Row[]> {
  let hex = ''
  for (const byte of textEncoder.encode(value)) hex += hexOfByte[byte]
  return sql.unsafe(`pg_catalog.convert_from(pg_catalog.decode('${hex}', 'hex'), 'UTF8')`)
}

const textEncoder = new TextEncoder()
const hexOfByte = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))

type Role = 'app_user' | 'app_support_user' | 'service_role'
type Begin = <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>

/**
 * The database behind `url`, through a pool opened on first use, so a function whose database
 * URL is missing or bad still starts and answers 503 `not_configured` (from `url()`) only to the
 * requests that need the database.
 */
export function poolDatabase(url: () => string, { max = 5 } = {}): Database {
  let pool: Sql | undefined
  const open = () =>
    pool ??= postgres(url(), {
      // Supavisor in transaction mode cannot keep prepared statements between transactions.
      prepare: false,
      max,
      idle_timeout: 20,
      connect_timeout: 10,
      onnotice: () => {},
    })
  const begin: Begin = async <T>(fn: (tx: Tx) => Promise<T>) => await open().begin(fn) as T
  return roleDatabase(open, begin, async () => {
    const opened = pool
    pool = undefined
    await opened?.end({ timeout: 5 })
  })
}

/**
 * Every call inside the one transaction `tx`, for tests that roll it back afterwards: each
 * `with…` call is a savepoint with its own role and claims, put back to the owner's when it ends
 * (a failed one rolls back to its savepoint, which puts them back too), so calls in a row act as
 * separate transactions would. One call at a time: a transaction is one connection.
 */
export function transactionDatabase(tx: Tx): Database {
  const begin: Begin = async <T>(fn: (tx: Tx) => Promise<T>) =>
    await tx.savepoint(async (savepoint) => {
      const result = await fn(savepoint)
      await savepoint`
        select
          set_config('role', 'none', true),
          set_config('request.jwt.claims', '', true),
          set_config('request.jwt.claim.sub', '', true)`
      return result
    }) as T
  return roleDatabase(() => tx, begin, async () => {})
}

function roleDatabase(sql: () => Query, begin: Begin, close: () => Promise<void>): Database {
  const asRole = <T>(role: Role, claims: Record<string, unknown>, fn: (tx: Tx) => Promise<T>) =>
    begin(async (tx) => {
      // The settings PostgREST makes, with our role in place of the token's (`set local role` is
      // the transaction-local `set_config('role', ..., true)`), in one round trip: the values are
      // written in (`inlineText`), as parameters would take two.
      await tx`
        select
          set_config('role', ${inlineText(tx, role)}, true),
          set_config('request.jwt.claims', ${inlineText(tx, JSON.stringify(claims))}, true),
          set_config('request.jwt.claim.sub', ${inlineText(tx, String(claims.sub ?? ''))}, true)`
      return await fn(tx)
    })
  return {
    sql,
    withUser: (claims, fn) => asRole('app_user', claims, fn),
    withSupportUser: (claims, fn) => asRole('app_support_user', claims, fn),
    withApiToken: (apiTokenId, fn) =>
      asRole('app_user', { role: 'lead_provider_api', api_token_id: apiTokenId }, fn),
    withService: (fn) => asRole('service_role', { role: 'service_role' }, fn),
    close,
  }
}
