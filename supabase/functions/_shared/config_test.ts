/** Unit: reading the functions' environment, on plain objects (no stack needed). */
import assert from 'node:assert/strict'
import {
  notificationKinds,
  parseNotifyConfig,
  parsePlatformConfig,
  parseSendEmailHookConfig,
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

const hookSecret = `v1,whsec_${btoa('a'.repeat(32))}`

Deno.test('parseSendEmailHookConfig() reads the hook secrets, Notify key and sign-in template', () => {
  const templateId = crypto.randomUUID()
  const config = parseSendEmailHookConfig({
    SEND_EMAIL_HOOK_SECRET: `${hookSecret}|v1,whsec_${btoa('b'.repeat(32))}`,
    NOTIFY_API_KEY: `live-${crypto.randomUUID()}-${crypto.randomUUID()}`,
    NOTIFY_TEMPLATE_SIGN_IN_CODE: templateId,
  })
  assert.deepEqual(config.secrets, [
    `whsec_${btoa('a'.repeat(32))}`,
    `whsec_${btoa('b'.repeat(32))}`,
  ])
  assert.equal(config.signInCodeTemplateId, templateId)
  assert.equal(config.notifyBaseUrl, undefined)
})

Deno.test('parseSendEmailHookConfig() names a secret without its prefix, never echoing it', () => {
  const bare = btoa('c'.repeat(32))
  assert.throws(
    () =>
      parseSendEmailHookConfig({
        SEND_EMAIL_HOOK_SECRET: bare,
        NOTIFY_API_KEY: `live-${crypto.randomUUID()}-${crypto.randomUUID()}`,
        NOTIFY_TEMPLATE_SIGN_IN_CODE: crypto.randomUUID(),
      }),
    (error: Error) =>
      error.message.includes('SEND_EMAIL_HOOK_SECRET') && !error.message.includes(bare),
  )
})
