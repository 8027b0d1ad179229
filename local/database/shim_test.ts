/** Tests of local/database/shim.sql against a real Postgres: roles, auth, vault, net and cron faces. */
import assert from 'node:assert/strict'
import postgres from 'postgres'
import { startTestCluster, withTestDatabase } from './_test_database.ts'
import { applyShim } from './migrations.ts'
import { parseSchedule } from './pg_cron_schedule.ts'

/** Everything the shim defines, as text, to compare before and after applying it again. */
async function catalogSnapshot(sql: postgres.Sql): Promise<string> {
  const rows = await sql`
    select 'relation' as kind, n.nspname || '.' || c.relname || ' ' || c.relkind::text
      || coalesce(c.relacl::text, '') as item
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname in ('auth', 'extensions', 'vault', 'net', 'cron')
    union all
    select 'function', pg_get_functiondef(p.oid) || coalesce(p.proacl::text, '')
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname in ('auth', 'vault', 'net', 'cron')
    union all
    select 'role', rolname || rolcanlogin::text || rolinherit::text || rolbypassrls::text
    from pg_roles
    where rolname in ('anon', 'authenticated', 'service_role', 'authenticator', 'postgres')
    union all
    select 'membership', roleid::regrole || ' ' || member::regrole || admin_option::text
      || inherit_option::text || set_option::text
    from pg_auth_members where member = 'postgres'::regrole
    union all
    select 'schema', nspname || coalesce(nspacl::text, '') from pg_namespace
    union all
    select 'vault key', key from vault._local_key
    order by 1, 2`
  return JSON.stringify(rows)
}

