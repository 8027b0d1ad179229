/**
 * The database's shape as one readable document (docs/schema_snapshot.md), the habit of Rails'
 * `structure.sql`: migrations only ever append, so the live definition of a function or policy is
 * otherwise spread over several files. Read from the catalogs of a migrated database, in a fixed
 * order, for our schemas only (`public`, `app`, `mi`; the platform's are not ours): tables with
 * their columns, constraints, indexes and RLS, policies, views, functions, triggers, owners, every
 * grant (a default one written out) and default privileges. Markdown, because people read it: a
 * heading per kind of object and one per table, view and function (so an outline or a search for
 * `app.claim_notifications(` finds a definition), SQL in `sql` blocks. Written and checked by
 * checks/schema_snapshot_test.ts; `deno task schema-snapshot` rewrites it.
 */
import type postgres from 'postgres'

export const ourSchemas = ['public', 'app', 'mi'] as const

/** The snapshot's text for the database behind `sql`. */
export async function schemaSnapshot(sql: postgres.Sql): Promise<string> {
  return await sql.begin(async (tx) => {
    // An empty search path makes pg_get_*def() qualify every name, so the text does not depend
    // on the connection's settings.
    await tx`set local search_path = ''`
    return await snapshotSections(tx)
  })
}

/** One kind of object: its heading, and either one SQL block or a block per named object. */
type Section = { title: string; body: string[] | Item[] }

/** A named object (a table, a view, a function, a table's policies) and its SQL. */
type Item = { name: string; definition: string }

async function snapshotSections(sql: postgres.TransactionSql): Promise<string> {
  const sections: Section[] = [
    await schemas(sql),
    await tables(sql),
    await policies(sql),
    await views(sql),
    await functions(sql),
    await triggers(sql),
    await grants(sql),
    await defaultPrivileges(sql),
  ]
  const contents = sections.map(({ title }) => `- [${title}](#${anchor(title)})`)
  return [
    '# The database schema, as migrated',
    [
      // Wrapped as `deno fmt` wraps Markdown, so the generated file passes `deno fmt --check`.
      'The shape of the database after every migration, for reading: this document is generated from a',
      'freshly migrated database. Rewrite it with `deno task schema-snapshot`; a test fails when it is',
      'stale. Never apply it: `supabase/migrations` is what builds a database. How the parts fit is in',
      '[database.md](database.md).',
    ].join('\n'),
    contents.join('\n'),
    ...sections.map(markdownSection),
  ].join('\n\n') + '\n'
}

function markdownSection({ title, body }: Section): string {
  const block = (text: string) => '```sql\n' + text + '\n```'
  if (body.length === 0) return `## ${title}\n\nNone.`
  if (typeof body[0] === 'string') return `## ${title}\n\n${block(body.join('\n'))}`
  return [
    `## ${title}`,
    ...(body as Item[]).map(({ name, definition }) => `### \`${name}\`\n\n${block(definition)}`),
  ].join('\n\n')
}

