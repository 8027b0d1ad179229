/**
 * The challenge function over real HTTP through the gateway, on the stack's database: bad bodies
 * (each a 4xx with a code that changes nothing), CORS for the site's origin only, the security
 * headers, and reports racing on separate connections. Each answer the handlers give a link is
 * proven through `app.request()` in supabase/functions/challenge/app_test.ts.
 */
import assert from 'node:assert/strict'
import type postgres from 'postgres'
import { connect, stack } from './_stack.ts'
import {
  createSchoolLink,
  newToken,
  partnershipState,
  type SchoolLink,
} from './_challenge_world.ts'

const endpoint = (action: string) => `${stack.apiUrl}/functions/v1/challenge/${action}`

type Answer = { status: number; body: Record<string, unknown>; headers: Headers }

async function post(action: string, body: unknown, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(endpoint(action), {
    method: 'POST',
    ...init,
    headers: {
      'content-type': 'application/json',
      apikey: stack.publishableKey,
      origin: stack.webUrl,
      ...init.headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: response.status, body: await response.json(), headers: response.headers }
}

function errorCode(answer: Answer): unknown {
  return (answer.body.error as { code?: unknown } | undefined)?.code
}

/** Runs `fn` with a database connection and a fresh open link. */
function withLink(fn: (sql: postgres.Sql, link: SchoolLink) => Promise<void>) {
  return async () => {
    const sql = connect()
    try {
      await fn(sql, await createSchoolLink(sql))
    } finally {
      await sql.end()
    }
  }
}

/** Proves `fn` leaves the partnership exactly as it found it. */
async function assertUnchanged(sql: postgres.Sql, link: SchoolLink, fn: () => Promise<void>) {
  const before = await partnershipState(sql, link)
  await fn()
  assert.deepEqual(await partnershipState(sql, link), before)
}

Deno.test(
  'POST /challenge/report refuses malformed, mistyped and oversized bodies with a 4xx code, changing nothing',
  withLink(async (sql, link) => {
    const form = `token=${link.token}&reason=mistake`
    const sentAs = (contentType: string, body: string) =>
      post('report', body, { headers: { 'content-type': contentType } })
    const cases: [string, () => Promise<Answer>, number, string][] = [
      ['malformed JSON', () => post('report', '{"token": '), 400, 'malformed_json'],
      ['a JSON array', () => post('report', '[]'), 400, 'invalid_request'],
      ['no reason', () => post('report', { token: link.token }), 400, 'invalid_request'],
      [
        'a numeric reason',
        () => post('report', { token: link.token, reason: 5 }),
        400,
        'invalid_request',
      ],
      [
        'a token object',
        () => post('report', { token: { $ne: '' }, reason: 'mistake' }),
        400,
        'invalid_request',
      ],
      [
        'a form body',
        () => sentAs('application/x-www-form-urlencoded', form),
        415,
        'unsupported_media_type',
      ],
      ['text/plain that is not JSON', () => sentAs('text/plain', form), 400, 'malformed_json'],
      [
        'text/plain with a numeric reason',
        () => sentAs('text/plain;charset=UTF-8', JSON.stringify({ token: link.token, reason: 5 })),
        400,
        'invalid_request',
      ],
      [
        'a 5 KB body',
        () => post('report', { token: link.token, reason: 'mistake', padding: 'x'.repeat(5000) }),
        413,
        'payload_too_large',
      ],
      [
        'a 300-character reason',
        () => post('report', { token: link.token, reason: 'x'.repeat(300) }),
        400,
        'invalid_request',
      ],
    ]
    await assertUnchanged(sql, link, async () => {
      for (const [name, send, status, code] of cases) {
        const answer = await send()
        assert.equal(answer.status, status, name)
        assert.equal(errorCode(answer), code, name)
        assert.equal(typeof (answer.body.error as { message?: unknown }).message, 'string', name)
      }
    })
    // The link still works after all that.
    assert.equal((await post('report', { token: link.token, reason: 'mistake' })).status, 200)
  }),
)

Deno.test(
  'POST /challenge/status and /report take a JSON body labelled text/plain, as the report page sends it with no preflight',
  withLink(async (sql, link) => {
    // What the browser sends for a simple request: no apikey, no header of the page's own.
    const plain = async (action: string, body: unknown) => {
      const response = await fetch(endpoint(action), {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8', origin: stack.webUrl },
        body: JSON.stringify(body),
      })
      return { status: response.status, body: await response.json(), headers: response.headers }
    }
    const status = await plain('status', { token: link.token })
    assert.equal(status.status, 200)
    assert.equal(status.body.school_name, link.schoolName)
    assert.equal(status.headers.get('access-control-allow-origin'), stack.webUrl)

    const report = await plain('report', { token: link.token, reason: 'mistake' })
    assert.equal(report.status, 200)
    assert.equal(
      ((await partnershipState(sql, link)) as { challenge_reason: string }).challenge_reason,
      'mistake',
    )
  }),
)

Deno.test('GET /challenge/status is not an address: the token may never travel in a URL', async () => {
  const response = await fetch(`${endpoint('status')}?token=${newToken()}`, {
    headers: { apikey: stack.publishableKey },
  })
  assert.equal(response.status, 404)
  assert.equal((await response.json()).error.code, 'not_found')
})

Deno.test('the challenge function answers CORS for the site origin only', async () => {
  const preflight = (origin: string) =>
    fetch(endpoint('report'), {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, apikey',
      },
    })
  const ours = await preflight(stack.webUrl)
  await ours.body?.cancel()
  assert.equal(ours.headers.get('access-control-allow-origin'), stack.webUrl)
  assert.match(ours.headers.get('access-control-allow-headers') ?? '', /content-type/)

  const theirs = await preflight('https://evil.example')
  await theirs.body?.cancel()
  assert.equal(theirs.headers.get('access-control-allow-origin'), null)

  const answer = await post('status', { token: newToken() }, {
    headers: { origin: 'https://evil.example' },
  })
  assert.equal(answer.headers.get('access-control-allow-origin'), null)
})

Deno.test('challenge answers carry security headers and are never cached', async () => {
  const answer = await post('status', { token: newToken() })
  assert.equal(answer.headers.get('cache-control'), 'no-store')
  assert.equal(answer.headers.get('x-content-type-options'), 'nosniff')
  assert.match(answer.headers.get('content-security-policy') ?? '', /default-src 'none'/)
  assert.equal(answer.headers.get('referrer-policy'), 'no-referrer')
})

Deno.test(
  'POST /challenge/report run 20 times at once records one challenge and answers 409 to the rest',
  withLink(async (sql, link) => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => post('report', { token: link.token, reason: 'mistake' })),
    )
    const statuses = answers.map((answer) => answer.status).sort()
    assert.deepEqual(statuses, [200, ...Array(19).fill(409)])
    const [events] = await sql<{ count: number }[]>`
      select count(*)::int as count from public.partnership_events
      where partnership_id = ${link.partnershipId} and kind = 'challenged'`
    assert.equal(events!.count, 1)
  }),
)
