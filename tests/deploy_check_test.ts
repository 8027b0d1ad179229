/**
 * `deno task deploy-check` against the running local stack: healthy, then broken on purpose one
 * way at a time (a Vault secret missing or wrong, the sweep unscheduled or paused, a migration
 * unrecorded, a wrong key or URL given), each put back afterwards. Every case asserts the line
 * that names the problem, the exit code, that no secret is printed, and that the check itself
 * changed nothing in the database.
 */
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import type postgres from 'postgres'
import { connect, eventually, stack } from './_stack.ts'

const repoRoot = fileURLToPath(new URL('..', import.meta.url))
const vaultUrl = `${stack.apiUrl}/functions/v1/notifications`
const fullArgs = [
  '--url',
  stack.apiUrl,
  '--publishable-key',
  stack.publishableKey,
  '--secret-key',
  stack.secretKey,
  '--db-url',
  stack.databaseUrl,
]
const notOurKey = 'sb_secret_not-this-projects-key-000000000'

type Run = { code: number; out: string; err: string }

/** Runs the tool as `deno task deploy-check` does, in a process of its own. */
async function deployCheck(args: string[]): Promise<Run> {
  const env = Deno.env.toObject()
  delete env.DEPLOY_CHECK_SECRET_KEY
  delete env.DEPLOY_CHECK_DB_URL
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ['run', '--allow-read', '--allow-env', '--allow-net', 'tools/deploy_check.ts', ...args],
    cwd: repoRoot,
    env,
    clearEnv: true,
    stdout: 'piped',
    stderr: 'piped',
  }).output()
  const decoder = new TextDecoder()
  return { code, out: decoder.decode(stdout), err: decoder.decode(stderr) }
}

/** The report's line for one check, as `{outcome, text}`; fails the test when there is none. */
function lineOf(out: string, check: string): { outcome: string; text: string } {
  const line = out.split('\n').find((text) => text.slice(6).startsWith(`${check}:`))
  assert.ok(line, `no line for "${check}" in:\n${out}`)
  return { outcome: line.slice(0, 4).trim(), text: line.slice(6) }
}

function assertLine(out: string, check: string, outcome: 'ok' | 'FAIL' | 'skip', says?: RegExp) {
  const line = lineOf(out, check)
  assert.equal(line.outcome, outcome, `"${check}" should be ${outcome}:\n${out}`)
  if (says) assert.match(line.text, says)
}

/** What the check could have changed: Vault, pg_cron, the migrations record and the outbox. */
async function snapshot(sql: postgres.Sql): Promise<string> {
  const [row] = await sql<{ state: string }[]>`
    select json_build_object(
      'vault', (select json_agg(json_build_object(
          'name', name, 'value', md5(decrypted_secret), 'updated_at', updated_at) order by id)
        from vault.decrypted_secrets),
      'cron', (select json_agg(j order by jobid) from cron.job j),
      'migrations', (select json_agg(version order by version)
        from supabase_migrations.schema_migrations),
      'outbox', (select json_agg(json_build_object(
          'id', notification_id, 'status', status, 'attempts', attempts) order by notification_id)
        from public.notifications)
    )::text as state`
  return row!.state
}

/** Runs the check with `args` and asserts it changed nothing and printed no secret. */
async function checkChangingNothing(sql: postgres.Sql, args: string[]): Promise<Run> {
  const before = await snapshot(sql)
  const run = await deployCheck(args)
  assert.equal(await snapshot(sql), before, 'the deploy check changed the database')
  for (const secret of [stack.secretKey, notOurKey, 'postgres:postgres']) {
    assert.ok(!`${run.out}${run.err}`.includes(secret), 'the deploy check printed a secret')
  }
  return run
}

/** Breaks the stack, runs `test`, and puts it back whatever happened. */
async function whileBroken(
  breakIt: () => Promise<unknown>,
  putBack: () => Promise<unknown>,
  test: () => Promise<void>,
) {
  await breakIt()
  try {
    await test()
  } finally {
    await putBack()
  }
}