/** The fragment GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchor(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9 -]/g, '').replaceAll(' ', '-')
}

async function schemas(sql: postgres.TransactionSql): Promise<Section> {
  const rows = await sql<{ line: string }[]>`
    select format('create schema %I authorization %I;', n.nspname, r.rolname) as line
    from pg_catalog.pg_namespace n join pg_catalog.pg_roles r on r.oid = n.nspowner
    where n.nspname = any(${ourSchemas}) order by n.nspname`
  return { title: 'Schemas', body: rows.map((row) => row.line) }
}

async function tables(sql: postgres.TransactionSql): Promise<Section> {
  const rows = await sql<Item[]>`
    select format('%I.%I', n.nspname, c.relname) as name, concat_ws(e'\n',
      format('create table %I.%I (', n.nspname, c.relname),
      (select string_agg(
          format('  %I %s%s%s', a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
            case when a.attnotnull then ' not null' else '' end,
            coalesce(' default ' || pg_catalog.pg_get_expr(d.adbin, d.adrelid), '')),
          e',\n' order by a.attnum)
        from pg_catalog.pg_attribute a
        left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
        where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped),
      format(');%s', case when c.relrowsecurity then format(
        e'\nalter table %I.%I enable row level security;', n.nspname, c.relname) else '' end),
      (select string_agg(format('alter table %I.%I add constraint %I %s;', n.nspname, c.relname,
          k.conname, pg_catalog.pg_get_constraintdef(k.oid)), e'\n' order by k.conname)
        from pg_catalog.pg_constraint k where k.conrelid = c.oid),
      (select string_agg(pg_catalog.pg_get_indexdef(i.indexrelid) || ';', e'\n'
          order by i.indexrelid::regclass::text)
        from pg_catalog.pg_index i
        where i.indrelid = c.oid
          and not exists (select from pg_catalog.pg_constraint k where k.conindid = i.indexrelid))
    ) as definition
    from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where n.nspname = any(${ourSchemas}) and c.relkind in ('r', 'p')
    order by n.nspname, c.relname`
  return { title: 'Tables', body: [...rows] }
}

async function policies(sql: postgres.TransactionSql): Promise<Section> {
  const rows = await sql<Item[]>`
    select format('%I.%I', p.schemaname, p.tablename) as name, string_agg(concat(
      format('create policy %I on %I.%I as %s for %s to %s', p.policyname, p.schemaname,
        p.tablename, lower(p.permissive), lower(p.cmd), array_to_string(p.roles, ', ')),
      e'\n  using (' || p.qual || ')',
      e'\n  with check (' || p.with_check || ')',
      ';'), e'\n\n' order by p.policyname) as definition
    from pg_catalog.pg_policies p
    where p.schemaname = any(${ourSchemas})
    group by p.schemaname, p.tablename
    order by p.schemaname, p.tablename`
  return { title: 'Row level security policies', body: [...rows] }
}

async function views(sql: postgres.TransactionSql): Promise<Section> {
  const rows = await sql<Item[]>`
    select format('%I.%I', n.nspname, c.relname) as name, format(e'create view %I.%I%s as\n%s\nalter view %I.%I owner to %I;', n.nspname,
      c.relname, coalesce(' with (' || array_to_string(c.reloptions, ', ') || ')', ''),
      pg_catalog.pg_get_viewdef(c.oid), n.nspname, c.relname, r.rolname) as definition
    from pg_catalog.pg_class c
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    join pg_catalog.pg_roles r on r.oid = c.relowner
    where n.nspname = any(${ourSchemas}) and c.relkind in ('v', 'm')
    order by n.nspname, c.relname`
  return { title: 'Views', body: [...rows] }
}

async function functions(sql: postgres.TransactionSql): Promise<Section> {
  const rows = await sql<Item[]>`
    select format('%I.%I(%s)', n.nspname, p.proname,
        pg_catalog.pg_get_function_identity_arguments(p.oid)) as name,
      format(e'%s;\nalter function %I.%I(%s) owner to %I;',
      rtrim(pg_catalog.pg_get_functiondef(p.oid), e'\n'), n.nspname, p.proname,
      pg_catalog.pg_get_function_identity_arguments(p.oid), r.rolname) as definition
    from pg_catalog.pg_proc p
    join pg_catalog.pg_namespace n on n.oid = p.pronamespace
    join pg_catalog.pg_roles r on r.oid = p.proowner
    where n.nspname = any(${ourSchemas}) and p.prokind in ('f', 'p')
    order by n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)`
  return { title: 'Functions', body: [...rows] }
}

async function triggers(sql: postgres.TransactionSql): Promise<Section> {
  const rows = await sql<{ definition: string }[]>`
    select pg_catalog.pg_get_triggerdef(t.oid) || ';' as definition
    from pg_catalog.pg_trigger t
    join pg_catalog.pg_class c on c.oid = t.tgrelid
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where n.nspname = any(${ourSchemas}) and not t.tgisinternal
    order by n.nspname, c.relname, t.tgname`
  return { title: 'Triggers', body: rows.map((row) => row.definition) }
}

/**
 * Every privilege held by a role other than the object's owner, one line per object and grantee.
 * A null ACL is read as Postgres' default (`acldefault`), so the EXECUTE that PUBLIC holds on a
 * function nobody revoked shows up rather than hiding.
 */
