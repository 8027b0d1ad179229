/**
 * The Lead Provider API's OpenAPI document: valid OpenAPI 3.1 by a maintained validator
 * (@seriousme/openapi-schema-validator), served by the function as it is in the repo, and strict
 * enough that an answer departing from it fails (tests/_openapi.ts, which every API test uses).
 */
import assert from 'node:assert/strict'
import { Validator } from '@seriousme/openapi-schema-validator'
import { assertMatchesOpenApi, openApiDocument } from './_openapi.ts'
import { callApi, createApiWorld, partnershipBody } from './_lead_provider_api.ts'

Deno.test('openapi.json is a valid OpenAPI 3.1 document', async () => {
  const validator = new Validator()
  const result = await validator.validate(structuredClone(openApiDocument))
  assert.equal(validator.version, '3.1')
  assert.deepEqual(result, { valid: true })
})

Deno.test('GET /lead-provider-api/openapi.json serves the document in the repo, without a token', async () => {
  const answer = await callApi('GET', '/openapi.json')
  assert.equal(answer.status, 200)
  assert.deepEqual(answer.body, openApiDocument)
})

Deno.test('assertMatchesOpenApi fails an answer that departs from openapi.json', async () => {
  const w = await createApiWorld({ schools: 1 })
  const created = await callApi('POST', '/partnerships', {
    token: w.a.apiToken,
    body: partnershipBody({
      cohort: w.cohort,
      delivery_partner_id: w.a.deliveryPartner.id,
      urn: w.schools[0]!.urn,
    }),
  })
  assert.equal(created.status, 201, created.text)
  const real = {
    method: 'GET',
    path: '/partnerships',
    status: 200,
    contentType: 'application/vnd.api+json',
    body: {
      data: [(created.body as { data: unknown }).data],
      meta: { page_size: 100, next_cursor: null },
    },
  }
  assertMatchesOpenApi(real)

  // deno-lint-ignore no-explicit-any -- each departure reaches into the body differently
  const departures: [string, (body: any) => void][] = [
    ['a missing attribute', (body) => delete body.data[0].attributes.urn],
    ['an extra attribute', (body) => body.data[0].attributes.secret = 'x'],
    [
      'a status outside the enum',
      (body) => body.data[0].attributes.status = 'pending',
    ],
    ['a cohort as a number', (body) => body.data[0].attributes.cohort = 2026],
    [
      'a time that is not RFC 3339',
      (body) => body.data[0].attributes.created_at = 'yesterday',
    ],
    ['no meta', (body) => delete body.meta],
  ]
  for (const [what, depart] of departures) {
    const body = structuredClone(real.body)
    depart(body)
    assert.throws(
      () => assertMatchesOpenApi({ ...real, body }),
      /departs from openapi.json/,
      what,
    )
  }
  assert.throws(
    () => assertMatchesOpenApi({ ...real, status: 418 }),
    /status is not in/,
  )
  assert.throws(
    () => assertMatchesOpenApi({ ...real, contentType: 'text/html' }),
    /content type text\/html/,
  )
  assert.throws(
    () => assertMatchesOpenApi({ ...real, path: '/secret' }),
    /path is not in/,
  )
  assert.throws(
    () =>
      assertMatchesOpenApi({
        ...real,
        status: 404,
        body: { error: { code: 'x', message: 'y' } },
      }),
    /status is not in|departs/,
  )
})
