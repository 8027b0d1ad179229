/**
 * Tests of the local platform worker against a real Postgres with the shim, and real HTTP servers
 * started by the tests: pg_net requests leave only after commit, cron jobs run and are recorded.
 */
import assert from 'node:assert/strict'
import postgres from 'postgres'
import { startTestCluster, withTestDatabase } from './_test_database.ts'
import { freePort } from '../config.ts'
import { applyShim } from './migrations.ts'
import { startPlatformWorker } from './platform_worker.ts'

interface Received {
  method: string
  path: string
  authorization: string | null
  body: string
}

/** A real HTTP server that records what reaches it and lets a test wait for a given path. */
function recordingServer() {
  const received: Received[] = []
  const waiting = new Map<string, (request: Received) => void>()
  let releaseSlow = () => {}
  const slowReleased = new Promise<void>((resolve) => releaseSlow = resolve)
  const server = Deno.serve(
    { hostname: '127.0.0.1', port: freePort(), onListen: () => {} },
    async (request) => {
      const path = new URL(request.url).pathname + new URL(request.url).search
      if (path.startsWith('/slow')) {
        // Answers only when the test ends, long after the client has given up.
        await slowReleased
        return new Response(null, { status: 504 })
      }
      const entry = {
        method: request.method,
        path,
        authorization: request.headers.get('authorization'),
        body: await request.text(),
      }
      received.push(entry)
      waiting.get(path)?.(entry)
      return Response.json({ ok: true, path }, { status: 202, headers: { 'x-probe': 'yes' } })
    },
  )
  return {
    base: `http://127.0.0.1:${server.addr.port}`,
    received,
    arrival(path: string): Promise<Received> {
      return new Promise((resolve) => waiting.set(path, resolve))
    },
    stop() {
      releaseSlow()
      return server.shutdown()
    },
  }
}

