/**
 * Scratch databases for the local platform's own tests. They live in the cluster behind
 * TEST_DATABASE_ADMIN_URL when it is set (the running stack's), else in a Postgres the test file
 * starts on a free port in a temporary folder. Each test file gets empty databases of its own, so
 * these tests never touch the stack's migrated database and can run before the stack exists.
 */
import postgres from 'postgres'
import { freePort } from '../config.ts'
import { applyShim } from './migrations.ts'
import { startPostgres } from './postgres.ts'

/** One scratch database, as hosted has it: owned by `postgres`, which is not a superuser. */
export interface TestDatabase {
  /** As `postgres`: what migrations, functions and tools use. */
  url: string
  /** As the platform superuser (`supabase_admin`): for the shim and the platform's workers. */
  adminUrl: string
}

export interface TestCluster {
  /** Creates an empty database, owned by `postgres`, without the shim. */
  createDatabase(): Promise<TestDatabase>
  /** Drops the databases created and stops the Postgres started, if any. */
  close(): Promise<void>
}

export async function startTestCluster(): Promise<TestCluster> {
  const given = Deno.env.get('TEST_DATABASE_ADMIN_URL')
  const dataDir = given ? undefined : await Deno.makeTempDir({ prefix: 'local-platform-test-' })
  const started = dataDir ? await startPostgres({ dataDir, port: freePort() }) : undefined
  const adminUrl = started?.adminUrl ?? given ?? ''
  // Roles are cluster-wide: the shim in one database creates `postgres` for them all, as the
  // stack's own start does.
  if (started) await applyShim(started.adminUrl)
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  const created: string[] = []

  const inDatabase = (url: string, name: string) => {
    const withPath = new URL(url)
    withPath.pathname = `/${name}`
    return withPath.href
  }

  return {
    async createDatabase() {
      const name = `local_platform_test_${crypto.randomUUID().replaceAll('-', '')}`
      await admin`create database ${admin(name)} owner postgres`
      created.push(name)
      const asPostgres = Object.assign(new URL(adminUrl), { username: 'postgres' }).href
      return { url: inDatabase(asPostgres, name), adminUrl: inDatabase(adminUrl, name) }
    },
    async close() {
      try {
        for (const name of created) await admin`drop database ${admin(name)} with (force)`
      } finally {
        await admin.end()
        await started?.stop()
        if (dataDir) await Deno.remove(dataDir, { recursive: true })
      }
    },
  }
}

/** Runs `test` on one empty database in a cluster of its own, closing the cluster after. */
export async function withTestDatabase<T>(
  test: (database: TestDatabase) => Promise<T>,
): Promise<T> {
  const cluster = await startTestCluster()
  try {
    return await test(await cluster.createDatabase())
  } finally {
    await cluster.close()
  }
}