async function grants(sql: postgres.TransactionSql): Promise<Section> {
  const rows = await sql<{ line: string }[]>`
    with objects as (
      select 'schema' as kind, format('%I', n.nspname) as name, n.nspowner as owner,
        coalesce(n.nspacl, acldefault('n'::"char", n.nspowner)) as acl
      from pg_catalog.pg_namespace n where n.nspname = any(${ourSchemas})
      union all
      select case c.relkind when 'S' then 'sequence' else 'table' end,
        format('%I.%I', n.nspname, c.relname), c.relowner,
        coalesce(c.relacl,
          acldefault((case c.relkind when 'S' then 's' else 'r' end)::"char", c.relowner))
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = any(${ourSchemas}) and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
      union all
      select 'function', format('%I.%I(%s)', n.nspname, p.proname,
          pg_catalog.pg_get_function_identity_arguments(p.oid)), p.proowner,
        coalesce(p.proacl, acldefault('f'::"char", p.proowner))
      from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
      where n.nspname = any(${ourSchemas})
    ), columns as (
      select format('%I.%I', n.nspname, c.relname) as name, a.attname, c.relowner as owner,
        a.attacl as acl
      from pg_catalog.pg_attribute a
      join pg_catalog.pg_class c on c.oid = a.attrelid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = any(${ourSchemas}) and a.attacl is not null and not a.attisdropped
    ), privileges as (
      select o.kind, o.name, '' as column_name, x.grantee, x.privilege_type, x.is_grantable
      from objects o cross join lateral aclexplode(o.acl) x
      where x.grantee <> o.owner
      union all
      select 'column', c.name, c.attname, x.grantee, x.privilege_type, x.is_grantable
      from columns c cross join lateral aclexplode(c.acl) x
      where x.grantee <> c.owner
    )
    select format('grant %s%s on %s%s to %s%s;',
      string_agg(lower(p.privilege_type), ', ' order by p.privilege_type),
      case when p.kind = 'column' then format(' (%I)', p.column_name) else '' end,
      case when p.kind = 'column' then 'table' else p.kind end || ' ', p.name,
      case when p.grantee = 0 then 'public' else format('%I', pg_catalog.pg_get_userbyid(p.grantee))
      end,
      case when p.is_grantable then ' with grant option' else '' end) as line
    from privileges p
    group by p.kind, p.name, p.column_name, p.grantee, p.is_grantable
    order by p.name, p.column_name, p.kind, pg_catalog.pg_get_userbyid(p.grantee), p.is_grantable`
  return { title: 'Grants (beyond each owner)', body: rows.map((row) => row.line) }
}

async function defaultPrivileges(sql: postgres.TransactionSql): Promise<Section> {
  const rows = await sql<{ line: string }[]>`
    select format('alter default privileges for role %I%s grant %s on %s to %s;',
      pg_catalog.pg_get_userbyid(d.defaclrole),
      coalesce(format(' in schema %I', n.nspname), ''),
      string_agg(lower(x.privilege_type), ', ' order by x.privilege_type),
      case d.defaclobjtype when 'r' then 'tables' when 'S' then 'sequences'
        when 'f' then 'functions' when 'T' then 'types' when 'n' then 'schemas' end,
      case when x.grantee = 0 then 'public' else format('%I', pg_catalog.pg_get_userbyid(x.grantee))
      end) as line
    from pg_catalog.pg_default_acl d
    left join pg_catalog.pg_namespace n on n.oid = d.defaclnamespace
    cross join lateral aclexplode(d.defaclacl) x
    where n.nspname is null or n.nspname = any(${ourSchemas})
    group by d.defaclrole, n.nspname, d.defaclobjtype, x.grantee
    order by 1`
  return { title: 'Default privileges', body: rows.map((row) => row.line) }
}
