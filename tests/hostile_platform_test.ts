/**
 * Hostile input to the platform's own callers' doors: `notifications` (pg_net and pg_cron with
 * the secret key) and `notify-callback` (GOV.UK Notify with its bearer token), through the
 * gateway, and CORS preflights from foreign origins on every function. The callback's body is
 * only reachable with Notify's token, which the stack keeps to itself, so generated receipts go
 * to its `app.request()` with a token of the test's own, with the function's error log watched.
 */
import assert from 'node:assert/strict'
import fc from 'fast-check'
import * as insert from './world.ts'
import templates from '../notify/templates/templates.json' with { type: 'json' }
import { createSchoolLink, type SchoolLink } from './_challenge_world.ts'
import {
  assertNoErrorLogged,
  assertRefused,
  assertUnchanged,
  readAnswer,
  send,
} from './_hostile_checks.ts'
import {
  extraMembers,
  forEachInput,
  foreignOrigins,
  jsonNotObjects,
  nastyText,
  notANumber,
  notAString,
  notAUuid,
  notJsonBodies,
  notJsonContentTypes,
  notUtf8Bodies,
} from './_hostile_inputs.ts'
import { connect, stack, stackFunctionDeps } from './_stack.ts'
import { createNotifyCallbackApp } from '../supabase/functions/notify-callback/app.ts'

/** Any JSON a caller might send: right, wrong or absurd. */
const anyBody = fc.oneof(
  fc.constant({}),
  fc.record({ timeBudgetSeconds: fc.integer({ min: 1, max: 50 }) }),
  fc.jsonValue({ maxDepth: 3 }),
  extraMembers(),
)

/** Keys and tokens that are not the project's secret key. */
const notTheSecretKey = [
  stack.publishableKey,
  `${stack.secretKey}x`,
  stack.secretKey.slice(0, -1),
  stack.secretKey.toUpperCase(),
  `sb_secret_${'A'.repeat(43)}`,
  'null',
]

Deno.test(
  'POST /notifications answers 401 to 120 generated bodies without the secret key',
  async () => {
    const presented = fc.constantFrom(
      ...notTheSecretKey.map((key) => ({ authorization: `Bearer ${key}` })),
      ...notTheSecretKey.map((key) => ({ apikey: key, authorization: '' })),
      { authorization: `Basic ${btoa(`service_role:${stack.secretKey}`)}` },
      { authorization: `Bearer ${stack.secretKey} ${stack.secretKey}` },
    )
    await forEachInput(fc.tuple(anyBody, presented), 120, async ([body, headers]) => {
      const answer = await send({ path: '/notifications', json: body, headers })
      assertRefused(answer, { codes: ['unauthorised'], secrets: [stack.secretKey] })
    })
  },
)

/** A run request the sender must refuse: a bad time budget, or a member it does not take. */
const badRunRequest = fc.oneof(
  fc.record({
    timeBudgetSeconds: fc.oneof(
      notANumber(),
      fc.integer({ max: 0 }),
      fc.integer({ min: 51 }),
      fc.double({ noInteger: true }),
    ),
  }),
  fc.tuple(
    fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined }),
    fc.dictionary(
      fc.constantFrom('unexpected', 'batchSize', 'concurrency', 'timebudgetseconds', 'role'),
      fc.jsonValue({ maxDepth: 1 }),
      { minKeys: 1 },
    ),
  ).map(([timeBudgetSeconds, extra]) => ({ ...extra, timeBudgetSeconds })),
)

Deno.test(
  'POST /notifications with the secret key refuses 120 generated bad run requests with a 4xx before any run',
  async () => {
    const bearer = stack.secretKey
    await forEachInput(badRunRequest, 120, async (body) => {
      const answer = await send({ path: '/notifications', json: body, bearer })
      assertRefused(answer, { codes: ['invalid_request'] })
    })
    for (const raw of [...notJsonBodies, ...jsonNotObjects, ...notUtf8Bodies]) {
      const answer = await send({ path: '/notifications', raw, bearer })
      assertRefused(answer, { codes: ['malformed_json', 'invalid_request'] })
    }
    for (const contentType of notJsonContentTypes) {
      const answer = await send({ path: '/notifications', raw: '{}', contentType, bearer })
      assertRefused(answer, { codes: ['unsupported_media_type'] })
    }
    const big = await send({ path: '/notifications', json: { pad: 'x'.repeat(2_000) }, bearer })
    assertRefused(big, { codes: ['payload_too_large'] })
  },
)

Deno.test(
  'POST /notify-callback answers 401 to 120 generated receipts without Notify’s bearer token',
  async () => {
    const presented = fc.constantFrom(
      undefined,
      stack.secretKey,
      stack.publishableKey,
      'not-the-token',
      `${'A'.repeat(64)}`,
    )
    const body = fc.oneof(anyBody, receipt({ id: fc.uuid(), reference: fc.constant(null) }))
    await forEachInput(fc.tuple(body, presented), 120, async ([json, bearer]) => {
      const answer = await send({ path: '/notify-callback', json, bearer })
      assertRefused(answer, { codes: ['unauthorised'] })
    })
  },
)

