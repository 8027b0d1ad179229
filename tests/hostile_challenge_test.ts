/**
 * Hostile input to the public `challenge` function (no sign-in: the link's token is the
 * credential), through the gateway as the report page would call it: generated bodies of every
 * wrong shape, bodies that are not JSON (labelled JSON or, as the page's own are, text/plain) or
 * too big, replayed and expired links, foreign origins.
 * Every answer is a 4xx with a specific code, leaks nothing, and changes none of the link's rows.
 */
import assert from 'node:assert/strict'
import fc from 'fast-check'
import type postgres from 'postgres'
import { createSchoolLink, newToken, type SchoolLink } from './_challenge_world.ts'
import { assertRefused, assertUnchanged, send } from './_hostile_checks.ts'
import * as inputs from './_hostile_inputs.ts'
import { connect } from './_stack.ts'

/**
 * The page's simple requests label JSON `text/plain` (web/src/report_api.ts); every other type
 * that is not JSON is refused.
 */
const plainText = ['text/plain', 'text/plain;charset=UTF-8']
const refusedContentTypes = inputs.notJsonContentTypes.filter((type) => !plainText.includes(type))

/** Codes a refused body may carry, whatever is wrong with it (escaped huge text tops 4 KB). */
const bodyCodes = [
  'payload_too_large',
  'invalid_request',
  'malformed_json',
  'link_not_found',
  'reason_required',
  'invalid_reason',
]

function withLinks(
  fn: (sql: postgres.Sql, links: { open: SchoolLink; other: SchoolLink }) => Promise<void>,
) {
  return async () => {
    const sql = connect()
    try {
      await fn(sql, { open: await createSchoolLink(sql), other: await createSchoolLink(sql) })
    } finally {
      await sql.end()
    }
  }
}

const scopeOf = (...links: SchoolLink[]) => ({
  partnershipIds: links.map((link) => link.partnershipId),
})

/** 32 bytes as base64url without padding: the shape of a real token, but not one we sent. */
function asToken(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_')
    .replace(/=+$/, '')
}

/** A token field that is never a live link: wrong type, nasty text, or a well-formed stranger. */
const notALiveToken = fc.oneof(
  inputs.notAString(),
  inputs.nastyText(),
  inputs.hugeText(),
  fc.constant(undefined),
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map(asToken),
)

/** A reason that is not one of the five: wrong type, blank, nasty, or a near miss. */
const notAReason = fc.oneof(
  inputs.notAString(),
  inputs.nastyText(),
  inputs.hugeText(),
  fc.constant(undefined),
  fc.constantFrom('', ' ', 'MISTAKE', 'mistake ', ' mistake', 'mistake\u0000', 'mistak'),
  fc.constantFrom(...inputs.reasonCodes).map((reason) => `${reason}' or 'a'='a`),
)

Deno.test(
  'POST /challenge/status refuses 150 generated bodies without a live token with a 4xx and changes nothing',
  withLinks(async (sql, { open, other }) => {
    await assertUnchanged(sql, scopeOf(open, other), () =>
      inputs.forEachInput(
        fc.record({ token: notALiveToken, extra: inputs.extraMembers() }),
        150,
        async ({ token, extra }) => {
          const answer = await send({ path: '/challenge/status', json: { ...extra, token } })
          assertRefused(answer, { codes: bodyCodes, secrets: [open.schoolName, other.token] })
        },
      ))
  }),
)

Deno.test(
  'POST /challenge/report refuses 200 generated bodies (live token with a bad reason, or a bad token with any reason) and changes nothing',
  withLinks(async (sql, { open, other }) => {
    const body = fc.oneof(
      fc.record({ token: fc.constant(open.token), reason: notAReason }),
      fc.record({
        token: notALiveToken,
        reason: fc.oneof(fc.constantFrom(...inputs.reasonCodes), notAReason),
      }),
    )
    await assertUnchanged(
      sql,
      scopeOf(open, other),
      () =>
        inputs.forEachInput(fc.tuple(body, inputs.extraMembers()), 200, async ([fields, extra]) => {
          const answer = await send({ path: '/challenge/report', json: { ...extra, ...fields } })
          assertRefused(answer, { codes: bodyCodes, secrets: [other.schoolName, other.token] })
        }),
    )
  }),
)

