/** Unit: reading the functions' environment part by part, on plain objects (no stack needed). */
import assert from 'node:assert/strict'
import {
  type Config,
  NotConfiguredError,
  notificationKinds,
  readConfig,
  templateVariable,
} from './config.ts'

const key = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'one', alg: 'ES256' }
const serviceRoleKey = 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.c2lnbmF0dXJl'

const platformEnv: Record<string, string> = {
  SUPABASE_URL: 'https://abcdefgh.supabase.co/',
  SUPABASE_DB_URL: 'postgresql://postgres:pw@db.abcdefgh.supabase.co:5432/postgres',
  SUPABASE_PUBLISHABLE_KEYS: '{"default":"sb_publishable_one"}',
  SUPABASE_SECRET_KEYS: '{"default":"sb_secret_one","rotated":"sb_secret_two"}',
  SUPABASE_JWKS: JSON.stringify({ keys: [key] }),
  WEB_ORIGIN: 'https://report.example.gov.uk/some/page',
  SUPPORT_EMAIL: 'support@example.gov.uk',
}

const templateIds = Object.fromEntries(
  notificationKinds.map((kind) => [templateVariable(kind), crypto.randomUUID()]),
)
const notifyEnv: Record<string, string> = {
  NOTIFY_API_KEY: `live-${crypto.randomUUID()}-${crypto.randomUUID()}`,
  NOTIFY_CALLBACK_BEARER_TOKEN: 'a-long-enough-bearer-token',
  ...templateIds,
}

/** A configuration over `env`, with what it logged and how often it read each variable. */
function configOf(env: Record<string, string | undefined>) {
  const logged: string[] = []
  const reads: Record<string, number> = {}
  const config = readConfig((name) => {
    reads[name] = (reads[name] ?? 0) + 1
    return env[name]
  }, (line) => logged.push(line))
  return { config, logged, reads }
}

/** Asserts that reading a part is refused with 503 `not_configured`, and returns its problems. */
function refusal(read: () => unknown): string[] {
  try {
    read()
  } catch (error) {
    assert.ok(error instanceof NotConfiguredError, String(error))
    assert.equal(error.status, 503)
    assert.equal(error.code, 'not_configured')
    return error.problems
  }
  assert.fail('the part was read although its variables are wrong')
}

function readsEveryPlatformPart(config: Config) {
  return [config.supabaseUrl, config.databaseUrl, config.secretKeys, config.webOrigin].map((
    read,
  ) => read())
}

Deno.test('readConfig() reads each platform variable, every secret key and the inline JWKS', () => {
  const { config, logged } = configOf(platformEnv)
  assert.equal(config.supabaseUrl(), 'https://abcdefgh.supabase.co')
  assert.equal(config.databaseUrl(), platformEnv.SUPABASE_DB_URL)
  assert.deepEqual(config.secretKeys(), ['sb_secret_one', 'sb_secret_two'])
  assert.deepEqual(config.jwks(), { keys: [key] })
  assert.equal(config.webOrigin(), 'https://report.example.gov.uk')
  assert.equal(config.supportEmail(), 'support@example.gov.uk')
  assert.deepEqual(logged, [])
})

Deno.test('readConfig() takes SUPABASE_JWKS as a bare array of keys', () => {
  const { config } = configOf({ ...platformEnv, SUPABASE_JWKS: JSON.stringify([key]) })
  assert.deepEqual(config.jwks(), { keys: [key] })
})

Deno.test('readConfig() leaves the JWKS to be fetched when SUPABASE_JWKS is absent or empty', () => {
  for (const value of [undefined, '', '{"keys":[]}', '[]']) {
    const { config, logged } = configOf({ ...platformEnv, SUPABASE_JWKS: value })
    assert.equal(config.jwks(), undefined, `SUPABASE_JWKS=${value}`)
    assert.deepEqual(logged, [])
  }
})

