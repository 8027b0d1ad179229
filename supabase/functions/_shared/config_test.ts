/** Unit: reading the functions' environment, on plain objects (no stack needed). */
import assert from 'node:assert/strict'
import {
  notificationKinds,
  parseNotifyConfig,
  parsePlatformConfig,
  templateVariable,
} from './config.ts'

const platformEnv = {
  SUPABASE_URL: 'https://abcdefgh.supabase.co/',
  SUPABASE_DB_URL: 'postgresql://postgres:pw@db.abcdefgh.supabase.co:5432/postgres',
  SUPABASE_PUBLISHABLE_KEYS: '{"default":"sb_publishable_one"}',
  SUPABASE_SECRET_KEYS: '{"default":"sb_secret_one","rotated":"sb_secret_two"}',
  WEB_ORIGIN: 'https://report.example.gov.uk/some/page',
  SUPPORT_EMAIL: 'support@example.gov.uk',
}

Deno.test('parsePlatformConfig() reads the platform variables and every secret key', () => {
  const config = parsePlatformConfig(platformEnv)
  assert.equal(config.supabaseUrl, 'https://abcdefgh.supabase.co')
  assert.deepEqual(config.secretKeys, ['sb_secret_one', 'sb_secret_two'])
  assert.deepEqual(config.publishableKeys, ['sb_publishable_one'])
  assert.equal(config.webOrigin, 'https://report.example.gov.uk')
  assert.equal(config.jwks, undefined)
})

Deno.test('parsePlatformConfig() names a bad variable without echoing its value', () => {
  assert.throws(
    () => parsePlatformConfig({ ...platformEnv, SUPABASE_SECRET_KEYS: 'sb_secret_plain' }),
    (error: Error) =>
      error.message.includes('SUPABASE_SECRET_KEYS') && !error.message.includes('sb_secret_plain'),
  )
})

Deno.test('parseNotifyConfig() reads a template id for every kind of email', () => {
  const ids = Object.fromEntries(
    notificationKinds.map((kind) => [templateVariable(kind), crypto.randomUUID()]),
  )
  const config = parseNotifyConfig({
    NOTIFY_API_KEY: `live-${crypto.randomUUID()}-${crypto.randomUUID()}`,
    NOTIFY_CALLBACK_BEARER_TOKEN: 'a-long-enough-bearer-token',
    ...ids,
  })
  assert.equal(config.ratePerMinute, 3000)
  assert.equal(config.baseUrl, undefined)
  assert.equal(config.templateIds.school_first, ids.NOTIFY_TEMPLATE_SCHOOL_FIRST)
})

Deno.test('parseNotifyConfig() refuses a missing template id', () => {
  assert.throws(
    () =>
      parseNotifyConfig({
        NOTIFY_API_KEY: `live-${crypto.randomUUID()}-${crypto.randomUUID()}`,
        NOTIFY_CALLBACK_BEARER_TOKEN: 'a-long-enough-bearer-token',
      }),
    /NOTIFY_TEMPLATE_SCHOOL_FIRST/,
  )
})