Deno.test('local/database/shim.sql', async (t) => {
  const cluster = await startTestCluster()
  const { url, adminUrl } = await cluster.createDatabase()
  // As `postgres`, which is not a superuser: what the shim gives it is what this file tests.
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    await applyShim(adminUrl)

    await t.step('applying the shim again changes nothing', async () => {
      await sql`select vault.create_secret('kept', 'idempotency_probe')`
      const before = await catalogSnapshot(sql)
      await applyShim(adminUrl)
      assert.equal(await catalogSnapshot(sql), before)
      const [secret] = await sql`
        select decrypted_secret from vault.decrypted_secrets where name = 'idempotency_probe'`
      assert.equal(secret?.decrypted_secret, 'kept')
    })

    await t.step('the shim creates the platform roles with their attributes', async () => {
      const roles = await sql`
        select rolname, rolcanlogin, rolinherit, rolbypassrls,
          pg_has_role('authenticator', oid, 'member') as authenticator_can_switch
        from pg_roles
        where rolname in ('anon', 'authenticated', 'service_role', 'authenticator')
        order by rolname`
      assert.deepEqual(roles.map((role) => ({ ...role })), [
        r('anon', false, false, false, true),
        r('authenticated', false, false, false, true),
        r('authenticator', true, false, false, true),
        r('service_role', false, false, true, true),
      ])
      function r(
        rolname: string,
        rolcanlogin: boolean,
        rolinherit: boolean,
        rolbypassrls: boolean,
        authenticator_can_switch: boolean,
      ) {
        return { rolname, rolcanlogin, rolinherit, rolbypassrls, authenticator_can_switch }
      }
    })

    await t.step(
      "the shim creates postgres as hosted has it: no superuser, the API roles' member",
      async () => {
        const [role] = await sql`
          select rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication,
            rolbypassrls, current_user as me,
            (select rolname from pg_roles where oid = 10) as bootstrap_superuser,
            (select pg_get_userbyid(datdba) from pg_database
              where datname = current_database()) as database_owner
          from pg_roles where rolname = 'postgres'`
        assert.deepEqual({ ...role }, {
          rolsuper: false,
          rolinherit: true,
          rolcreaterole: true,
          rolcreatedb: true,
          rolcanlogin: true,
          rolreplication: true,
          rolbypassrls: true,
          me: 'postgres',
          bootstrap_superuser: 'supabase_admin',
          database_owner: 'postgres',
        })
        const memberships = await sql`
          select roleid::regrole::text as role, admin_option, inherit_option, set_option
          from pg_auth_members
          where member = 'postgres'::regrole
            -- Roles of the platform's, not those the project's migrations create (analyst).
            and roleid::regrole::text in ('anon', 'authenticated', 'service_role', 'pg_monitor',
              'pg_read_all_data', 'pg_signal_backend')
          order by 1`
        assert.deepEqual(memberships.map((row) => ({ ...row })), [
          m('anon', true),
          m('authenticated', true),
          m('pg_monitor', false),
          m('pg_read_all_data', false),
          m('pg_signal_backend', false),
          m('service_role', true),
        ])
        function m(role: string, admin_option: boolean) {
          return { role, admin_option, inherit_option: true, set_option: true }
        }
      },
    )

    await t.step(
      "the platform's schemas and what is in them belong to supabase_admin, not postgres",
      async () => {
        const owned = await sql`
          select n.nspname as schema, pg_get_userbyid(n.nspowner) as owner,
            (select array_agg(distinct pg_get_userbyid(c.relowner)) from pg_class c
              where c.relnamespace = n.oid) as relation_owners,
            (select array_agg(distinct pg_get_userbyid(p.proowner)) from pg_proc p
              where p.pronamespace = n.oid) as function_owners
          from pg_namespace n
          where n.nspname in ('auth', 'extensions', 'vault', 'net', 'cron')
          order by 1`
        for (const row of owned) {
          assert.equal(row.owner, 'supabase_admin', `schema ${row.schema}`)
          for (const owner of [...row.relation_owners ?? [], ...row.function_owners ?? []]) {
            assert.equal(owner, 'supabase_admin', `something in ${row.schema}`)
          }
        }
        assert.equal(owned.length, 5)
      },
    )

    await t.step(
      'a role postgres creates is not settable by it until granted WITH SET, as on hosted',
      async () => {
        const role = `probe_${crypto.randomUUID().slice(0, 8)}`
        try {
          await sql.unsafe(`create role ${role} nologin`)
          await assert.rejects(
            sql.begin((tx) => tx.unsafe(`set local role ${role}`)),
            /permission denied to set role/,
          )
          await sql.unsafe(`grant ${role} to postgres with set true`)
          const [row] = await sql.begin(async (tx) => {
            await tx.unsafe(`set local role ${role}`)
            return await tx`select current_user as me`
          })
          assert.equal(row?.me, role)
        } finally {
          await sql.unsafe(`drop role if exists ${role}`)
        }
      },
    )

    await t.step('a table postgres creates in public is granted to no API role', async () => {
      await sql`create table public.grants_probe (id int)`
      try {
        const [row] = await sql`
          select coalesce(array_agg(distinct grantee::text order by grantee::text), '{}') as grantees
          from information_schema.role_table_grants
          where table_schema = 'public' and table_name = 'grants_probe'`
        assert.deepEqual(row?.grantees, ['postgres'])
      } finally {
        await sql`drop table public.grants_probe`
      }
    })

    await t.step(
      'postgres writes cron.job and vault.secrets only through their functions',
      async () => {
        for (
          const statement of [
            "insert into cron.job (schedule, command) values ('* * * * *', 'select 1')",
            "update cron.job set command = 'select 2'",
            "insert into vault.secrets (secret) values ('x')",
            "update vault.secrets set name = 'x'",
            'create table auth.probe (id int)',
            'create table cron.probe (id int)',
          ]
        ) {
          await assert.rejects(
            sql.unsafe(statement),
            (error: postgres.PostgresError) => error.code === '42501',
            statement,
          )
        }
      },
    )

    await t.step(
      'auth.uid() and auth.jwt() return the claims set in request.jwt.claims',
      async () => {
        const claims = {
          sub: '7d4a0c1e-6f2b-4f5a-9d8e-3c2b1a0f9e8d',
          role: 'authenticated',
          email: 'alice@ambition.example.test',
          aal: 'aal1',
        }
        const [row] = await sql.begin(async (tx) => {
          await tx`select set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`
          await tx`set local role authenticated`
          return await tx`
          select auth.uid() as uid, auth.jwt() as jwt, auth.role() as role, auth.email() as email`
        })
        assert.deepEqual({ ...row }, {
          uid: claims.sub,
          jwt: claims,
          role: 'authenticated',
          email: 'alice@ambition.example.test',
        })
      },
    )

    await t.step('auth.uid() and auth.jwt() are null when no claims are set', async () => {
      const [row] = await sql.begin(async (tx) => {
        // PostgREST's transaction-local settings leave an empty string behind after commit.
        await tx`select set_config('request.jwt.claims', '', true)`
        return await tx`select auth.uid() as uid, auth.jwt() as jwt`
      })
      assert.deepEqual({ ...row }, { uid: null, jwt: null })
    })

    await t.step('auth.uid() prefers the legacy request.jwt.claim.sub setting', async () => {
      const [row] = await sql.begin(async (tx) => {
        await tx`select set_config('request.jwt.claim.sub', '00000000-0000-4000-8000-000000000001', true)`
        await tx`select set_config('request.jwt.claims', '{"sub":"00000000-0000-4000-8000-000000000002"}', true)`
        return await tx`select auth.uid() as uid`
      })
      assert.equal(row?.uid, '00000000-0000-4000-8000-000000000001')
    })

    await t.step(
      'vault keeps ciphertext in secret and the plain text in decrypted_secret',
      async () => {
        const [{ id } = { id: '' }] = await sql<{ id: string }[]>`
        select vault.create_secret('https://example.test/one', 'function_url', 'where to call') as id`
        const [created] = await sql`select * from vault.decrypted_secrets where id = ${id}`
        assert.equal(created?.name, 'function_url')
        assert.equal(created?.description, 'where to call')
        assert.equal(created?.decrypted_secret, 'https://example.test/one')
        assert.ok(!String(created?.secret).includes('example.test'))

        await sql`select vault.update_secret(${id}, 'https://example.test/two')`
        const [updated] = await sql`select * from vault.decrypted_secrets where id = ${id}`
        assert.equal(updated?.decrypted_secret, 'https://example.test/two')
        assert.equal(updated?.name, 'function_url')
        assert.equal(updated?.description, 'where to call')
      },
    )

    await t.step('vault refuses a second secret with the same name', async () => {
      await sql`select vault.create_secret('first', 'unique_name_probe')`
      await assert.rejects(
        sql`select vault.create_secret('second', 'unique_name_probe')`,
        (error: postgres.PostgresError) => error.code === '23505',
      )
    })

    for (const role of ['anon', 'authenticated']) {
      await t.step(`${role} can neither read vault secrets nor create them`, async () => {
        for (
          const query of [
            'select * from vault.decrypted_secrets',
            "select vault.create_secret('x')",
          ]
        ) {
          await assert.rejects(
            sql.begin(async (tx) => {
              await tx.unsafe(`set local role ${role}`)
              await tx.unsafe(query)
            }),
            (error: postgres.PostgresError) => error.code === '42501',
          )
        }
      })
    }

    await t.step(
      'net.http_post() queues a request that vanishes if its transaction rolls back',
      async () => {
        await sql`delete from net.http_request_queue`
        await sql.begin(async (tx) => {
          await tx`select net.http_post('http://127.0.0.1:9/rolled-back')`
          await tx`select 1/0`
        }).catch(() => {})
        assert.deepEqual([...await sql`select * from net.http_request_queue`], [])

        const [{ id } = { id: '' }] = await sql<{ id: string }[]>`
        select net.http_post(
          url := 'http://127.0.0.1:9/wake',
          body := '{"reason": "a test"}',
          params := '{"q": "a b&c", "é": "1"}',
          headers := '{"Authorization": "Bearer x"}',
          timeout_milliseconds := 2500
        ) as id`
        const [queued] = await sql`
        select method, url, headers, convert_from(body, 'UTF8') as body, timeout_milliseconds
        from net.http_request_queue where id = ${id}`
        assert.deepEqual({ ...queued }, {
          method: 'POST',
          url: 'http://127.0.0.1:9/wake?q=a%20b%26c&%C3%A9=1',
          headers: { 'Authorization': 'Bearer x', 'Content-Type': 'application/json' },
          body: '{"reason": "a test"}',
          timeout_milliseconds: 2500,
        })
        await sql`delete from net.http_request_queue`
      },
    )

    await t.step(
      'net.http_post() refuses a Content-Type other than JSON, as pg_net does',
      async () => {
        await assert.rejects(
          sql`select net.http_post('http://127.0.0.1:9/', headers := '{"content-type": "text/plain"}')`,
          /Content-Type header must be "application\/json"/,
        )
      },
    )

    await t.step(
      'net.http_get() takes pg_net defaults: no headers and a 5 second timeout',
      async () => {
        const [{ id } = { id: '' }] = await sql<{ id: string }[]>`
        select net.http_get('http://127.0.0.1:9/status') as id`
        const [queued] = await sql`
        select method, headers, body, timeout_milliseconds from net.http_request_queue
        where id = ${id}`
        assert.deepEqual({ ...queued }, {
          method: 'GET',
          headers: {},
          body: null,
          timeout_milliseconds: 5000,
        })
        await sql`delete from net.http_request_queue`
      },
    )

    await t.step(
      'cron.schedule() upserts a job by name and cron.unschedule() removes it',
      async () => {
        const [first] = await sql`select cron.schedule('sweep', '* * * * *', 'select 1') as id`
        const [second] = await sql`select cron.schedule('sweep', '*/5 * * * *', 'select 2') as id`
        assert.equal(second?.id, first?.id)
        const jobs = await sql`
        select jobname, schedule, command, username, database, active from cron.job`
        assert.deepEqual(jobs.map((job) => ({ ...job })), [{
          jobname: 'sweep',
          schedule: '*/5 * * * *',
          command: 'select 2',
          username: 'postgres',
          database: url.split('/').at(-1),
          active: true,
        }])
        assert.deepEqual([...await sql`select cron.unschedule('sweep') as done`], [{ done: true }])
        await assert.rejects(
          sql`select cron.unschedule('sweep')`,
          /could not find valid entry for job 'sweep'/,
        )

        const [unnamed] = await sql`select cron.schedule('30 seconds', 'select 3') as id`
        assert.deepEqual([...await sql`select cron.unschedule(${unnamed?.id}::bigint) as done`], [
          { done: true },
        ])
      },
    )

    await t.step(
      'cron.schedule() accepts exactly the schedules the local runner understands',
      async () => {
        const samples = [
          '* * * * *',
          '*/5 * * * *',
          '0 3 * * 1-5',
          '0,30 8-18/2 1 1,6 0',
          '0 0 1 1 7',
          '@daily',
          '@hourly',
          '1 seconds',
          '30 seconds',
          '59 seconds',
          '0 seconds',
          '60 seconds',
          '* * * *',
          '60 * * * *',
          '* 24 * * *',
          '* * 0 * *',
          '* * * 13 *',
          '* * * * 8',
          '5/10 * * * *',
          '*/0 * * * *',
          '5-1 * * * *',
          'a * * * *',
          '',
          '@reboot',
        ]
        for (const schedule of samples) {
          const byShim = await sql`select cron._validate_schedule(${schedule})`.then(
            () => true,
            () => false,
          )
          const byRunner = (() => {
            try {
              parseSchedule(schedule)
              return true
            } catch {
              return false
            }
          })()
          assert.equal(byShim, byRunner, `'${schedule}': shim ${byShim}, runner ${byRunner}`)
        }
        await assert.rejects(
          sql`select cron.schedule('bad', '61 * * * *', 'select 1')`,
          /invalid schedule/,
        )
      },
    )
  } finally {
    await sql.end()
    await cluster.close()
  }
})

