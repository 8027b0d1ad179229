/**
 * The database runs with hosted Supabase's privileges: the tests (and migrations, seed, functions
 * and tools) connect as `postgres`, which is not a superuser; the platform's superuser is
 * `supabase_admin`. Each test here states one of the facts the rest of the suite relies on.
 */
import assert from 'node:assert/strict'
import { type DatabaseRole, dbTest, errorOf, rolledBack } from './_db.ts'

dbTest('the database tests connect as postgres, which is not a superuser', async (sql) => {
  const [row] = await sql`
    select current_user as me,
      (select rolsuper from pg_roles where rolname = 'postgres') as postgres_is_superuser,
      (select array_agg(rolname order by rolname) from pg_roles where rolsuper) as superusers,
      (select rolname from pg_roles where oid = 10) as bootstrap_superuser`
  assert.deepEqual({ ...row }, {
    me: 'postgres',
    postgres_is_superuser: false,
    superusers: ['supabase_admin'],
    bootstrap_superuser: 'supabase_admin',
  })
})

dbTest('postgres can set role analyst, as docs/mi.md and export-mi do', async (sql) => {
  const [row] = await rolledBack(sql, async (tx) => {
    await tx`set local role analyst`
    return await tx`select current_user as me, count(*)::int >= 0 as read
      from mi.challenges_by_reason`
  })
  assert.deepEqual({ ...row }, { me: 'analyst', read: true })
})

for (const role of ['anon', 'authenticated', 'service_role', 'analyst'] satisfies DatabaseRole[]) {
  dbTest(`postgres can set role ${role}, as the functions and PostgREST do`, async (sql) => {
    const [row] = await rolledBack(sql, async (tx) => {
      await tx.unsafe(`set local role ${role}`)
      return await tx`select current_user as me`
    })
    assert.equal(row?.me, role)
  })
}

dbTest("the platform's schemas belong to supabase_admin, ours to postgres", async (sql) => {
  const owners = await sql<{ schema: string; owner: string }[]>`
    select nspname as schema, pg_get_userbyid(nspowner) as owner from pg_namespace
    where nspname in ('auth', 'extensions', 'vault', 'net', 'cron', 'app', 'mi', 'public')
    order by 1`
  assert.deepEqual(Object.fromEntries(owners.map(({ schema, owner }) => [schema, owner])), {
    app: 'postgres',
    auth: 'supabase_admin',
    cron: 'supabase_admin',
    extensions: 'supabase_admin',
    mi: 'postgres',
    net: 'supabase_admin',
    public: 'pg_database_owner',
    vault: 'supabase_admin',
  })
  const [database] = await sql`
    select pg_get_userbyid(datdba) as owner from pg_database where datname = current_database()`
  assert.equal(database?.owner, 'postgres')
})

dbTest('the notifications sweep is scheduled by postgres, which may only read cron.job', async (
  sql,
) => {
  const [job] = await sql`
    select username from cron.job where jobname = 'notifications-sweep'`
  assert.equal(job?.username, 'postgres')
  await rolledBack(sql, async (tx) => {
    const error = await errorOf(tx, (sp) => sp`update cron.job set active = false`)
    assert.equal(error.code, '42501')
  })
})

dbTest("postgres can give a person's login the analyst role, as docs/mi.md asks", async (sql) => {
  const [row] = await rolledBack(sql, async (tx) => {
    await tx`create role mi_docs_probe login password 'a strong password'`
    await tx`grant analyst to mi_docs_probe`
    return await tx`select pg_has_role('mi_docs_probe', 'analyst', 'set') as may_set`
  })
  assert.equal(row?.may_set, true)
})
