/**
 * Deploy settings that must hold for every function: the hosted gateway's JWT check is off for
 * each (they check callers themselves), and each has the files a deploy needs. Then the functions
 * started, each time in a process of their own, with every shape of the platform's variables its
 * docs allow (the JWKS inline as an object or a bare array, or absent and fetched from Auth; legacy
 * API keys only) and with variables missing or wrong: each shape works, and a bad variable stops
 * only what needs it, with a 503 `not_configured` and a log line naming it without its value.
 */
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { generateKeyPair, SignJWT } from 'jose'
import { freePort } from '../local/config.ts'
import { publicJwks } from '../local/keys.ts'
import { createSchoolLink } from './_challenge_world.ts'
import { type FunctionsProcess, startFunctionsProcess } from './_functions_process.ts'
import { connect, createUser, stack } from './_stack.ts'

const functionsDir = fileURLToPath(new URL('../supabase/functions/', import.meta.url))
const configToml = await Deno.readTextFile(new URL('../supabase/config.toml', import.meta.url))

async function functionNames(): Promise<string[]> {
  const names: string[] = []
  for await (const entry of Deno.readDir(functionsDir)) {
    if (entry.isDirectory && !entry.name.startsWith('_')) names.push(entry.name)
  }
  return names.sort()
}

Deno.test('config.toml turns the gateway JWT check off for every function', async () => {
  for (const name of await functionNames()) {
    const section = configToml.match(
      new RegExp(`^\\[functions\\.${name.replace(/-/g, '\\-')}\\]\\n([^[]*)`, 'm'),
    )
    assert.ok(section, `supabase/config.toml has no [functions.${name}]`)
    assert.match(section[1]!, /^verify_jwt = false$/m, `[functions.${name}] verify_jwt`)
  }
})

Deno.test('every function has index.ts, app.ts and deno.json', async () => {
  for (const name of await functionNames()) {
    for (const file of ['index.ts', 'app.ts', 'deno.json']) {
      const stat = await Deno.stat(`${functionsDir}${name}/${file}`).catch(() => undefined)
      assert.ok(stat?.isFile, `supabase/functions/${name}/${file} is missing`)
    }
  }
})

/** POSTs `body` to a function of `functions` as JSON, with `headers`; returns status and body. */
async function post(
  functions: FunctionsProcess,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${functions.url}/functions/v1/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
  return { status: response.status, headers: response.headers, body: await response.json() }
}

async function getAs(functions: FunctionsProcess, path: string, token: string) {
  const response = await fetch(`${functions.url}/functions/v1/${path}`, {
    headers: { authorization: `Bearer ${token}` },
  })
  return { status: response.status, body: await response.json() }
}

/** Runs `check` against functions started with `envChanges`, then stops them. */
async function withFunctions(
  envChanges: Parameters<typeof startFunctionsProcess>[0],
  check: (functions: FunctionsProcess) => Promise<void>,
) {
  const functions = await startFunctionsProcess(envChanges)
  try {
    await check(functions)
  } finally {
    await functions.stop()
  }
}

/** A token for `sub` with good claims, signed by a key the project does not have. */
async function forgedToken(functions: FunctionsProcess, sub: string): Promise<string> {
  const { privateKey } = await generateKeyPair('ES256')
  return new SignJWT({ role: 'authenticated' })
    .setProtectedHeader({ alg: 'ES256', kid: String(functions.keys.signingKey.kid) })
    .setIssuer(`${functions.url}/auth/v1`)
    .setSubject(sub)
    .setAudience('authenticated')
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(privateKey)
}

/** Asserts the log names each variable and holds none of `secrets`. */
function assertLogNames(functions: FunctionsProcess, names: string[], secrets: string[]) {
  const log = functions.log()
  for (const name of names) {
    assert.match(log, new RegExp(`"event":"not_configured".*${name}`), `the log names ${name}`)
  }
  for (const secret of secrets) assert.ok(!log.includes(secret), 'the log holds a secret')
}

const jwksShapes: [string, Parameters<typeof startFunctionsProcess>[0]][] = [
  ['as {"keys":[...]}', (keys) => ({ SUPABASE_JWKS: JSON.stringify(publicJwks(keys)) })],
  ['as a bare array', (keys) => ({ SUPABASE_JWKS: JSON.stringify(publicJwks(keys).keys) })],
  ['absent (fetched from Auth)', () => ({ SUPABASE_JWKS: null })],
]

for (const [shape, envChanges] of jwksShapes) {
  Deno.test(`functions started with SUPABASE_JWKS ${shape} admit the project's tokens alone`, async () => {
    await withFunctions(envChanges, async (functions) => {
      const { id } = await createUser('jwks-shape')
      // Verified, then refused by the database's rules: this person is no lead provider user.
      const admitted = await getAs(functions, 'provider/me', await functions.accessToken(id))
      assert.equal(admitted.status, 403, JSON.stringify(admitted.body))
      assert.equal(admitted.body.error.code, 'not_a_provider_user')

      const forged = await getAs(functions, 'provider/me', await forgedToken(functions, id))
      assert.equal(forged.status, 401)
      assert.equal(forged.body.error.code, 'unauthorised')
      assert.ok(!functions.log().includes('not_configured'), functions.log())
    })
  })
}

