/**
 * Nothing of ours is reachable through hosted Supabase's Data API. PostgREST is emulated on the
 * local database for anon, a lead provider user, a support user and a signed-in user in neither
 * role, over every relation, column, sequence and function in every schema it serves (found from
 * the catalog, so a table added later is covered): any privilege, or any row read under the
 * caller's claims, that is not on the allow-list below fails the test. The functions' own queries
 * run as `app_user`, which PostgREST cannot switch to.
 */
import assert from 'node:assert/strict'
import {
  actAsApiCaller,
  anonCaller,
  type ApiCaller,
  apiSurface,
  servedSchemas,
  userCaller,
} from './_data_api.ts'
import {
  actAs,
  actAsOwner,
  dbTest,
  errorOf,
  populatedWorld,
  rolledBack,
  supportNote,
  type Tx,
  txTest,
} from './_db.ts'

/**
 * What the Data API may reach, each with the reason. pg_graphql's resolver exists on Supabase's
 * own images (hosted, `supabase start`), not on the local stand-in: it answers only with what the
 * caller's privileges allow, which the rest of this test shows is nothing of ours.
 */
const allowed: Record<string, string> = {
  'function graphql_public.graphql(text,text,jsonb,jsonb): execute': "pg_graphql, the platform's",
}

/** The four callers PostgREST is emulated for. */
const callerNames = {
  anon: 'anon',
  provider: 'a lead provider user',
  support: 'a support user',
  nobody: 'a signed-in user in neither role',
} as const

/** The world, the four callers and the values none of them may read. */
async function scene(tx: Tx) {
  const populated = await populatedWorld(tx)
  const { world } = populated
  const [token] = await tx<{ hash: string }[]>`
    select encode(extensions.digest(convert_to(${populated.token}, 'UTF8'), 'sha256'), 'hex') as hash`
  const callers: Record<keyof typeof callerNames, ApiCaller> = {
    anon: anonCaller(),
    provider: userCaller(callerNames.provider, world.a.userId, world.a.userEmail),
    support: userCaller(callerNames.support, world.supportUserId, 'support@education.example.test'),
    nobody: userCaller(callerNames.nobody, world.nobodyUserId, 'nobody@example.test'),
  }
  const secrets: Record<string, string> = {
    "support's note": supportNote,
    "a support user's id": world.supportUserId,
    'a token hash': token!.hash,
    "another provider's partnership": populated.partnershipB,
    "another provider's lead provider id": world.b.leadProviderId,
    "another provider's school": populated.schoolB.schoolId,
  }
  return { ...populated, callers, secrets }
}

/** Fails on anything the caller reaches that is not allowed, and on any secret it can read. */
async function assertNothingReachable(tx: Tx, caller: ApiCaller, secrets: Record<string, string>) {
  const surface = await apiSurface(tx, caller, await servedSchemas(), secrets)
  const unexpected = surface.reachable.filter((finding) => !(finding in allowed))
  assert.deepEqual(
    { unexpected, leaks: surface.leaks },
    { unexpected: [], leaks: [] },
    `The Data API gives ${caller.name}: ${[...unexpected, ...surface.leaks].join('; ')}`,
  )
}

for (const who of Object.keys(callerNames) as (keyof typeof callerNames)[]) {
  const name = callerNames[who]
  dbTest(`the Data API reaches nothing of ours as ${name}, by privilege or by row`, async (sql) => {
    await rolledBack(sql, async (tx) => {
      const { callers, secrets } = await scene(tx)
      await assertNothingReachable(tx, callers[who], secrets)
    })
  })
}

Deno.test('the Data API serves public and graphql_public, and whatever config.toml adds', async () => {
  const schemas = await servedSchemas()
  assert.deepEqual(schemas.slice(0, 2), ['public', 'graphql_public'])
})

