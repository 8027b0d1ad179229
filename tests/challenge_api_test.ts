/**
 * The challenge function over real HTTP through the gateway, on the stack's database: every
 * answer it can give, every kind of bad input (each a 4xx with a code that changes nothing), CORS
 * for the site's origin only, and the security headers.
 */
import assert from 'node:assert/strict'
import type postgres from 'postgres'
import { connect, stack } from './_stack.ts'
import {
  backdateEmail,
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
  'POST /challenge/status returns 200 with the partnership and the five reasons in order',
  withLink(async (_sql, link) => {
    const answer = await post('status', { token: link.token })
    assert.equal(answer.status, 200)
    assert.equal(answer.body.status, 'open')
    assert.equal(answer.body.school_name, link.schoolName)
    assert.equal(answer.body.urn, link.urn)
    assert.equal(answer.body.lead_provider_name, link.leadProviderName)
    assert.equal(answer.body.delivery_partner_name, link.deliveryPartnerName)
    assert.equal(answer.body.cohort, link.cohort)
    assert.match(String(answer.body.deadline), /^\d{4}-\d{2}-\d{2}$/)
    assert.deepEqual(answer.body.reasons, [
      {
        code: 'another_provider',
        label: 'I have already confirmed an agreement with another provider',
      },
      { code: 'not_confirmed', label: 'We have not confirmed an agreement' },
      { code: 'do_not_recognise', label: 'I do not recognise this training provider' },
      { code: 'no_ects', label: 'We do not have any early career teachers this year' },
      { code: 'mistake', label: 'This looks like a mistake' },
    ])
  }),
)

Deno.test(
  'POST /challenge/report returns 200 and records the challenge with its reason and channel',
  withLink(async (sql, link) => {
    const answer = await post('report', { token: link.token, reason: 'do_not_recognise' })
    assert.equal(answer.status, 200)
    assert.deepEqual(answer.body, { status: 'challenged', school_name: link.schoolName })
    const state = await partnershipState(sql, link) as Record<string, unknown>
    assert.ok(state.challenged_at instanceof Date)
    assert.equal(state.challenge_reason, 'do_not_recognise')
    assert.equal(state.challenge_channel, 'email_link')
  }),
)

Deno.test(
  'POST /challenge/report returns 409 already_reported with the school name the second time',
  withLink(async (sql, link) => {
    assert.equal((await post('report', { token: link.token, reason: 'mistake' })).status, 200)
    await assertUnchanged(sql, link, async () => {
      const again = await post('report', { token: link.token, reason: 'no_ects' })
      assert.equal(again.status, 409)
      assert.deepEqual(again.body, {
        error: {
          code: 'already_reported',
          message: `Someone at ${link.schoolName} has already reported this issue`,
          school_name: link.schoolName,
        },
      })
    })
    const status = await post('status', { token: link.token })
    assert.equal(status.status, 409)
    assert.equal(errorCode(status), 'already_reported')
  }),
)

Deno.test(
  'POST /challenge/report returns 410 link_expired once the 14 days have passed',
  withLink(async (sql, link) => {
    await backdateEmail(sql, link, 20)
    await assertUnchanged(sql, link, async () => {
      const answer = await post('report', { token: link.token, reason: 'mistake' })
      assert.equal(answer.status, 410)
      assert.equal(errorCode(answer), 'link_expired')
      const status = await post('status', { token: link.token })
      assert.equal(status.status, 410)
      assert.equal(errorCode(status), 'link_expired')
    })
  }),
)

Deno.test('POST /challenge/status and /report return 404 link_not_found for an unknown token', async () => {
  const token = newToken()
  for (
    const answer of [
      await post('status', { token }),
      await post('report', { token, reason: 'mistake' }),
    ]
  ) {
    assert.equal(answer.status, 404)
    assert.deepEqual(answer.body, {
      error: { code: 'link_not_found', message: 'This link is not valid' },
    })
  }
})

Deno.test(
  'POST /challenge/report returns 404 link_not_found for tokens of the wrong shape, changing nothing',
  withLink(async (sql, link) => {
    const wrongShapes = [
      '',
      link.token.slice(0, 42),
      `${link.token}A`,
      `${link.token.slice(0, 42)}=`,
      `${link.token.slice(0, 42)}+`,
      ` ${link.token.slice(1)}`,
      "' or 1=1 --",
    ]
    await assertUnchanged(sql, link, async () => {
      for (const token of wrongShapes) {
        const answer = await post('report', { token, reason: 'mistake' })
        assert.equal(answer.status, 404, `token ${JSON.stringify(token)}`)
        assert.equal(errorCode(answer), 'link_not_found')
      }
    })
  }),
)

Deno.test(
  'POST /challenge/report returns 422 for a blank or unknown reason, changing nothing',
  withLink(async (sql, link) => {
    await assertUnchanged(sql, link, async () => {
      const blank = await post('report', { token: link.token, reason: '  ' })
      assert.equal(blank.status, 422)
      assert.deepEqual(blank.body, {
        error: {
          code: 'reason_required',
          message: 'Select a reason why you think this confirmation is incorrect',
        },
      })
      for (const reason of ['not_a_reason', 'MISTAKE', 'mistake ']) {
        const unknown = await post('report', { token: link.token, reason })
        assert.equal(unknown.status, 422, `reason ${JSON.stringify(reason)}`)
        assert.equal(errorCode(unknown), 'invalid_reason')
      }
    })
  }),
)

Deno.test(
  'POST /challenge/report refuses malformed, mistyped and oversized bodies with a 4xx code, changing nothing',
  withLink(async (sql, link) => {
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
        () =>
          post('report', `token=${link.token}&reason=mistake`, {
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          }),
        415,
        'unsupported_media_type',
      ],
      [
        'text/plain',
        () =>
          post('report', JSON.stringify({ token: link.token, reason: 'mistake' }), {
            headers: { 'content-type': 'text/plain' },
          }),
        415,
        'unsupported_media_type',
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
