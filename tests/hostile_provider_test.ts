/**
 * Hostile input to the `provider` function through the gateway, as lead provider B of a world
 * where lead provider A has reported three schools: generated query strings, ids, report bodies
 * and forged access tokens. Every refusal is a 4xx with a specific code, nothing of A's reaches
 * B, and none of the world's rows change. Schools here have no address, so their emails are
 * `no_address` rows the sender never touches and the snapshot holds still.
 */
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {
  type Answer,
  assertNoSecrets,
  assertRefused,
  forgedStackTokens,
  type HostileRequest,
  send,
  withUnchangedWorld,
} from './_hostile_checks.ts'
import * as inputs from './_hostile_inputs.ts'
import {
  createProviderWorld,
  type ProviderWorld,
  type Reported,
  reportedOnce,
} from './provider_world.ts'

type World = ProviderWorld & Reported

/** One world for the file: A's report of three schools without an address. */
const world = reportedOnce(() => createProviderWorld({ schools: 0 }), async (w, schools) => {
  const answer = await send({
    path: '/provider/reports',
    bearer: w.a.accessToken,
    json: {
      cohort: w.cohort,
      delivery_partner_id: w.a.deliveryPartner.id,
      urns: schools.map((school) => school.urn),
    },
  })
  assert.equal(answer.status, 200, answer.text)
  return (answer.body as { rows: { partnership_id: string }[] }).rows
    .map((row) => row.partnership_id)
})

/** What of A's must never reach B. */
const secretsOfA = (w: World) => [
  w.a.name,
  w.a.deliveryPartner.name,
  w.a.user.email,
  ...w.reported.flatMap((school) => [school.name, school.urn]),
  ...w.partnershipIds,
]

/** Runs `fn` with the world, and proof that the world did not change. */
const unchangedWorld = (fn: (w: World) => Promise<void>) => withUnchangedWorld(world, fn)

/** A query string of the given parameters; lone surrogates become U+FFFD, as in a browser. */
function query(params: Record<string, string | undefined>): string {
  const defined = Object.entries(params).filter((entry): entry is [string, string] =>
    entry[1] !== undefined
  )
  return new URLSearchParams(defined).toString()
}

const notACohort = fc.oneof(
  fc.constantFrom(...inputs.absurdNumbers),
  inputs.nastyTextWithoutDigits(),
  fc.constantFrom('1999', '10000', '2026.5', '-2026'),
)

const notAPage = fc.oneof(
  fc.constantFrom(...inputs.absurdNumbers),
  inputs.nastyTextWithoutDigits(),
  fc.constantFrom('100001', '-0', '2.0e5'),
)

Deno.test(
  'GET /provider/partnerships and .csv refuse 150 generated absurd cohorts and pages with 400 and change nothing',
  unchangedWorld(async (w) => {
    const params = fc.oneof(
      fc.record({ cohort: notACohort, page: fc.option(notAPage, { nil: undefined }) }),
      fc.record({ cohort: fc.constant(String(w.cohort)), page: notAPage }),
    )
    await inputs.forEachInput(
      fc.tuple(params, fc.constantFrom('/partnerships', '/partnerships.csv')),
      150,
      async ([{ cohort, page }, route]) => {
        const answer = await send({
          path: `/provider${route}?${query({ cohort, page, per_page: '1000000' })}`,
          bearer: w.b.accessToken,
        })
        assertRefused(answer, { codes: ['invalid_request'], secrets: secretsOfA(w) })
      },
    )
  }),
)

Deno.test(
  'GET /provider/partnerships shows B none of A’s schools for 150 generated searches, and A only its own',
  unchangedWorld(async (w) => {
    await inputs.forEachInput(fc.oneof(inputs.nastyText(), inputs.hugeText()), 150, async (q) => {
      const sent = new URLSearchParams({ q }).get('q')!
      const tooLong = inputs.characterCount(sent.trim()) > 200
      for (const caller of [w.b, w.a]) {
        const answer = await send({
          path: `/provider/partnerships?${query({ cohort: String(w.cohort), q, per_page: '1e9' })}`,
          bearer: caller.accessToken,
        })
        if (tooLong || sent.includes('\u0000')) {
          assertRefused(answer, { codes: ['invalid_request'], secrets: secretsOfA(w) })
          continue
        }
        assert.equal(answer.status, 200, answer.text)
        const body = answer.body as { page_size: number; partnerships: { urn: string }[] }
        assert.equal(body.page_size, 20, 'per_page is not ours to set')
        if (caller === w.b) {
          assert.deepEqual(body.partnerships, [])
          assertNoSecrets(answer, secretsOfA(w))
        } else {
          const own = w.reported.map((school) => school.urn)
          for (const row of body.partnerships) assert.ok(own.includes(row.urn), row.urn)
        }
      }
    })
  }),
)