txTest(
  'no Data API request gives a lead provider the support note, another provider row, a token hash or a support user id',
  async (tx) => {
    const { callers, partnershipA, partnershipB, world } = await scene(tx)
    const requests: [string, string][] = [
      ['/rest/v1/partnerships', 'select challenge_note, challenged_by from public.partnerships'],
      [
        '/rest/v1/partnerships',
        `select * from public.partnerships
        where partnership_id = '${partnershipB}'`,
      ],
      ['/rest/v1/partnership_events', 'select actor_user_id from public.partnership_events'],
      ['/rest/v1/link_tokens', 'select token_hash from public.link_tokens'],
      ['/rest/v1/support_users', 'select user_id from public.support_users'],
      ['/rest/v1/notifications', 'select recipient_email from public.notifications'],
    ]
    for (const [path, query] of requests) {
      const error = await errorOf(tx, async (sp) => {
        await actAsApiCaller(sp, callers.provider, path)
        await sp.unsafe(query)
      })
      assert.equal(error.code, '42501', `${path}: ${query} gave ${error.message}`)
    }

    // The same user through the functions' role sees its own partnership: the refusals above
    // are the Data API's, not an empty world.
    await actAs(tx, 'app_user', world.a.userId)
    const own = await tx`select partnership_id from public.partnerships`
    await actAsOwner(tx)
    assert.deepEqual(own.map((row) => row.partnership_id), [partnershipA])
  },
)

dbTest('PostgREST cannot switch to app_user: no API role is a member of it', async (sql) => {
  const [roles] = await sql<
    { members: string[]; canLogin: boolean; inheritsAuthenticated: boolean }[]
  >`
    select
      array(
        select role from unnest(array['anon', 'authenticated', 'service_role', 'authenticator'])
          as role
        where pg_has_role(role, 'app_user', 'member')
      ) as members,
      (select rolcanlogin from pg_roles where rolname = 'app_user') as "canLogin",
      pg_has_role('app_user', 'authenticated', 'usage') as "inheritsAuthenticated"`
  assert.deepEqual({ ...roles }, { members: [], canLogin: false, inheritsAuthenticated: true })
})

txTest(
  'auth.uid() and auth.jwt() answer for app_user, through its membership of authenticated',
  async (tx) => {
    const userId = crypto.randomUUID()
    await actAs(tx, 'app_user', userId)
    const [seen] = await tx`select auth.uid() as uid, auth.jwt() ->> 'role' as role, current_user`
    await actAsOwner(tx)
    assert.deepEqual({ ...seen }, {
      uid: userId,
      role: 'authenticated',
      current_user: 'app_user',
    })
  },
)

dbTest('no RLS policy in a served schema names anon, authenticated or PUBLIC', async (sql) => {
  const policies = await sql<{ policy: string }[]>`
    select format('%I.%I: %s', schemaname, tablename, policyname) as policy
    from pg_policies
    where schemaname = any (${await servedSchemas()}::text[])
      and roles && array['anon', 'authenticated', 'public']::name[]`
  assert.deepEqual(policies.map((row) => row.policy), [])
})

dbTest(
  'the surface check finds a column grant, a new table and a new function in public',
  async (sql) => {
    await rolledBack(sql, async (tx) => {
      const { callers, secrets } = await scene(tx)
      const table = `surface_probe_${crypto.randomUUID().slice(0, 8)}`
      // Mistakes this test exists to catch: a column granted to the API role, a table granted
      // the way older projects' defaults grant it, a function left executable by PUBLIC.
      await tx.unsafe(`
        grant select (challenge_note) on public.partnerships to authenticated;
        create table public.${table} (id int);
        insert into public.${table} values (1);
        grant select on public.${table} to authenticated;
        create function public.${table}_fn() returns int language sql as 'select 1';`)

      const surface = await apiSurface(tx, callers.support, await servedSchemas(), secrets)
      const found = surface.reachable.join('; ')
      assert.ok(surface.reachable.includes('public.partnerships.challenge_note: select'), found)
      assert.ok(surface.reachable.includes(`public.${table}: select`), found)
      assert.ok(surface.reachable.includes(`public.${table}: 1 rows readable`), found)
      assert.ok(surface.reachable.includes(`function public.${table}_fn(): execute`), found)
      // The column grant alone reads nothing: no policy lets an API role see a row. A policy for
      // authenticated as well hands the note over.
      assert.deepEqual(surface.leaks, [])
      await tx.unsafe(`
        create policy "Probe" on public.partnerships for select to authenticated using (true)`)
      const leaked = await apiSurface(tx, callers.provider, await servedSchemas(), secrets)
      assert.ok(leaked.leaks.includes("public.partnerships: support's note"), leaked.leaks.join())
    })
  },
)
