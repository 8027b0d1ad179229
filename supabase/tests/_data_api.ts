/**
 * What hosted Supabase's Data API (PostgREST) could reach, worked out on the database itself: the
 * schemas it serves, the requests it makes (role and JWT claims per transaction), and every
 * relation, column, sequence and function in those schemas that a caller's role has a privilege on,
 * found from the catalog so an object added later is covered without changing a test.
 */
import postgres from 'postgres'
import type { Tx } from './_db.ts'

/** The roles PostgREST switches to for callers holding the publishable key or a user's token. */
export type ApiRole = 'anon' | 'authenticated'

/** A caller as PostgREST sees one: the role its token names, and the claims it sets. */
export interface ApiCaller {
  name: string
  role: ApiRole
  claims: Record<string, unknown>
}

/** What a caller reaches. */
export interface ApiSurface {
  /** e.g. `public.partnerships: select`, `function public.f(integer): execute`, `... rows`. */
  reachable: string[]
  /** `<relation>: <secret's name>` for each secret found in the rows the caller reads. */
  leaks: string[]
}

/**
 * Hosted serves `public` and `graphql_public` by default, whatever config.toml says (it is pushed
 * only by `supabase config push`); any schema config.toml lists is served where it is pushed.
 */
export async function servedSchemas(): Promise<string[]> {
  return [...new Set(['public', 'graphql_public', ...await configuredApiSchemas()])]
}

/** The `[api] schemas` list of supabase/config.toml. */
async function configuredApiSchemas(): Promise<string[]> {
  const toml = await Deno.readTextFile(new URL('../config.toml', import.meta.url))
  const api = toml.split(/^\[/m).find((section) => section.startsWith('api]'))
  const list = api?.match(/^schemas\s*=\s*\[([^\]]*)\]/m)
  if (!list) throw new Error('supabase/config.toml has no [api] schemas list to check.')
  return [...list[1]!.matchAll(/"([^"]+)"/g)].map((match) => match[1]!)
}

/** The publishable key's caller: the gateway turns the key into a token for `anon`. */
export function anonCaller(): ApiCaller {
  return { name: 'anon', role: 'anon', claims: { iss: 'supabase', role: 'anon' } }
}

/** A signed-in user's caller, with the claims Supabase Auth puts in an access token. */
export function userCaller(name: string, userId: string, email: string): ApiCaller {
  return {
    name,
    role: 'authenticated',
    claims: {
      iss: 'http://127.0.0.1:54321/auth/v1',
      sub: userId,
      aud: 'authenticated',
      role: 'authenticated',
      email,
      aal: 'aal1',
      session_id: crypto.randomUUID(),
      is_anonymous: false,
      app_metadata: { provider: 'email', providers: ['email'] },
      user_metadata: {},
    },
  }
}

/**
 * Makes the transaction what PostgREST makes of a request: its role and claims, transaction-local,
 * as `set_config(..., true)` (PostgREST's own pre-request settings).
 */
export async function actAsApiCaller(tx: Tx, caller: ApiCaller, path: string): Promise<void> {
  await tx`
    select
      set_config('role', ${caller.role}, true),
      set_config('request.jwt.claims', ${JSON.stringify(caller.claims)}, true),
      set_config('request.method', 'GET', true),
      set_config('request.path', ${path}, true),
      set_config('request.headers', '{}', true),
      set_config('request.cookies', '{}', true)`
}

/**
 * Every privilege the caller's role holds on anything in `schemas` (table-wide, or on a column
 * where not table-wide), then, for each relation it may read any column of, the rows those columns
 * give under the caller's claims, searched for each of `secrets` (name -> value).
 */
