/**
 * The must-show of the platform: a person signs in through the Auth stand-in with
 * supabase-js, `_shared/auth.ts` verifies their access token against the JWKS, and a query run
 * through `_shared/db.ts` `withUser` with those claims sees only that person's rows under RLS.
 * The table is a fixture of this test; once the `provider` function exists this should also be
 * shown end to end through it.
 */
import assert from 'node:assert/strict'
import { userTokenVerifier } from '../supabase/functions/_shared/auth.ts'
import { connect, createUser, signIn, stackFunctionDeps } from './_stack.ts'

/** As a function on the platform has them: its configuration, and a pool of its own. */
const { config, database } = await stackFunctionDeps()
const verifyUserToken = userTokenVerifier(config)
const { withService, withUser } = database

Deno.test('withUser() runs a query under RLS as the signed-in user, who sees only their rows', async () => {
  const table = `platform_rls_fixture_${crypto.randomUUID().replaceAll('-', '')}`
  const alice = await createUser('alice')
  const bob = await createUser('bob')
  const sql = connect()
  try {
    await sql.unsafe(`
      create table public.${table} (owner uuid not null, note text not null);
      alter table public.${table} enable row level security;
      create policy "People can read their own notes" on public.${table}
        for select to app_user using (owner = (select auth.uid()));
      grant select on public.${table} to app_user, service_role;
      insert into public.${table} values ('${alice.id}', 'alice''s note'), ('${bob.id}', 'bob''s note');`)

    const { session } = await signIn(alice.email)
    const claims = await verifyUserToken(session.access_token)
    assert.equal(claims.sub, alice.id)

    const seen = await withUser(
      claims,
      (tx) =>
        tx.unsafe(`select note, auth.uid() as uid, current_user as role from public.${table}`),
    )
    // app_user, not authenticated: the Data API cannot switch to it (data_api_surface_test.ts).
    assert.deepEqual([...seen], [{ note: "alice's note", uid: alice.id, role: 'app_user' }])

    const all = await withService((tx) =>
      tx.unsafe(`select note from public.${table} order by note`)
    )
    assert.deepEqual(all.map(({ note }) => note), ["alice's note", "bob's note"])

    // The identity was transaction-local: the pooled connection carries nothing afterwards.
    const [after] = await database.sql()`
      select current_user as role, coalesce(current_setting('request.jwt.claims', true), '') as claims`
    assert.deepEqual({ ...after }, { role: 'postgres', claims: '' })
  } finally {
    await sql.unsafe(`drop table if exists public.${table}`)
    await sql.end()
    await database.close()
  }
})

Deno.test('withUser() gives an anonymous-looking caller nothing when the claims name nobody', async () => {
  const table = `platform_rls_fixture_${crypto.randomUUID().replaceAll('-', '')}`
  const sql = connect()
  try {
    await sql.unsafe(`
      create table public.${table} (owner uuid not null);
      alter table public.${table} enable row level security;
      create policy "People can read their own rows" on public.${table}
        for select to app_user using (owner = (select auth.uid()));
      grant select on public.${table} to app_user;
      insert into public.${table} values (gen_random_uuid());`)
    const rows = await withUser(
      { sub: crypto.randomUUID(), role: 'authenticated' },
      (tx) => tx.unsafe(`select * from public.${table}`),
    )
    assert.equal(rows.length, 0)
  } finally {
    await sql.unsafe(`drop table if exists public.${table}`)
    await sql.end()
    await database.close()
  }
})