Deno.test('readConfig() refuses a malformed SUPABASE_JWKS and logs its name, not its value', () => {
  for (const value of ['{"keys":"sb_not_a_set"}', 'sb_not_json', '[{"kid":"sb_no_kty"}]']) {
    const { config, logged } = configOf({ ...platformEnv, SUPABASE_JWKS: value })
    assert.deepEqual(refusal(config.jwks), [
      'SUPABASE_JWKS must be a JSON Web Key Set ({"keys":[...]} or [...])',
    ])
    assert.equal(logged.length, 1)
    assert.match(logged[0]!, /"part":"jwks".*SUPABASE_JWKS/)
    assert.ok(!logged[0]!.includes('sb_'), logged[0])
    readsEveryPlatformPart(config)
  }
})

Deno.test('readConfig() admits the legacy service role key on a project with legacy keys only', () => {
  const legacyOnly = {
    ...platformEnv,
    SUPABASE_SECRET_KEYS: undefined,
    SUPABASE_PUBLISHABLE_KEYS: undefined,
    SUPABASE_SERVICE_ROLE_KEY: serviceRoleKey,
    SUPABASE_ANON_KEY: 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2lnbmF0dXJl',
  }
  assert.deepEqual(configOf(legacyOnly).config.secretKeys(), [serviceRoleKey])
  // The platform may say "no keys" with an empty object rather than no variable.
  const emptyKeys = { ...legacyOnly, SUPABASE_SECRET_KEYS: '{}' }
  assert.deepEqual(configOf(emptyKeys).config.secretKeys(), [serviceRoleKey])
})

Deno.test('readConfig() prefers secret keys to a legacy service role key beside them', () => {
  const both = { ...platformEnv, SUPABASE_SERVICE_ROLE_KEY: serviceRoleKey }
  assert.deepEqual(configOf(both).config.secretKeys(), ['sb_secret_one', 'sb_secret_two'])
  const single = {
    ...platformEnv,
    SUPABASE_SECRET_KEYS: undefined,
    SUPABASE_SECRET_KEY: 'sb_secret_single',
    SUPABASE_SERVICE_ROLE_KEY: serviceRoleKey,
  }
  assert.deepEqual(configOf(single).config.secretKeys(), ['sb_secret_single'])
})

Deno.test('readConfig() names every secret key variable when none is set', () => {
  const { config } = configOf({ ...platformEnv, SUPABASE_SECRET_KEYS: undefined })
  assert.deepEqual(refusal(config.secretKeys), [
    'none of SUPABASE_SECRET_KEYS, SUPABASE_SECRET_KEY or SUPABASE_SERVICE_ROLE_KEY is set',
  ])
})

Deno.test('readConfig() names a bad variable without echoing its value', () => {
  const { config, logged } = configOf({ ...platformEnv, SUPABASE_SECRET_KEYS: 'sb_secret_plain' })
  const problems = refusal(config.secretKeys)
  assert.deepEqual(problems, ['SUPABASE_SECRET_KEYS must be a JSON object of named keys'])
  assert.ok(!logged.join('\n').includes('sb_secret_plain'))
})

Deno.test('readConfig() reads a part once and logs a bad part once, however often it is used', () => {
  const { config, logged, reads } = configOf({ ...platformEnv, WEB_ORIGIN: 'not a url' })
  for (let i = 0; i < 3; i++) {
    refusal(config.webOrigin)
    config.databaseUrl()
  }
  assert.equal(logged.length, 1)
  assert.deepEqual(JSON.parse(logged[0]!), {
    level: 'error',
    event: 'not_configured',
    part: 'web_origin',
    problems: ['WEB_ORIGIN must be a URL'],
  })
  assert.equal(reads.WEB_ORIGIN, 1)
  assert.equal(reads.SUPABASE_DB_URL, 1)
})

Deno.test('readConfig() reads nothing until a part is used', () => {
  const { reads } = configOf(platformEnv)
  assert.deepEqual(reads, {})
})

