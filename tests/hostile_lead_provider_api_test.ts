/**
 * Hostile input to the Lead Provider API through the gateway, as lead provider B of a world
 * where A has reported three schools through the API: generated query strings, ids, bodies
 * (single and bulk) and headers (tokens, Authorization, Idempotency-Key). Every answer is a 4xx
 * with a code (or, for a bulk body the schema admits, a 200 whose every item is refused with a
 * code), never a 5xx, nothing of A's reaches B, and none of the world's rows change. Schools here
 * have no address, so their emails are `no_address` rows the sender never touches.
 */
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {
  type Answer,
  assertNoSecrets,
  assertRefused,
  forgedStackTokens,
  type HostileRequest,
  send as sendRaw,
  withUnchangedWorld,
} from './_hostile_checks.ts'
import * as inputs from './_hostile_inputs.ts'
import { type ApiWorld, callApi, createApiWorld } from './_lead_provider_api.ts'
import { assertMatchesOpenApi, isDocumented } from './_openapi.ts'
import { createUser, stack } from './_stack.ts'
import { type Reported, reportedOnce } from './provider_world.ts'

type World = ApiWorld & Reported

/** One world for the file: A's report, through the API, of three schools without an address. */
const world = reportedOnce(() => createApiWorld({ schools: 0 }), async (w, schools) => {
  const answer = await callApi('POST', '/partnerships/bulk', {
    token: w.a.apiToken,
    body: {
      data: schools.map((school) => ({
        type: 'partnership',
        attributes: {
          cohort: w.cohort,
          delivery_partner_id: w.a.deliveryPartner.id,
          urn: school.urn,
        },
      })),
    },
  })
  assert.equal(answer.status, 200, answer.text)
  return (answer.body as { results: { data: { id: string } }[] }).results
    .map((result) => result.data.id)
})

const secretsOfA = (w: World) => [
  w.a.name,
  w.a.deliveryPartner.name,
  w.a.apiToken,
  ...w.reported.flatMap((school) => [school.name, school.urn]),
  ...w.partnershipIds,
]

/** Runs `fn` with the world, and proof that the world did not change. */
const unchangedWorld = (fn: (w: World) => Promise<void>) => withUnchangedWorld(world, fn)

const api = (path: string) => `/lead-provider-api${path}`

/** `send` to the API path as lead provider B, with its token. */
const asB = (w: World, path: string, request: Omit<HostileRequest, 'path' | 'bearer'> = {}) =>
  send({ path: api(path), bearer: w.b.apiToken, ...request })

/**
 * `send`, and an answer whose method, path and status openapi.json documents must match it (a
 * generated path it does not describe, `/partnerships/..%2f`, say, is a plain 404).
 */
async function send(request: HostileRequest): Promise<Answer> {
  const answer = await sendRaw(request)
  const method = request.method ??
    (request.json === undefined && request.raw === undefined ? 'GET' : 'POST')
  const path = new URL(request.path, 'http://x').pathname.replace(/^\/lead-provider-api/, '')
  if (isDocumented(method, path, answer.status)) {
    assertMatchesOpenApi({
      method,
      path,
      status: answer.status,
      contentType: answer.headers.get('content-type') ?? '',
      body: answer.body,
    })
  }
  return answer
}

/** A query string of the given parameters; lone surrogates become U+FFFD, as in a browser. */
function query(params: Record<string, string | undefined>): string {
  return new URLSearchParams(
    Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined),
  ).toString()
}

/** What a header may carry at all (fetch refuses the rest before sending). */
const headerSafe = (text: string) => text.replace(/[^\x20-\x7e\x80-\xff]/g, '').trim()

