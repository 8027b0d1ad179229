/**
 * What the local Auth stand-in keeps in Postgres. Users are the platform's `auth.users` (seeded
 * like any project's); one-time codes, sessions and refresh tokens live in a `local_auth` schema
 * made here at startup, never in the migrations, since the real Supabase Auth keeps its own.
 * Codes and refresh tokens are stored only as SHA-256 hashes.
 */
import postgres from 'postgres'

export type AuthUser = {
  id: string
  email: string
  email_confirmed_at: Date | null
  last_sign_in_at: Date | null
  created_at: Date | null
  updated_at: Date | null
  raw_app_meta_data: Record<string, unknown> | null
  raw_user_meta_data: Record<string, unknown> | null
}

export type AuthSession = { id: string; user_id: string; created_at: Date }

export type AuthStoreOptions = {
  /** Codes an address may be sent within an hour. */
  codesPerHour: number
  /** Wrong guesses after which a code stops working. */
  maxCodeAttempts: number
}

const codeLifetime = '1 hour'

export type AuthStore = ReturnType<typeof createAuthStore>

export function createAuthStore(
  url: string,
  { codesPerHour, maxCodeAttempts }: AuthStoreOptions,
) {
  const sql = postgres(url, { max: 4, onnotice: () => {}, prepare: false })
  const userColumns = sql`
    id, email, email_confirmed_at, last_sign_in_at, created_at, updated_at, raw_app_meta_data,
    raw_user_meta_data`

  return {
    /** Creates the `local_auth` schema; safe to run on every start. */
    async prepare(): Promise<void> {
      await sql.unsafe(`
        create schema if not exists local_auth;
        comment on schema local_auth is 'local platform: the Auth stand-in''s own data';
        revoke all on schema local_auth from public;
        create table if not exists local_auth.otp_codes (
          otp_code_id bigint generated always as identity primary key,
          user_id uuid not null references auth.users (id) on delete cascade,
          code_hash bytea not null,
          failed_attempts int not null default 0,
          used_at timestamptz,
          created_at timestamptz not null default now()
        );
        create index if not exists otp_codes_user_id_created_at_idx
          on local_auth.otp_codes (user_id, created_at);
        create table if not exists local_auth.sessions (
          session_id uuid primary key default gen_random_uuid(),
          user_id uuid not null references auth.users (id) on delete cascade,
          created_at timestamptz not null default now()
        );
        create table if not exists local_auth.refresh_tokens (
          token_hash bytea primary key,
          session_id uuid not null references local_auth.sessions (session_id) on delete cascade,
          revoked boolean not null default false,
          created_at timestamptz not null default now()
        );
        -- Auth's own data belongs to the platform; hosted gives postgres all of it (auth.*).
        grant usage on schema local_auth to postgres;
        grant all on all tables in schema local_auth to postgres;`)
    },

    async findUserByEmail(email: string): Promise<AuthUser | undefined> {
      const [user] = await sql<AuthUser[]>`
        select ${userColumns} from auth.users
        where lower(email) = lower(${email}) and deleted_at is null
          and (banned_until is null or banned_until < now())`
      return user
    },

    async findUser(userId: string): Promise<AuthUser | undefined> {
      const [user] = await sql<AuthUser[]>`
        select ${userColumns} from auth.users where id = ${userId} and deleted_at is null`
      return user
    },

    /** Stores a new code unless the address has had its hourly allowance; false when it has. */
    issueCode(userId: string, code: string): Promise<boolean> {
      return sql.begin(async (tx) => {
        // Serialises requests for one user so two at once cannot both pass the count.
        await tx`select 1 from auth.users where id = ${userId} for update`
        const [{ recent }] = await tx<[{ recent: number }]>`
          select count(*)::int as recent from local_auth.otp_codes
          where user_id = ${userId} and created_at > now() - interval '1 hour'`
        if (recent >= codesPerHour) return false
        // Only the newest code works, as with Supabase Auth.
        await tx`
          update local_auth.otp_codes set used_at = now()
          where user_id = ${userId} and used_at is null`
        await tx`
          insert into local_auth.otp_codes (user_id, code_hash)
          values (${userId}, ${await codeHash(userId, code)})`
        return true
      }) as Promise<boolean>
    },

    /**
     * Forgets a code whose email could not be sent: it never works and does not count towards
     * the hourly allowance, as on hosted, where the failed hook rolls back the code's transaction.
     * (The code it replaced stays replaced here, which is stricter than hosted, never kinder.)
     */
    async withdrawCode(userId: string, code: string): Promise<void> {
      await sql`
        delete from local_auth.otp_codes
        where user_id = ${userId} and code_hash = ${await codeHash(userId, code)}`
    },

    /** Uses up the user's current code if `code` is it; counts a wrong guess otherwise. */
    async redeemCode(userId: string, code: string): Promise<boolean> {
      const hash = await codeHash(userId, code)
      return await sql.begin(async (tx) => {
        const [current] = await tx<{ otp_code_id: string; code_hash: Uint8Array }[]>`
          select otp_code_id, code_hash from local_auth.otp_codes
          where user_id = ${userId} and used_at is null
            and created_at > now() - ${codeLifetime}::interval
            and failed_attempts < ${maxCodeAttempts}
          order by created_at desc limit 1
          for update`
        if (!current) return false
        if (!equalBytes(current.code_hash, hash)) {
          await tx`
            update local_auth.otp_codes set failed_attempts = failed_attempts + 1
            where otp_code_id = ${current.otp_code_id}`
          return false
        }
        await tx`update local_auth.otp_codes set used_at = now() where otp_code_id = ${current.otp_code_id}`
        await tx`
          update auth.users
          set last_sign_in_at = now(), email_confirmed_at = coalesce(email_confirmed_at, now()),
            updated_at = now()
          where id = ${userId}`
        return true
      }) as boolean
    },

    async createSession(userId: string, refreshToken: string): Promise<AuthSession> {
      const tokenHash = await sha256(refreshToken)
      return await sql.begin(async (tx) => {
        const [session] = await tx<AuthSession[]>`
          insert into local_auth.sessions (user_id) values (${userId})
          returning session_id as id, user_id, created_at`
        await tx`
          insert into local_auth.refresh_tokens (token_hash, session_id)
          values (${tokenHash}, ${session!.id})`
        return session!
      }) as AuthSession
    },

    /**
     * Swaps a refresh token for a new one in the same session. `not_found` for an unknown token
     * or ended session, `revoked` for one already used.
     */
    async rotateRefreshToken(
      oldToken: string,
      newToken: string,
    ): Promise<AuthSession | 'not_found' | 'revoked'> {
      const oldHash = await sha256(oldToken)
      const newHash = await sha256(newToken)
      return await sql.begin(async (tx) => {
        const [row] = await tx<
          { revoked: boolean; id: string; user_id: string; created_at: Date }[]
        >`
          select t.revoked, s.session_id as id, s.user_id, s.created_at
          from local_auth.refresh_tokens t
          join local_auth.sessions s using (session_id)
          where t.token_hash = ${oldHash}
          for update of t`
        if (!row) return 'not_found'
        if (row.revoked) return 'revoked'
        await tx`update local_auth.refresh_tokens set revoked = true where token_hash = ${oldHash}`
        await tx`
          insert into local_auth.refresh_tokens (token_hash, session_id)
          values (${newHash}, ${row.id})`
        return { id: row.id, user_id: row.user_id, created_at: row.created_at }
      }) as AuthSession | 'not_found' | 'revoked'
    },

    async sessionExists(sessionId: string): Promise<boolean> {
      const [row] = await sql`select 1 from local_auth.sessions where session_id = ${sessionId}`
      return row !== undefined
    },

    /** Ends sessions the way `POST /logout?scope=` does; their refresh tokens go with them. */
    async endSessions(
      userId: string,
      sessionId: string,
      scope: 'global' | 'local' | 'others',
    ): Promise<void> {
      if (scope === 'local') {
        await sql`delete from local_auth.sessions where session_id = ${sessionId}`
      } else if (scope === 'others') {
        await sql`
          delete from local_auth.sessions where user_id = ${userId} and session_id <> ${sessionId}`
      } else {
        await sql`delete from local_auth.sessions where user_id = ${userId}`
      }
    },

    close(): Promise<void> {
      return sql.end({ timeout: 5 })
    },
  }
}

/** The user id salts the hash, so equal codes for two people never share a stored value. */
function codeHash(userId: string, code: string): Promise<Uint8Array> {
  return sha256(`${userId}:${code}`)
}

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let difference = 0
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!
  return difference === 0
}