Deno.test('functions that cannot fetch the JWKS answer 503 jwks_unavailable, not a 401', async () => {
  // Nothing listens at this project URL, so Auth's keys cannot be fetched.
  const unreachable = `http://127.0.0.1:${freePort()}`
  await withFunctions(
    () => ({ SUPABASE_JWKS: null, SUPABASE_URL: unreachable }),
    async (functions) => {
      const { id } = await createUser('jwks-unreachable')
      const answer = await getAs(functions, 'provider/me', await functions.accessToken(id))
      assert.equal(answer.status, 503, JSON.stringify(answer.body))
      assert.equal(answer.body.error.code, 'jwks_unavailable')
      assert.match(functions.log(), /"event":"jwks_unavailable"/)
    },
  )
})

Deno.test("functions started with an HS256-signing project's token answer 401 legacy_jwt_signing_key", async () => {
  await withFunctions(() => ({ SUPABASE_JWKS: null }), async (functions) => {
    const { id } = await createUser('legacy-jwt')
    const legacy = await new SignJWT({ role: 'authenticated' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(`${functions.url}/auth/v1`)
      .setSubject(id)
      .setAudience('authenticated')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(`legacy-secret-${crypto.randomUUID()}`))
    for (const path of ['provider/me', 'support/me']) {
      const answer = await getAs(functions, path, legacy)
      assert.equal(answer.status, 401, path)
      assert.equal(answer.body.error.code, 'legacy_jwt_signing_key')
    }
    assert.match(functions.log(), /"event":"legacy_jwt_signing_key"/)
    assert.ok(!functions.log().includes(legacy), 'the log holds the token')
  })
})

Deno.test('functions started with legacy API keys only admit the service role key as the secret key', async () => {
  const legacyKey = async (role: string) =>
    await new SignJWT({ role, ref: 'local' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer('supabase')
      .setIssuedAt()
      .setExpirationTime('10y')
      .sign(new TextEncoder().encode(`legacy-secret-${crypto.randomUUID()}`))
  const serviceRoleKey = await legacyKey('service_role')
  const anonKey = await legacyKey('anon')
  await withFunctions(() => ({
    SUPABASE_SECRET_KEYS: null,
    SUPABASE_PUBLISHABLE_KEYS: null,
    SUPABASE_SERVICE_ROLE_KEY: serviceRoleKey,
    SUPABASE_ANON_KEY: anonKey,
    // No Notify key either: once the caller is admitted the run stops there, so this process
    // never sends the stack's emails with a key the Notify double does not know.
    NOTIFY_API_KEY: null,
  }), async (functions) => {
    const presented: Record<string, string>[] = [
      { authorization: `Bearer ${serviceRoleKey}` },
      { apikey: serviceRoleKey },
    ]
    for (const headers of presented) {
      const admitted = await post(functions, 'notifications', {}, headers)
      assert.equal(admitted.status, 503, JSON.stringify(admitted.body))
      assert.equal(admitted.body.error.code, 'not_configured')
    }
    for (const key of [functions.keys.secretKey, anonKey]) {
      const refused = await post(functions, 'notifications', {}, { authorization: `Bearer ${key}` })
      assert.equal(refused.status, 401)
      assert.equal(refused.body.error.code, 'unauthorised')
    }
    assertLogNames(functions, ['NOTIFY_API_KEY'], [serviceRoleKey, anonKey])
  })
})

Deno.test("functions started with a wrong Notify key still answer the school's report page", async () => {
  const wrongKey = `not-a-notify-key-${crypto.randomUUID()}`
  await withFunctions(() => ({ NOTIFY_API_KEY: wrongKey }), async (functions) => {
    const sql = connect()
    try {
      const link = await createSchoolLink(sql)
      const page = { origin: stack.webUrl }
      const status = await post(functions, 'challenge/status', { token: link.token }, page)
      assert.equal(status.status, 200, JSON.stringify(status.body))
      assert.equal(status.body.school_name, link.schoolName)
      assert.equal(status.headers.get('access-control-allow-origin'), stack.webUrl)
      const report = await post(functions, 'challenge/report', {
        token: link.token,
        reason: 'mistake',
      }, page)
      assert.equal(report.status, 200, JSON.stringify(report.body))
      assert.equal(report.body.status, 'challenged')
    } finally {
      await sql.end()
    }

    const secret = { authorization: `Bearer ${functions.keys.secretKey}` }
    const sender = await post(functions, 'notifications', {}, secret)
    assert.equal(sender.status, 503)
    assert.deepEqual(sender.body.error.code, 'not_configured')
    // Receipts need only their own bearer token, not the Notify key.
    const receipt = await post(functions, 'notify-callback', {}, { authorization: 'Bearer wrong' })
    assert.equal(receipt.status, 401)
    assertLogNames(functions, ['NOTIFY_API_KEY'], [wrongKey])
  })
})

Deno.test('functions started with a bad database URL and no web origin answer 503 not_configured, never 500', async () => {
  const password = `db-password-${crypto.randomUUID()}`
  await withFunctions(() => ({
    SUPABASE_DB_URL: `mysql://postgres:${password}@127.0.0.1:1/postgres`,
    WEB_ORIGIN: null,
  }), async (functions) => {
    const answer = await post(functions, 'challenge/status', { token: 'a'.repeat(43) }, {
      origin: stack.webUrl,
    })
    assert.equal(answer.status, 503)
    assert.equal(answer.body.error.code, 'not_configured')
    // Without a web origin no site is admitted, but callers that are not browsers still are.
    assert.equal(answer.headers.get('access-control-allow-origin'), null)
    const refused = await post(functions, 'notifications', {}, { authorization: 'Bearer wrong' })
    assert.equal(refused.status, 401)
    assertLogNames(functions, ['SUPABASE_DB_URL', 'WEB_ORIGIN'], [password])
    assert.ok(!functions.log().includes('unhandled_error'), functions.log())
  })
})
