/** Unit tests of local/config.ts: which Postgres the stack uses, and as whom. */
import assert from 'node:assert/strict'
import { localSettings } from './config.ts'

const postgresUrl = 'postgresql://postgres:postgres@127.0.0.1:54322/postgres'
const adminUrl = 'postgresql://supabase_admin:postgres@127.0.0.1:54322/postgres'

Deno.test('localSettings() starts the embedded Postgres when no DATABASE_URL is given', () => {
  const settings = localSettings({})
  assert.equal(settings.databaseUrl, undefined)
  assert.equal(settings.databaseAdminUrl, undefined)
})

Deno.test(
  'localSettings() uses DATABASE_URL for the platform too unless DATABASE_ADMIN_URL is given',
  () => {
    assert.equal(localSettings({ DATABASE_URL: postgresUrl }).databaseAdminUrl, postgresUrl)
    const both = localSettings({ DATABASE_URL: postgresUrl, DATABASE_ADMIN_URL: adminUrl })
    assert.deepEqual([both.databaseUrl, both.databaseAdminUrl], [postgresUrl, adminUrl])
  },
)

Deno.test('localSettings() refuses DATABASE_ADMIN_URL without DATABASE_URL, or not a URL', () => {
  assert.throws(
    () => localSettings({ DATABASE_ADMIN_URL: adminUrl }),
    /DATABASE_ADMIN_URL is used only with DATABASE_URL/,
  )
  assert.throws(
    () => localSettings({ DATABASE_URL: postgresUrl, DATABASE_ADMIN_URL: 'supabase_admin' }),
    /DATABASE_ADMIN_URL must be a postgres:\/\/ URL/,
  )
})