export async function apiSurface(
  tx: Tx,
  caller: ApiCaller,
  schemas: string[],
  secrets: Record<string, string>,
): Promise<ApiSurface> {
  const privileges = await tx<{ finding: string }[]>`
    with relations as (
      select c.oid, c.relkind, format('%I.%I', n.nspname, c.relname) as name
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = any (${schemas}::text[])
    )
    select r.name || ': ' || lower(p.privilege) as finding
    from relations r
    cross join unnest(
      array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']
    ) as p (privilege)
    where r.relkind in ('r', 'p', 'v', 'm', 'f')
      and pg_catalog.has_table_privilege(${caller.role}, r.oid, p.privilege)
    union all
    select format('%s.%I', r.name, a.attname) || ': ' || lower(p.privilege)
    from relations r
    join pg_catalog.pg_attribute a on a.attrelid = r.oid and a.attnum > 0 and not a.attisdropped
    cross join unnest(array['SELECT', 'INSERT', 'UPDATE', 'REFERENCES']) as p (privilege)
    where r.relkind in ('r', 'p', 'v', 'm', 'f')
      and pg_catalog.has_column_privilege(${caller.role}, r.oid, a.attnum, p.privilege)
      and not pg_catalog.has_table_privilege(${caller.role}, r.oid, p.privilege)
    union all
    select r.name || ': ' || lower(p.privilege)
    from relations r
    cross join unnest(array['USAGE', 'SELECT', 'UPDATE']) as p (privilege)
    where r.relkind = 'S' and pg_catalog.has_sequence_privilege(${caller.role}, r.oid, p.privilege)
    union all
    select format(
      'function %I.%I(%s): execute', n.nspname, f.proname,
      (
        select coalesce(string_agg(pg_catalog.format_type(t.type, null), ',' order by t.position), '')
        from unnest(f.proargtypes::oid[]) with ordinality as t (type, position)
      )
    )
    from pg_catalog.pg_proc f
    join pg_catalog.pg_namespace n on n.oid = f.pronamespace
    where n.nspname = any (${schemas}::text[])
      and pg_catalog.has_function_privilege(${caller.role}, f.oid, 'EXECUTE')
    order by 1`

  const readable = await tx<{ name: string; path: string; columns: string }[]>`
    select
      format('%I.%I', n.nspname, c.relname) as name,
      '/rest/v1/' || c.relname as path,
      string_agg(quote_ident(a.attname), ', ' order by a.attnum) as columns
    from pg_catalog.pg_class c
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    where n.nspname = any (${schemas}::text[])
      and c.relkind in ('r', 'p', 'v', 'm', 'f')
      and pg_catalog.has_column_privilege(${caller.role}, c.oid, a.attnum, 'SELECT')
    group by n.nspname, c.relname
    order by 1`

  const rowFindings: string[] = []
  const leaks: string[] = []
  for (const relation of readable) {
    const read = await readAs(tx, caller, relation, secrets)
    if (read.rows > 0) rowFindings.push(`${relation.name}: ${read.rows} rows readable`)
    leaks.push(...read.leaks.map((secret) => `${relation.name}: ${secret}`))
  }
  return { reachable: [...privileges.map((row) => row.finding), ...rowFindings], leaks }
}

interface Read {
  rows: number
  /** The names of the secrets found in any row. */
  leaks: string[]
}

/**
 * Reads every row the caller gets, as `GET /rest/v1/<relation>?select=<columns>` would, and looks
 * for each secret in them, in a savepoint that is always rolled back, so the role and claims end
 * with it; the result leaves by the `ReadResult` it throws.
 */
async function readAs(
  tx: Tx,
  caller: ApiCaller,
  relation: { name: string; path: string; columns: string },
  secrets: Record<string, string>,
): Promise<Read> {
  try {
    return await tx.savepoint(async (sp) => {
      await actAsApiCaller(sp, caller, relation.path)
      const [read] = await sp.unsafe<Read[]>(
        `with t as (select ${relation.columns} from ${relation.name})
         select
           (select count(*)::int from t) as rows,
           array(
             select secret.name from jsonb_each_text($1::text::jsonb) as secret (name, value)
             where exists (select from t where strpos(to_jsonb(t)::text, secret.value) > 0)
             order by secret.name
           ) as leaks`,
        [JSON.stringify(secrets)],
      )
      throw new ReadResult(read!)
    })
  } catch (error) {
    if (error instanceof ReadResult) return error.read
    // Refused (say, a policy calling a function the role may not execute): PostgREST answers an
    // error and no rows. The privilege that let it try is reported anyway.
    if (error instanceof postgres.PostgresError && error.code === '42501') {
      return { rows: 0, leaks: [] }
    }
    throw error
  }
}

class ReadResult extends Error {
  constructor(readonly read: Read) {
    super('read result')
  }
}