Deno.test(
  'GET /provider/partnerships/:id refuses 150 generated ids that are not uuids with a 4xx and changes nothing',
  unchangedWorld(async (w) => {
    const codes = ['invalid_request', 'not_found', 'partnership_not_found']
    await inputs.forEachInput(inputs.notAUuid(), 150, async (id) => {
      const answer = await send({
        path: `/provider/partnerships/${encodeURIComponent(id.toWellFormed())}`,
        bearer: w.b.accessToken,
      })
      assertRefused(answer, { codes, secrets: secretsOfA(w) })
    })
    for (const segment of ['..', '..%2f..%2fsupport%2fschools', '%2e%2e', '%00', '%zz', '%']) {
      const answer = await send({
        path: `/provider/partnerships/${segment}`,
        bearer: w.b.accessToken,
      })
      assertRefused(answer, { codes, secrets: secretsOfA(w) })
    }
  }),
)

Deno.test(
  'GET /provider/partnerships/:id answers B for each of A’s schools exactly as for 20 ids that do not exist',
  unchangedWorld(async (w) => {
    const notFound = (answer: Answer) => {
      assertRefused(answer, { codes: ['partnership_not_found'], secrets: secretsOfA(w) })
      return answer.text
    }
    const forNone = new Set<string>()
    await inputs.forEachInput(fc.uuid(), 20, async (id) => {
      forNone.add(
        notFound(await send({ path: `/provider/partnerships/${id}`, bearer: w.b.accessToken })),
      )
    })
    for (const id of w.partnershipIds) {
      const forA = notFound(
        await send({ path: `/provider/partnerships/${id}`, bearer: w.b.accessToken }),
      )
      assert.ok(forNone.has(forA), forA)
    }
  }),
)

/** A report body that B sends: each field right, wrong, missing, or someone else's. */
function reportBodies(w: World) {
  return fc.record({
    cohort: fc.oneof(
      fc.constant(w.cohort),
      inputs.notANumber(),
      fc.integer({ min: -1_000_000, max: 1_999 }),
      fc.double({ noInteger: true }),
      fc.constant(undefined),
    ),
    delivery_partner_id: fc.oneof(
      fc.constant(w.b.deliveryPartner.id),
      fc.constant(w.a.deliveryPartner.id),
      fc.uuid(),
      inputs.notAUuid(),
      inputs.notAString(),
      fc.constant(undefined),
    ),
    urns: fc.oneof(
      fc.constant(undefined),
      fc.array(inputs.nastyTextWithoutDigits(), { maxLength: 5 }),
      fc.array(fc.oneof(inputs.notAString(), inputs.nastyTextWithoutDigits()), {
        minLength: 1,
        maxLength: 3,
      }),
      inputs.notAString(),
    ),
    csv: fc.oneof(fc.constant(undefined), inputs.nastyTextWithoutDigits(), inputs.notAString()),
    extra: inputs.extraMembers(),
  })
}

const reportRefusals = [
  'invalid_request',
  'payload_too_large',
  'delivery_partner_not_related',
  'cohort_not_found',
  'no_urns',
  'too_many_rows',
  'file_too_large',
]

Deno.test(
  'POST /provider/reports and /reports/check refuse or find no school in 200 generated bodies, and change nothing',
  unchangedWorld(async (w) => {
    await inputs.forEachInput(
      fc.tuple(reportBodies(w), fc.constantFrom('/reports', '/reports/check')),
      200,
      async ([{ extra, ...fields }, route]) => {
        const answer = await send({
          path: `/provider${route}`,
          bearer: w.b.accessToken,
          json: { ...extra, ...fields },
        })
        if (answer.status === 200) {
          // A well-formed list of text that is no school: every row refused by the rule.
          const counts = (answer.body as { counts: { confirmed: number; valid: number } }).counts
          assert.equal(counts.confirmed, 0, answer.text)
          assert.equal(counts.valid, 0, answer.text)
          assertNoSecrets(answer, secretsOfA(w))
          return
        }
        assertRefused(answer, { codes: reportRefusals, secrets: secretsOfA(w) })
      },
    )
  }),
)