Deno.test("the shim leaves the platform's own schemas and roles alone", () =>
  withTestDatabase(async ({ url, adminUrl }) => {
    const sql = postgres(url, { max: 1, onnotice: () => {} })
    try {
      // What a Supabase database already has, in miniature: schemas the shim did not create.
      await sql.unsafe(`
        create schema auth;
        create function auth.uid() returns uuid language sql
          as $$ select '00000000-0000-4000-8000-00000000abcd'::uuid $$;
        create schema extensions;
        create extension pgcrypto with schema extensions;
        create schema vault;
        create schema net;
        create schema cron;`)
      await applyShim(adminUrl)
      const [row] = await sql`
        select
          auth.uid() as uid,
          (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname in ('auth', 'vault', 'net', 'cron')) as relations,
          (select count(*)::int from pg_proc p join pg_namespace n on n.oid = p.pronamespace
            where n.nspname in ('auth', 'vault', 'net', 'cron')) as functions`
      assert.deepEqual({ ...row }, {
        uid: '00000000-0000-4000-8000-00000000abcd',
        relations: 0,
        functions: 1,
      })
    } finally {
      await sql.end()
    }
  }))

Deno.test('the shim refuses pgcrypto installed outside extensions, saying how to move it', () =>
  withTestDatabase(async ({ url, adminUrl }) => {
    const sql = postgres(url, { max: 1, onnotice: () => {} })
    await sql`create extension pgcrypto with schema public`.finally(() => sql.end())
    await assert.rejects(
      applyShim(adminUrl),
      /pgcrypto is installed in schema public, not in extensions\nSupabase keeps it in extensions: alter extension pgcrypto set schema extensions/,
    )
  }))
