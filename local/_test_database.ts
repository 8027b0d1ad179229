/**
 * Scratch databases for the local platform's own tests. They live in the cluster behind
 * TEST_DATABASE_URL when it is set (the running stack's), else in a Postgres the test file starts
 * on a free port in a temporary folder. Each test file gets empty databases of its own, so these
 * tests never touch the stack's migrated database and can run before the stack exists.
 */
import postgres from 'postgres'
import { freePort } from './config.ts'
import { startPostgres } from './postgres.ts'

export interface TestCluster {
  /** Creates an empty database and returns its superuser URL. */
  createDatabase(): Promise<string>
  /** Drops the databases created and stops the Postgres started, if any. */
  close(): Promise<void>
}

export async function startTestCluster(): Promise<TestCluster> {
  const given = Deno.env.get('TEST_DATABASE_URL')
  const dataDir = given ? undefined : await Deno.makeTempDir({ prefix: 'local-platform-test-' })
  const started = dataDir ? await startPostgres({ dataDir, port: freePort() }) : undefined
  const adminUrl = started?.url ?? given ?? ''
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  const created: string[] = []

  return {
    async createDatabase() {
      const name = `local_platform_test_${crypto.randomUUID().replaceAll('-', '')}`
      await admin`create database ${admin(name)}`
      created.push(name)
      const url = new URL(adminUrl)
      url.pathname = `/${name}`
      return url.href
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