async function secretId(sql: postgres.Sql, name: string): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    select id from vault.decrypted_secrets where name = ${name}`
  assert.ok(row, `no Vault secret ${name}`)
  return row.id
}

async function sweepJobId(sql: postgres.Sql): Promise<string> {
  const [row] = await sql<{ jobid: string }[]>`
    select jobid::text from cron.job where jobname = 'notifications-sweep'`
  assert.ok(row, 'no notifications-sweep job')
  return row.jobid
}

Deno.test('deploy check', async (t) => {
  const sql = connect()
  try {
    // Emails the seed queued are sent first, so the outbox is still while the check runs.
    await eventually(async () => {
      const [row] = await sql<{ busy: boolean }[]>`
        select exists (select from public.notifications
          where status in ('queued', 'sending') and due_at <= now()) as busy`
      return row!.busy ? undefined : true
    }, { what: 'the outbox to be idle' })

    await t.step('passes every check on the healthy stack and exits 0', async () => {
      const { code, out } = await checkChangingNothing(sql, fullArgs)
      for (
        const check of [
          'Vault secret notifications_function_url',
          'Vault secret notifications_function_secret',
          'Wake-up call from the database',
          'pg_cron job notifications-sweep',
          'pg_cron job notifications-sweep, last run',
          'Migrations',
          'Function challenge',
          'Function provider',
          'Function support',
          'Function notifications',
          'Function notify-callback',
          'Secret key given',
          'JWT signing keys',
          'API keys',
          'Auth settings',
        ]
      ) {
        assertLine(out, check, 'ok')
      }
      assertLine(out, 'pg_cron job notifications-sweep', 'ok', /owned by postgres/)
      assertLine(out, 'JWT signing keys', 'ok', /ES256/)
      // The Send Email Hook's function (branch i12-hook): refuses an unsigned call with 401.
      assertLine(out, 'Function auth-email-hook', 'ok', /401/)
      assert.match(out, /Nothing is missing or wrong\.\n$/)
      assert.equal(code, 0)
    })

    await t.step('names a missing notifications_function_secret', async () => {
      const id = await secretId(sql, 'notifications_function_secret')
      await whileBroken(
        () => sql`select vault.update_secret(${id}, new_name => 'deploy_check_test_hidden')`,
        () => sql`select vault.update_secret(${id}, new_name => 'notifications_function_secret')`,
        async () => {
          const { code, out } = await checkChangingNothing(sql, fullArgs)
          assertLine(out, 'Vault secret notifications_function_secret', 'FAIL', /missing/)
          assertLine(out, 'Wake-up call from the database', 'skip')
          assert.equal(code, 1)
        },
      )
    })

    await t.step('names a notifications_function_secret that is not the key', async () => {
      const id = await secretId(sql, 'notifications_function_secret')
      await whileBroken(
        () => sql`select vault.update_secret(${id}, ${notOurKey})`,
        () => sql`select vault.update_secret(${id}, ${stack.secretKey})`,
        async () => {
          const { code, out } = await checkChangingNothing(sql, fullArgs)
          assertLine(
            out,
            'Vault secret notifications_function_secret',
            'FAIL',
            /not the secret key given.*vault\.update_secret/,
          )
          assertLine(out, 'Wake-up call from the database', 'FAIL', /refuses the key/)
          assert.equal(code, 1)
        },
      )
    })

    await t.step('names a notifications_function_url pointing elsewhere', async () => {
      const id = await secretId(sql, 'notifications_function_url')
      await whileBroken(
        () =>
          sql`select vault.update_secret(${id}, 'http://127.0.0.1:9/functions/v1/notifications')`,
        () => sql`select vault.update_secret(${id}, ${vaultUrl})`,
        async () => {
          const { code, out } = await checkChangingNothing(sql, fullArgs)
          assertLine(
            out,
            'Vault secret notifications_function_url',
            'FAIL',
            new RegExp(`is http://127\\.0\\.0\\.1:9/functions/v1/notifications, not ${vaultUrl}`),
          )
          // The secret is not sent to a URL known to be wrong.
          assertLine(out, 'Wake-up call from the database', 'skip')
          assert.equal(code, 1)
        },
      )
    })

    /** The check fails, naming the sweep's job with `reason`; its whole output. */
    const sweepFails = async (reason: RegExp) => {
      const { code, out } = await checkChangingNothing(sql, fullArgs)
      assertLine(out, 'pg_cron job notifications-sweep', 'FAIL', reason)
      assert.equal(code, 1)
      return out
    }

    await t.step('names the sweep when it is not scheduled', async () => {
      await whileBroken(
        () => sql`select cron.unschedule('notifications-sweep')`,
        () =>
          sql`select cron.schedule('notifications-sweep', '5 seconds',
            'select app.sweep_notifications()')`,
        async () => {
          const out = await sweepFails(
            /not scheduled.*as postgres.*cron\.schedule\('notifications-sweep'/,
          )
          assertLine(out, 'pg_cron job notifications-sweep, last run', 'skip')
        },
      )
    })

    await t.step('names the sweep when it is paused', async () => {
      const jobId = await sweepJobId(sql)
      await whileBroken(
        () => sql`select cron.alter_job(${jobId}::bigint, active => false)`,
        () => sql`select cron.alter_job(${jobId}::bigint, active => true)`,
        async () => {
          await sweepFails(
            new RegExp(
              `job ${jobId} is not active.*cron\\.alter_job\\(${jobId}, active := true\\)`,
            ),
          )
        },
      )
    })

    await t.step('names a migration the database has not recorded', async () => {
      let removed: { version: string; name: string | null; statements: string[] | null }
      await whileBroken(
        async () => {
          ;[removed] = await sql`
            delete from supabase_migrations.schema_migrations
            where version = (select max(version) from supabase_migrations.schema_migrations)
            returning version, name, statements`
        },
        () => sql`insert into supabase_migrations.schema_migrations ${sql(removed)}`,
        async () => {
          const { code, out } = await checkChangingNothing(sql, fullArgs)
          assertLine(
            out,
            'Migrations',
            'FAIL',
            new RegExp(`not applied: ${removed.version}\\..*supabase db push`),
          )
          assert.equal(code, 1)
        },
      )
    })

    await t.step("names a secret key given that is not the project's", async () => {
      const args = fullArgs.map((arg) => arg === stack.secretKey ? notOurKey : arg)
      const { code, out } = await checkChangingNothing(sql, args)
      assertLine(out, 'Vault secret notifications_function_secret', 'FAIL', /not the secret key/)
      assertLine(out, 'Secret key given', 'FAIL', /refuses the key/)
      assertLine(out, 'API keys', 'FAIL', /refuses the secret key/)
      // What the database holds is still right, and still accepted.
      assertLine(out, 'Wake-up call from the database', 'ok')
      assert.equal(code, 1)
    })

    await t.step('names a project URL where nothing answers', async () => {
      const args = fullArgs.map((arg) => arg === stack.apiUrl ? 'http://127.0.0.1:9' : arg)
      const { code, out } = await checkChangingNothing(sql, args)
      assertLine(
        out,
        'Vault secret notifications_function_url',
        'FAIL',
        /not http:\/\/127\.0\.0\.1:9/,
      )
      for (const name of ['challenge', 'provider', 'support', 'notifications', 'notify-callback']) {
        assertLine(out, `Function ${name}`, 'FAIL', /no answer/)
      }
      assertLine(out, 'JWT signing keys', 'FAIL', /no answer/)
      assert.equal(code, 1)
    })

    await t.step('names a database it cannot reach, without its password', async () => {
      const badDatabase = 'postgresql://postgres:not-shown-anywhere@127.0.0.1:9/postgres'
      const args = fullArgs.map((arg) => arg === stack.databaseUrl ? badDatabase : arg)
      const { code, out, err } = await checkChangingNothing(sql, args)
      assertLine(out, 'Database', 'FAIL', /could not connect.*Fix: check --db-url/)
      assertLine(out, 'Function challenge', 'ok')
      assert.ok(!`${out}${err}`.includes('not-shown-anywhere'), 'the password was printed')
      assert.equal(code, 1)
    })

    await t.step(
      'checks the database alone with --db-url, the project alone with --url',
      async () => {
        const databaseOnly = await checkChangingNothing(sql, ['--db-url', stack.databaseUrl])
        assertLine(databaseOnly.out, 'Vault secret notifications_function_secret', 'ok', /present/)
        assertLine(databaseOnly.out, 'Wake-up call from the database', 'ok')
        assertLine(databaseOnly.out, 'Project', 'skip')
        const projectOnly = await checkChangingNothing(sql, ['--url', stack.apiUrl])
        assertLine(projectOnly.out, 'Database', 'skip')
        assertLine(projectOnly.out, 'Function challenge', 'ok')
        assertLine(projectOnly.out, 'Auth settings', 'skip', /--publishable-key/)
      },
    )

    await t.step('refuses a command line with nothing to check, exit 2', async () => {
      for (const args of [[], ['--url', 'ftp://example.test'], ['--nonsense']]) {
        const { code, err } = await deployCheck(args)
        assert.equal(code, 2)
        assert.match(err, /^Usage: deno task deploy-check/)
      }
    })
  } finally {
    await sql.end()
  }
})