/** Waits for a row to appear; the test's own timeout is the only limit, no timing is asserted. */
async function eventually<T>(read: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await read()
    if (value !== undefined) return value
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

Deno.test('local/database/platform_worker.ts', async (t) => {
  const cluster = await startTestCluster()
  // Requests and jobs come from `postgres`; the worker is the platform's, its superuser.
  const { url, adminUrl } = await cluster.createDatabase()
  await applyShim(adminUrl)
  const sql = postgres(url, { max: 2, onnotice: () => {} })
  const server = recordingServer()
  // A long cron tick keeps the background loop out of the way of runDueJobs() in these tests.
  const worker = startPlatformWorker(adminUrl, { cronTickMs: 3_600_000 })
  try {
    await worker.ready

    await t.step(
      'net.http_post() from a committed transaction reaches the server and records the response',
      async () => {
        const arrived = server.arrival('/wake?run=1')
        const [{ id } = { id: '' }] = await sql.begin((tx) =>
          tx<{ id: string }[]>`
          select net.http_post(
            url := ${server.base + '/wake'},
            body := '{"reason": "partnerships reported"}',
            params := '{"run": "1"}',
            headers := '{"Authorization": "Bearer local-secret"}'
          ) as id`
        )
        const request = await arrived
        assert.deepEqual(request, {
          method: 'POST',
          path: '/wake?run=1',
          authorization: 'Bearer local-secret',
          body: '{"reason": "partnerships reported"}',
        })
        const response = await eventually(async () => {
          const [row] = await sql`select * from net._http_response where id = ${id}`
          return row
        })
        assert.equal(response.status_code, 202)
        assert.equal(response.content_type, 'application/json')
        assert.equal(response.headers['x-probe'], 'yes')
        assert.deepEqual(JSON.parse(response.content), { ok: true, path: '/wake?run=1' })
        assert.equal(response.timed_out, false)
        assert.equal(response.error_msg, null)
        assert.deepEqual([...await sql`select id from net.http_request_queue`], [])
      },
    )

    await t.step('net.http_post() from a rolled-back transaction sends nothing', async () => {
      await sql.begin(async (tx) => {
        await tx`select net.http_post(${server.base + '/rolled-back'})`
        throw new Error('roll back')
      }).catch(() => {})
      // Requests go in queue order, so once a later committed one has arrived, an earlier one
      // that had been committed would have arrived too.
      const marker = server.arrival('/after-rollback')
      await sql`select net.http_post(${server.base + '/after-rollback'})`
      await marker
      await worker.drainRequests()
      assert.equal(server.received.filter(({ path }) => path === '/rolled-back').length, 0)
    })

    await t.step('a request that outlives its timeout is recorded as timed out', async () => {
      const [{ id } = { id: '' }] = await sql<{ id: string }[]>`
        select net.http_get(${server.base + '/slow'}, timeout_milliseconds := 50) as id`
      const response = await eventually(async () => {
        const [row] = await sql`select * from net._http_response where id = ${id}`
        return row
      })
      assert.equal(response.timed_out, true)
      assert.equal(response.status_code, null)
      assert.equal(response.error_msg, 'Timeout of 50 ms reached')
    })

    await t.step('a request to a closed port is recorded with its error', async () => {
      const [{ id } = { id: '' }] = await sql<{ id: string }[]>`
        select net.http_get(${`http://127.0.0.1:${freePort()}/`}) as id`
      const response = await eventually(async () => {
        const [row] = await sql`select * from net._http_response where id = ${id}`
        return row
      })
      assert.equal(response.timed_out, false)
      assert.equal(response.status_code, null)
      assert.match(response.error_msg, /\S/)
    })

    await t.step('a scheduled cron job runs when due and records a successful run', async () => {
      await sql`create table public.sweeps (ran_as text, ran_at timestamptz default now())`
      const [{ jobid } = { jobid: '' }] = await sql<{ jobid: string }[]>`
        select cron.schedule('notifications-sweep', '0 9 * * 1-5',
          'insert into public.sweeps (ran_as) values (current_user)') as jobid`

      const notDue = await worker.runDueJobs(new Date('2030-01-05T09:00:00Z')) // a Saturday
      assert.deepEqual(notDue, [])

      const runs = await worker.runDueJobs(new Date('2030-01-07T09:00:10Z')) // a Monday
      assert.equal(runs.length, 1)
      assert.equal(String(runs[0]?.jobid), jobid)
      assert.equal(runs[0]?.status, 'succeeded')

      const again = await worker.runDueJobs(new Date('2030-01-07T09:00:50Z')) // same minute
      assert.deepEqual(again, [])

      assert.deepEqual([...await sql`select ran_as from public.sweeps`], [{ ran_as: 'postgres' }])
      const [details] = await sql`select * from cron.job_run_details where runid = ${
        runs[0]?.runid ?? 0
      }`
      assert.equal(String(details?.jobid), jobid)
      assert.equal(details?.status, 'succeeded')
      assert.equal(details?.return_message, 'INSERT 0 1')
      assert.equal(details?.username, 'postgres')
      assert.ok(details?.job_pid > 0)
      assert.ok(details?.end_time >= details?.start_time)
      await sql`select cron.unschedule('notifications-sweep')`
    })

    await t.step('a cron job whose command fails records a failed run', async () => {
      await sql`select cron.schedule('broken', '* * * * *', 'select * from no_such_table')`
      const [run] = await worker.runDueJobs(new Date('2030-02-01T12:34:00Z'))
      assert.equal(run?.status, 'failed')
      const [details] =
        await sql`select status, return_message from cron.job_run_details where runid = ${
          run?.runid ?? 0
        }`
      assert.deepEqual({ ...details }, {
        status: 'failed',
        return_message: 'ERROR:  relation "no_such_table" does not exist',
      })
      await sql`select cron.unschedule('broken')`
    })

    await t.step(
      'a cron job can call net.http_post(), and its request is sent after the run commits',
      async () => {
        const arrived = server.arrival('/from-cron')
        await sql`select cron.schedule('wake-from-cron', '30 seconds',
        ${`select net.http_post('${server.base}/from-cron')`})`
        const [run] = await worker.runDueJobs(new Date('2030-03-01T00:00:30Z'))
        assert.equal(run?.status, 'succeeded')
        assert.equal((await arrived).method, 'POST')
        await sql`select cron.unschedule('wake-from-cron')`
      },
    )

    await t.step('an inactive cron job does not run', async () => {
      const [{ jobid } = { jobid: '' }] = await sql<{ jobid: string }[]>`
        select cron.schedule('paused', '* * * * *', 'select 1') as jobid`
      await sql`select cron.alter_job(${jobid}::bigint, active := false)`
      assert.deepEqual(await worker.runDueJobs(new Date('2030-04-01T00:00:00Z')), [])
      await sql`select cron.unschedule('paused')`
    })
  } finally {
    await worker.stop()
    await server.stop()
    await sql.end()
    await cluster.close()
  }
})

Deno.test('startPlatformWorker() runs due cron jobs by itself, reading the clock it is given', () =>
  withTestDatabase(async ({ url, adminUrl }) => {
    await applyShim(adminUrl)
    const sql = postgres(url, { max: 1, onnotice: () => {} })
    const worker = startPlatformWorker(adminUrl, {
      cronTickMs: 10,
      now: () => new Date('2030-05-06T07:08:00Z'),
    })
    try {
      await sql`select cron.schedule('at-0708', '8 7 * * *', 'select 1')`
      await worker.ready
      const run = await eventually(async () => {
        const [row] = await sql`select status from cron.job_run_details where status = 'succeeded'`
        return row
      })
      assert.equal(run.status, 'succeeded')
    } finally {
      await worker.stop()
      await sql.end()
    }
  }))

Deno.test('startPlatformWorker() leaves a database without the shim to the real extensions', () =>
  withTestDatabase(async ({ adminUrl }) => {
    const worker = startPlatformWorker(adminUrl)
    await worker.ready
    assert.deepEqual(await worker.runDueJobs(new Date()), [])
    assert.equal(await worker.drainRequests(), 0)
    await worker.stop()
  }))