Deno.test(
  'POST /provider/reports refuses A’s delivery partner, bodies that are not JSON, and bodies too big, changing nothing',
  unchangedWorld(async (w) => {
    const valid = {
      cohort: w.cohort,
      delivery_partner_id: w.b.deliveryPartner.id,
      urns: [w.reported[0]!.urn],
    }
    for (const path of ['/provider/reports', '/provider/reports/check']) {
      const asB = (request: Omit<HostileRequest, 'path' | 'bearer'>) =>
        send({ path, bearer: w.b.accessToken, ...request })
      assertRefused(
        await asB({ json: { ...valid, delivery_partner_id: w.a.deliveryPartner.id } }),
        { codes: ['delivery_partner_not_related'], secrets: secretsOfA(w) },
      )
      for (
        const raw of [...inputs.notJsonBodies, ...inputs.jsonNotObjects, ...inputs.notUtf8Bodies]
      ) {
        assertRefused(await asB({ raw }), { codes: ['malformed_json', 'invalid_request'] })
      }
      for (const contentType of inputs.notJsonContentTypes) {
        const answer = await asB({ raw: JSON.stringify(valid), contentType })
        assertRefused(answer, { codes: ['unsupported_media_type'] })
      }
      const tooManyLines = { ...valid, urns: Array.from({ length: 20_001 }, () => 'x') }
      assertRefused(await asB({ json: tooManyLines }), { codes: ['invalid_request'] })
      const bigCsv = { ...valid, urns: undefined, csv: 'x\n'.repeat(1_100_000) }
      assertRefused(await asB({ json: bigCsv }), { codes: ['file_too_large'] })
      const overLimit = { ...valid, pad: 'x'.repeat(6 * 1024 * 1024 + 1) }
      assertRefused(await asB({ json: overLimit }), { codes: ['payload_too_large'] })
    }
  }),
)

Deno.test(
  'every provider route answers 401 to each forged access token and to malformed authorisation, changing nothing',
  unchangedWorld(async (w) => {
    const forged = await forgedStackTokens(w.b.accessToken, w.a.user.id)
    const report = {
      cohort: w.cohort,
      delivery_partner_id: w.b.deliveryPartner.id,
      urns: [w.reported[0]!.urn],
    }
    const routes = [
      { path: '/provider/me' },
      { path: `/provider/partnerships?cohort=${w.cohort}` },
      { path: `/provider/partnerships/${w.partnershipIds[0]}` },
      { path: `/provider/partnerships.csv?cohort=${w.cohort}` },
      { path: '/provider/reports/check', json: report },
      { path: '/provider/reports', json: report },
    ]
    const malformed = [
      `Basic ${btoa('provider:password')}`,
      `Bearer ${w.b.accessToken} ${w.b.accessToken}`,
      w.b.accessToken,
      'Bearer',
      '',
    ]
    const authorisations = [
      ...forged.map(({ token, code }) => ({ authorization: `Bearer ${token}`, code })),
      ...malformed.map((authorization) => ({ authorization, code: 'unauthorised' })),
    ]
    for (const route of routes) {
      for (const { authorization, code } of authorisations) {
        const answer = await send({ ...route, headers: { authorization } })
        assert.equal(answer.status, 401, `${route.path} with ${authorization.slice(0, 60)}`)
        assertRefused(answer, { codes: [code], secrets: secretsOfA(w) })
      }
    }
  }),
)

Deno.test(
  'provider answers methods it does not take, on every route, with 404 and changes nothing',
  unchangedWorld(async (w) => {
    const paths = [
      '/provider/me',
      '/provider/partnerships',
      `/provider/partnerships/${w.partnershipIds[0]}`,
      '/provider/partnerships.csv',
      '/provider/reports',
      '/provider/reports/check',
    ]
    for (const path of paths) {
      for (const method of ['PUT', 'PATCH', 'DELETE']) {
        const answer = await send({ method, path, bearer: w.a.accessToken, json: {} })
        assertRefused(answer, { codes: ['not_found'] })
      }
    }
  }),
)