Deno.test('readConfig() reads Notify: a template id for every kind of email, pace by default', () => {
  const { config } = configOf(notifyEnv)
  const notify = config.notifyConfig()
  assert.equal(notify.ratePerMinute, 3000)
  assert.equal(notify.baseUrl, undefined)
  assert.equal(notify.templateIds.school_first, templateIds.NOTIFY_TEMPLATE_SCHOOL_FIRST)
  assert.equal(config.notifyCallbackToken(), 'a-long-enough-bearer-token')
})

Deno.test('readConfig() refuses a missing template id, naming it', () => {
  const { config } = configOf({ ...notifyEnv, NOTIFY_TEMPLATE_SCHOOL_FIRST: undefined })
  assert.deepEqual(refusal(config.notifyConfig), ['NOTIFY_TEMPLATE_SCHOOL_FIRST is not set'])
})

Deno.test('readConfig() with a wrong or missing Notify key disables Notify alone', () => {
  for (const apiKey of ['sb_wrong_notify_key', undefined]) {
    const { config, logged } = configOf({ ...platformEnv, ...notifyEnv, NOTIFY_API_KEY: apiKey })
    assert.deepEqual(refusal(config.notifyConfig), [
      apiKey ? 'NOTIFY_API_KEY must be a full Notify API key' : 'NOTIFY_API_KEY is not set',
    ])
    readsEveryPlatformPart(config)
    assert.equal(config.supportEmail(), 'support@example.gov.uk')
    assert.equal(config.notifyCallbackToken(), 'a-long-enough-bearer-token')
    assert.equal(logged.length, 1)
    assert.ok(!logged[0]!.includes('sb_wrong_notify_key'))
  }
})

Deno.test('readConfig() with a bad database URL disables the database alone', () => {
  const { config } = configOf({ ...platformEnv, SUPABASE_DB_URL: 'mysql://sb_secret@host/db' })
  assert.deepEqual(refusal(config.databaseUrl), ['SUPABASE_DB_URL must be a postgres:// URL'])
  assert.deepEqual(config.secretKeys(), ['sb_secret_one', 'sb_secret_two'])
  assert.equal(config.supabaseUrl(), 'https://abcdefgh.supabase.co')
})

const hookSecret = `v1,whsec_${btoa('a'.repeat(32))}`

Deno.test('sendEmailHook() reads the hook secrets, Notify key and sign-in template alone', () => {
  const templateId = crypto.randomUUID()
  const { config } = configOf({
    SEND_EMAIL_HOOK_SECRET: `${hookSecret}|v1,whsec_${btoa('b'.repeat(32))}`,
    NOTIFY_API_KEY: `live-${crypto.randomUUID()}-${crypto.randomUUID()}`,
    NOTIFY_TEMPLATE_SIGN_IN_CODE: templateId,
  })
  const hook = config.sendEmailHook()
  assert.deepEqual(hook.secrets, [
    `whsec_${btoa('a'.repeat(32))}`,
    `whsec_${btoa('b'.repeat(32))}`,
  ])
  assert.equal(hook.signInCodeTemplateId, templateId)
  assert.equal(hook.notifyBaseUrl, undefined)
})

Deno.test('sendEmailHook() names a secret without its prefix, never echoing it', () => {
  const bare = btoa('c'.repeat(32))
  const { config, logged } = configOf({
    SEND_EMAIL_HOOK_SECRET: bare,
    NOTIFY_API_KEY: `live-${crypto.randomUUID()}-${crypto.randomUUID()}`,
    NOTIFY_TEMPLATE_SIGN_IN_CODE: crypto.randomUUID(),
  })
  const problems = refusal(config.sendEmailHook)
  assert.ok(problems.some((problem) => problem.startsWith('SEND_EMAIL_HOOK_SECRET')), problems[0])
  assert.ok(!JSON.stringify([problems, logged]).includes(bare))
})