Deno.test('every function gives foreign origins no CORS access', async () => {
  const paths = [
    '/challenge/status',
    '/provider/me',
    '/provider/reports',
    '/support/schools',
    '/notifications',
    '/notify-callback',
  ]
  for (const path of paths) {
    for (const origin of foreignOrigins) {
      const answer = await send({
        method: 'OPTIONS',
        path,
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      })
      // The documented empty answer to a preflight, without leave to read or send.
      assert.equal(answer.status, 204, `${path} ${origin}`)
      assert.equal(answer.text, '')
      assert.equal(answer.headers.get('access-control-allow-origin'), null, `${path} ${origin}`)
    }
  }
})

/** A delivery receipt in Notify's shape, with the fields given replaced. */
function receipt(fields: { [name: string]: fc.Arbitrary<unknown> }) {
  return fc.record({
    id: fc.uuid(),
    reference: fc.option(fc.uuid(), { nil: null }),
    to: fc.constant('tutor@school.example.test'),
    status: fc.constantFrom('delivered', 'permanent-failure', 'temporary-failure'),
    created_at: fc.constant('2026-11-29T09:00:00.000000Z'),
    completed_at: fc.constant('2026-11-29T09:00:05.000000Z'),
    sent_at: fc.constant('2026-11-29T09:00:01.000000Z'),
    notification_type: fc.constant('email'),
    template_id: fc.constant(templates[0]!.id),
    template_version: fc.constant(1),
    ...fields,
  })
}

/** Dates Notify never sends: JavaScript accepts them, Postgres cannot store most of them. */
const absurdTimestamps = fc.constantFrom(
  '-271821-04-20T00:00:00Z',
  '+275760-09-13T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '0000-12-31T23:59:59Z',
  '0001-01-01T00:30:00+01:00',
  '9999-12-31T23:00:00-05:00',
  '10000-01-01T00:00:00Z',
  '2026-02-30T00:00:00Z',
  '2026-11-29 09:00:00',
  '2026-11-29T09:00:00.000000Z\u0000',
  'yesterday',
  '',
  'NaN',
)

/** The callback app in this process, admitting `token`. */
async function callbackApp(token: string) {
  const deps = await stackFunctionDeps({ NOTIFY_CALLBACK_BEARER_TOKEN: token })
  return { app: createNotifyCallbackApp(deps), closeDb: () => deps.database.close() }
}

/** The school's first email, as the sender leaves it once Notify accepted it. */
async function sentEmail(sql: ReturnType<typeof connect>, link: SchoolLink) {
  const notify_id = crypto.randomUUID()
  const [notification_id] = await insert.notifications(sql, [{
    partnershipId: link.partnershipId,
    kind: 'tutor_first',
    recipientEmail: 'tutor@school.example.test',
    recipientKind: 'induction_tutor',
    status: 'sent',
    attempts: 1,
    notifyId: notify_id,
    sentAt: new Date().toISOString(),
  }])
  return { notification_id: notification_id!, notify_id }
}

Deno.test(
  'notify-callback refuses 200 generated malformed receipts for a real email with a 4xx, changes nothing and logs no error',
  async () => {
    const token = `callback-token-${crypto.randomUUID()}`
    const { app, closeDb } = await callbackApp(token)
    const sql = connect()
    try {
      const link = await createSchoolLink(sql)
      const email = await sentEmail(sql, link)
      const known = {
        id: fc.constant(email.notify_id),
        reference: fc.constant(email.notification_id),
      }
      const malformed = fc.oneof(
        receipt({ ...known, completed_at: absurdTimestamps }),
        receipt({ ...known, created_at: absurdTimestamps }),
        receipt({
          ...known,
          reference: fc.oneof(
            notAString().filter((value) => value !== null),
            fc.integer({ min: 1_001, max: 3_000 }).map((length) => 'r'.repeat(length)),
          ),
        }),
        receipt({ ...known, reference: fc.constantFrom('ref\u0000', '\ud800') }),
        receipt({
          ...known,
          // Lowercase words and hyphens are Notify's statuses: those not final are ignored.
          status: fc.oneof(nastyText(), notAString(), fc.constant('DELIVERED'))
            .filter((status) => typeof status !== 'string' || !/^[a-z-]{1,40}$/.test(status)),
        }),
        receipt({ ...known, notification_type: fc.oneof(nastyText(), fc.constant('EMAIL')) }),
        receipt({
          ...known,
          template_version: fc.oneof(notANumber(), fc.double({ noInteger: true })),
        }),
        receipt({ id: notAUuid(), reference: fc.constant(email.notification_id) }),
        // Over the function's 8 KB limit.
        receipt({ ...known, to: fc.constant(`${'x'.repeat(9_000)}@school.example.test`) }),
        fc.oneof(anyBody, fc.constant({ id: email.notify_id })),
      )
      const scope = { partnershipIds: [link.partnershipId] }
      await assertNoErrorLogged(() =>
        assertUnchanged(sql, scope, () =>
          forEachInput(malformed, 200, async (body) => {
            const response = await app.request('/notify-callback', {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
              body: JSON.stringify(body),
            })
            const answer = await readAnswer(response, 'POST /notify-callback')
            assertRefused(answer, { codes: ['invalid_request', 'payload_too_large'] })
          }))
      )
    } finally {
      await sql.end()
      await closeDb()
    }
  },
)