Deno.test(
  'GET /lead-provider-api/partnerships refuses 200 generated filters, sorts and pages with 400 and changes nothing',
  unchangedWorld(async (w) => {
    const nasty = fc.oneof(
      inputs.nastyTextWithoutDigits(),
      fc.constantFrom(...inputs.absurdNumbers),
      inputs.hugeText(),
    )
    const params = fc.record({
      'filter[cohort]': fc.option(
        fc.oneof(nasty, fc.constantFrom('2026,', ',', '20261', '2026,x')),
        { nil: undefined },
      ),
      'filter[delivery_partner_id]': fc.option(
        fc.oneof(inputs.notAUuid(), fc.constant(`${w.a.deliveryPartner.id},`)),
        { nil: undefined },
      ),
      'filter[updated_since]': fc.option(
        fc.oneof(
          nasty,
          fc.constantFrom('2026-13-01T00:00:00Z', '2026-01-01', '0'),
        ),
        { nil: undefined },
      ),
      sort: fc.option(
        fc.oneof(
          nasty,
          fc.constantFrom('name', 'created_at,updated_at', '+created_at'),
        ),
        { nil: undefined },
      ),
      'page[size]': fc.option(
        fc.oneof(fc.constantFrom(...inputs.absurdNumbers), fc.constant('3001')),
        { nil: undefined },
      ),
      'page[cursor]': fc.option(fc.oneof(nasty, fc.constant('MjAyNnxub3Q')), {
        nil: undefined,
      }),
      [`filter[${'x'}]`]: fc.option(fc.constant('1'), { nil: undefined }),
    }, { requiredKeys: [] }).filter((record) =>
      Object.values(record).some((value) => value !== undefined)
    )
    await inputs.forEachInput(params, 200, async (record) => {
      const answer = await asB(w, `/partnerships?${query(record)}`)
      if (answer.status === 200) {
        // Some generated values are valid after all (a blank sort is the default): B sees nothing.
        assert.deepEqual(
          (answer.body as { data: unknown[] }).data,
          [],
          answer.text,
        )
        return
      }
      assertRefused(answer, {
        codes: ['invalid_request', 'invalid_cursor'],
        secrets: secretsOfA(w),
      })
    })
  }),
)

Deno.test(
  'GET and PUT /lead-provider-api/partnerships/{id} refuse 150 generated ids with a 4xx, and A’s ids are B’s 404s',
  unchangedWorld(async (w) => {
    const codes = ['invalid_request', 'not_found', 'partnership_not_found']
    await inputs.forEachInput(
      fc.tuple(
        fc.oneof(inputs.notAUuid(), fc.constantFrom(...w.partnershipIds)),
        fc.constantFrom('GET', 'PUT'),
      ),
      150,
      async ([id, method]) => {
        const answer = await send({
          method,
          path: api(`/partnerships/${encodeURIComponent(id.toWellFormed())}`),
          bearer: w.b.apiToken,
          json: method === 'PUT'
            ? {
              data: {
                type: 'partnership',
                attributes: { delivery_partner_id: w.b.deliveryPartner.id },
              },
            }
            : undefined,
        })
        assertRefused(answer, { codes, secrets: secretsOfA(w) })
      },
    )
  }),
)

Deno.test(
  'POST /lead-provider-api/partnerships refuses 250 generated bodies with a 4xx and a code, and changes nothing',
  unchangedWorld(async (w) => {
    const attributes = fc.record({
      cohort: fc.oneof(
        inputs.notANumber(),
        fc.constantFrom(...inputs.absurdNumbers),
        fc.constant(w.cohort),
      ),
      delivery_partner_id: fc.oneof(
        inputs.notAUuid(),
        inputs.notAString(),
        fc.constant(w.a.deliveryPartner.id),
        fc.uuid(),
      ),
      urn: fc.option(
        fc.oneof(inputs.nastyTextWithoutDigits(), inputs.notAString(), inputs.hugeText()),
        { nil: undefined },
      ),
      school_id: fc.option(fc.oneof(inputs.notAUuid(), fc.uuid()), { nil: undefined }),
    }, { requiredKeys: [] })
    const body = fc.oneof(
      fc.record({
        data: fc.record({
          type: fc.oneof(fc.constant('partnership'), inputs.nastyText()),
          attributes,
        }),
      }),
      fc.record({ data: fc.oneof(inputs.notAString(), attributes) }),
      fc.tuple(attributes, inputs.extraMembers()).map(([a, extra]) => ({
        ...extra,
        data: { type: 'partnership', attributes: { ...extra, ...a } },
      })),
    )
    const codes = [
      'invalid_request',
      'malformed_json',
      'urn_not_valid',
      'school_not_found',
      'delivery_partner_not_related',
      'cohort_not_found',
    ]
    await inputs.forEachInput(body, 250, async (json) => {
      const answer = await asB(w, '/partnerships', {
        json,
        contentType: 'application/vnd.api+json',
      })
      assertRefused(answer, { codes, secrets: secretsOfA(w) })
    })
    for (const raw of [...inputs.notJsonBodies, ...inputs.jsonNotObjects]) {
      const answer = await asB(w, '/partnerships', { raw })
      assertRefused(answer, {
        codes: ['invalid_request', 'malformed_json'],
        secrets: secretsOfA(w),
      })
    }
    for (const raw of inputs.notUtf8Bodies) {
      const answer = await asB(w, '/partnerships', { raw })
      assertRefused(answer, { codes: ['invalid_request', 'malformed_json'] })
    }
    for (const contentType of inputs.notJsonContentTypes) {
      const answer = await asB(w, '/partnerships', { raw: '{}', contentType })
      assertRefused(answer, { codes: ['unsupported_media_type'] })
    }
    const tooLarge = await asB(w, '/partnerships/bulk', {
      raw: `{"data":"${'x'.repeat(5 * 1024 * 1024)}"}`,
    })
    assertRefused(tooLarge, { codes: ['payload_too_large'] })
  }),
)