Deno.test(
  'challenge refuses bodies that are not JSON objects (labelled JSON or text/plain), not UTF-8, typed as anything else, or too big, and changes nothing',
  withLinks(async (sql, { open }) => {
    await assertUnchanged(sql, scopeOf(open), async () => {
      for (const path of ['/challenge/status', '/challenge/report']) {
        for (const contentType of ['application/json', ...plainText]) {
          for (
            const raw of [
              ...inputs.notJsonBodies,
              ...inputs.jsonNotObjects,
              ...inputs.notUtf8Bodies,
            ]
          ) {
            assertRefused(await send({ path, raw, contentType }), {
              codes: ['malformed_json', 'invalid_request'],
            })
          }
        }
        const live = JSON.stringify({ token: open.token, reason: 'mistake' })
        for (const contentType of refusedContentTypes) {
          const answer = await send({ path, raw: live, contentType })
          assertRefused(answer, { codes: ['unsupported_media_type'] })
        }
        // Over the function's 4 KB limit, with a live token and a valid reason inside.
        const padded = JSON.stringify({
          token: open.token,
          reason: 'mistake',
          pad: 'x'.repeat(5000),
        })
        assertRefused(await send({ path, raw: padded }), { codes: ['payload_too_large'] })
        const streamed = new Blob([padded]).stream()
        assertRefused(await send({ path, raw: streamed }), { codes: ['payload_too_large'] })
        const deep = `${'['.repeat(2000)}${']'.repeat(2000)}`
        assertRefused(await send({ path, raw: deep }), { codes: ['invalid_request'] })
        assertRefused(await send({ path, method: 'POST' }), {
          codes: ['malformed_json', 'invalid_request'],
        })
      }
    })
  }),
)

Deno.test(
  'challenge answers other methods and paths, traversal included, with a 404 and changes nothing',
  withLinks(async (sql, { open }) => {
    const live = { token: open.token, reason: 'mistake' }
    await assertUnchanged(sql, scopeOf(open), async () => {
      for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
        const answer = await send({
          method,
          path: '/challenge/report',
          json: method === 'GET' ? undefined : live,
        })
        assertRefused(answer, { codes: ['not_found'] })
      }
      for (
        const path of [
          '/challenge',
          '/challenge/',
          '/challenge/report/',
          '/challenge/report/..%2freport',
          '/challenge/..%2fprovider%2fme',
          '/challenge/%2e%2e/provider/me',
          '/challenge/report%00',
          '/challenge/REPORT',
        ]
      ) {
        // The URL parser resolves `%2e%2e` as a browser does, so that one reaches the provider
        // function, which wants a signed-in user.
        assertRefused(await send({ path, json: live }), { codes: ['not_found', 'unauthorised'] })
      }
    })
  }),
)

Deno.test(
  'a replayed link answers 409 already_reported to 60 generated reports and records nothing more',
  withLinks(async (sql, { open }) => {
    const first = await send({
      path: '/challenge/report',
      json: { token: open.token, reason: 'not_confirmed' },
    })
    assert.equal(first.status, 200, first.text)
    await assertUnchanged(
      sql,
      scopeOf(open),
      () =>
        inputs.forEachInput(fc.constantFrom(...inputs.reasonCodes), 60, async (reason) => {
          const answer = await send({
            path: '/challenge/report',
            json: { token: open.token, reason },
          })
          assertRefused(answer, { codes: ['already_reported'] })
          assert.equal(
            (answer.body as { error: { school_name: string } }).error.school_name,
            open.schoolName,
          )
        }),
    )
    const [row] = await sql`
      select challenge_reason from public.partnerships where partnership_id = ${open.partnershipId}`
    assert.equal(row!.challenge_reason, 'not_confirmed', 'the first report stands')
  }),
)

Deno.test('an expired link answers 410 link_expired to every reason and changes nothing', async () => {
  const sql = connect()
  try {
    const expired = await createSchoolLink(sql, { emailedDaysAgo: 30 })
    await assertUnchanged(sql, scopeOf(expired), async () => {
      assertRefused(await send({ path: '/challenge/status', json: { token: expired.token } }), {
        codes: ['link_expired'],
      })
      for (const reason of inputs.reasonCodes) {
        const answer = await send({
          path: '/challenge/report',
          json: { token: expired.token, reason },
        })
        assertRefused(answer, { codes: ['link_expired'] })
      }
    })
  } finally {
    await sql.end()
  }
})

Deno.test(
  'challenge gives a foreign origin no CORS access, to a preflight or a report',
  withLinks(async (sql, { open }) => {
    await assertUnchanged(sql, scopeOf(open), async () => {
      for (const origin of inputs.foreignOrigins) {
        const preflight = await send({
          method: 'OPTIONS',
          path: '/challenge/report',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'content-type',
          },
        })
        // The documented empty answer to a preflight, without leave to read or send.
        assert.equal(preflight.status, 204)
        assert.equal(preflight.text, '')
        assert.equal(preflight.headers.get('access-control-allow-origin'), null, origin)
        const simple = await send({
          path: '/challenge/status',
          json: { token: newToken() },
          headers: { origin },
        })
        assertRefused(simple, { codes: ['link_not_found'] })
        assert.equal(simple.headers.get('access-control-allow-origin'), null, origin)
      }
    })
  }),
)