Deno.test(
  'POST /lead-provider-api/partnerships/bulk refuses every one of 60 generated bulk bodies, whole or item by item, and changes nothing',
  unchangedWorld(async (w) => {
    const item = fc.record({
      type: fc.constant('partnership'),
      attributes: fc.record({
        cohort: fc.oneof(fc.constant(w.cohort), fc.constant(2001)),
        delivery_partner_id: fc.oneof(
          fc.constant(w.a.deliveryPartner.id),
          fc.constant(w.b.deliveryPartner.id),
          fc.uuid(),
        ),
        urn: fc.oneof(
          inputs.nastyTextWithoutDigits(),
          fc.constantFrom(...w.reported.map((s) => s.urn)),
        ),
      }),
    })
    const body = fc.oneof(
      fc.record({ data: fc.array(item, { minLength: 1, maxLength: 30 }) }),
      fc.record({ data: fc.oneof(inputs.notAString(), fc.constant([])) }),
    )
    const itemCodes = [
      'urn_not_valid',
      'recruited_by_other_provider',
      'delivery_partner_not_related',
      'cohort_not_found',
      'duplicate_in_request',
    ]
    await inputs.forEachInput(body, 60, async (json) => {
      const answer = await asB(w, '/partnerships/bulk', { json })
      if (answer.status !== 200) {
        assertRefused(answer, {
          codes: ['invalid_request'],
          secrets: secretsOfA(w),
        })
        return
      }
      const { results, meta } = answer.body as {
        results: { status: string; errors?: { code: string }[] }[]
        meta: { created: number }
      }
      assert.equal(meta.created, 0, answer.text)
      for (const result of results) {
        assert.ok(['409', '422'].includes(result.status), answer.text)
        assert.ok(
          itemCodes.includes(result.errors?.[0]?.code ?? ''),
          answer.text,
        )
      }
      // B is told a school is taken, never by whom.
      assertNoSecrets(answer, [
        w.a.name,
        w.a.deliveryPartner.name,
        ...w.partnershipIds,
      ])
    })
  }),
)

Deno.test(
  'lead-provider-api refuses forged, foreign and generated credentials with 401 or 403, and bad Idempotency-Keys with 400',
  unchangedWorld(async (w) => {
    const forged = await forgedStackTokens(w.b.accessToken, (await createUser('other')).id)
    const credentials = [
      ...forged.map((f) => f.token),
      w.b.accessToken,
      stack.secretKey,
      w.a.apiToken.slice(0, -1),
      `${w.a.apiToken}x`,
      w.a.apiTokenId,
      `lpapi_${'A'.repeat(43)}`,
    ]
    for (const bearer of credentials) {
      const answer = await send({ path: api('/partnerships'), bearer })
      assertRefused(answer, {
        codes: ['unauthorised', 'wrong_credential'],
        secrets: secretsOfA(w),
      })
    }
    await inputs.forEachInput(
      fc.oneof(inputs.nastyText(), inputs.hugeText()).map(headerSafe),
      100,
      async (value) => {
        const answer = await send({
          path: api('/partnerships'),
          headers: { authorization: value },
        })
        assertRefused(answer, {
          codes: ['unauthorised', 'wrong_credential'],
          secrets: secretsOfA(w),
        })
        const bearer = await send({
          path: api('/partnerships'),
          bearer: value,
        })
        assertRefused(bearer, {
          codes: ['unauthorised', 'wrong_credential'],
          secrets: secretsOfA(w),
        })
      },
    )
    const badKeys = fc.oneof(
      fc.constant(''),
      inputs.hugeText().map(headerSafe).filter((text) => text.length > 255),
      inputs.nastyText().map(headerSafe).filter((text) => /[^\x21-\x7e]/.test(text)),
    )
    await inputs.forEachInput(badKeys, 60, async (key) => {
      const request: HostileRequest = {
        path: api('/partnerships'),
        bearer: w.b.apiToken,
        headers: { 'idempotency-key': key },
        json: {
          data: {
            type: 'partnership',
            attributes: {
              cohort: w.cohort,
              delivery_partner_id: w.b.deliveryPartner.id,
              urn: 'x',
            },
          },
        },
      }
      const answer = await send(request)
      assertRefused(answer, {
        codes: ['invalid_idempotency_key'],
        secrets: secretsOfA(w),
      })
    })
  }),
)
