/**
 * Hostile input to the `support` function through the gateway: generated challenge and resend
 * bodies, ids, URNs and searches from a support user, and every route called by the school's own
 * lead provider user, by a signed-in stranger and with forged tokens. Every refusal is a 4xx with
 * a specific code that gives nothing away, and the school's partnership, events, emails and link
 * stay exactly as they were.
 */
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { assertRefused, assertUnchanged, forgedStackTokens, send } from './_hostile_checks.ts'
import * as inputs from './_hostile_inputs.ts'
import { connect, createUser, signIn } from './_stack.ts'
import { createSupportWorld, type SupportWorld } from './support_world.ts'

/** Runs `fn` with a fresh world and proof that the school's partnership did not change. */
function unchangedWorld(fn: (w: SupportWorld) => Promise<void>) {
  return async () => {
    const sql = connect()
    try {
      const w = await createSupportWorld(sql)
      await assertUnchanged(sql, { partnershipIds: [w.link.partnershipId] }, () => fn(w))
    } finally {
      await sql.end()
    }
  }
}

const bodyCodes = [
  'invalid_request',
  'malformed_json',
  'payload_too_large',
  'invalid_reason',
  'invalid_note',
]

/** A note the function must refuse: the wrong type, over 2,000 characters, or unstorable. */
const badNote = fc.oneof(
  inputs.notAString(),
  fc.integer({ min: 2_001, max: 5_000 }).map((length) => 'n'.repeat(length)),
  fc.constantFrom('note\u0000', '\ud800 note'),
)

Deno.test(
  'POST /support/partnerships/:id/challenge refuses 150 generated bodies with a 4xx and changes nothing',
  unchangedWorld(async (w) => {
    const body = fc.oneof(
      fc.record({
        reason: fc.oneof(
          inputs.notAString(),
          inputs.nastyText(),
          inputs.hugeText(),
          fc.constantFrom('', 'MISTAKE'),
        ),
        note: fc.oneof(fc.constant(undefined), inputs.nastyText(), badNote),
      }),
      fc.record({ reason: fc.constant(undefined), note: inputs.nastyText() }),
      fc.record({ reason: fc.constantFrom(...inputs.reasonCodes), note: badNote }),
    )
    await inputs.forEachInput(
      fc.tuple(body, inputs.extraMembers()),
      150,
      async ([fields, extra]) => {
        const answer = await send({
          path: `/support/partnerships/${w.link.partnershipId}/challenge`,
          bearer: w.support.accessToken,
          json: { ...extra, ...fields },
        })
        assertRefused(answer, { codes: bodyCodes, secrets: [w.link.token] })
      },
    )
  }),
)

Deno.test(
  'POST /support/partnerships/:id/resend refuses 150 generated addresses that are not one, and changes nothing',
  unchangedWorld(async (w) => {
    await inputs.forEachInput(
      fc.tuple(fc.oneof(inputs.notAnEmail(), inputs.notAString()), inputs.extraMembers()),
      150,
      async ([email, extra]) => {
        const answer = await send({
          path: `/support/partnerships/${w.link.partnershipId}/resend`,
          bearer: w.support.accessToken,
          json: { ...extra, email },
        })
        assertRefused(answer, { codes: ['invalid_request', 'payload_too_large'] })
      },
    )
  }),
)

Deno.test(
  'support refuses 150 generated partnership ids and URNs in paths with a 4xx and changes nothing',
  unchangedWorld(async (w) => {
    const codes = ['invalid_request', 'not_found', 'school_not_found']
    const route = fc.constantFrom(
      (id: string) => ({
        path: `/support/partnerships/${id}/challenge`,
        json: { reason: 'mistake' },
      }),
      (id: string) => ({
        path: `/support/partnerships/${id}/resend`,
        json: { email: 'a@b.example' },
      }),
      (id: string) => ({ path: `/support/schools/${id}` }),
    )
    await inputs.forEachInput(fc.tuple(inputs.notAUuid(), route), 150, async ([id, to]) => {
      const answer = await send({
        ...to(encodeURIComponent(id.toWellFormed())),
        bearer: w.support.accessToken,
      })
      assertRefused(answer, { codes })
    })
    // A well-formed id of nothing: found by nobody, changed by nobody.
    const nothing = await send({
      path: `/support/partnerships/${crypto.randomUUID()}/challenge`,
      bearer: w.support.accessToken,
      json: { reason: 'mistake' },
    })
    assertRefused(nothing, { codes: ['not_found'] })
  }),
)

Deno.test(
  'GET /support/schools answers 150 generated searches with 200 or a 400, never more, changing nothing',
  unchangedWorld(async (w) => {
    await inputs.forEachInput(
      fc.oneof(inputs.nastyText(), inputs.hugeText(), fc.constantFrom('', '   ')),
      150,
      async (q) => {
        const sent = new URLSearchParams({ q }).get('q')!
        const answer = await send({
          path: `/support/schools?${new URLSearchParams({ q })}`,
          bearer: w.support.accessToken,
        })
        const trimmed = sent.trim()
        if (trimmed === '' || inputs.characterCount(trimmed) > 200 || sent.includes('\u0000')) {
          assertRefused(answer, { codes: ['invalid_request'] })
        } else {
          assert.equal(answer.status, 200, answer.text)
          assert.ok(Array.isArray((answer.body as { schools: unknown[] }).schools))
        }
      },
    )
  }),
)

Deno.test(
  'support refuses bodies that are not JSON, not JSON typed or too big, and changes nothing',
  unchangedWorld(async (w) => {
    for (const action of ['challenge', 'resend']) {
      const path = `/support/partnerships/${w.link.partnershipId}/${action}`
      const valid = JSON.stringify({ reason: 'mistake', email: 'office@school.example' })
      for (const raw of inputs.notJsonBodies) {
        const answer = await send({ path, raw, bearer: w.support.accessToken })
        assertRefused(answer, { codes: ['malformed_json', 'invalid_request'] })
      }
      for (const contentType of inputs.notJsonContentTypes) {
        const answer = await send({ path, raw: valid, contentType, bearer: w.support.accessToken })
        assertRefused(answer, { codes: ['unsupported_media_type'] })
      }
      const big = JSON.stringify({ reason: 'mistake', note: 'x'.repeat(70_000) })
      const answer = await send({ path, raw: big, bearer: w.support.accessToken })
      assertRefused(answer, { codes: ['payload_too_large'] })
    }
  }),
)

/** Every support route, with a body that a support user could act on. */
function supportRoutes(w: SupportWorld) {
  return [
    { path: `/support/schools?q=${w.link.urn}` },
    { path: `/support/schools/${w.link.urn}` },
    { path: '/support/emails/undelivered' },
    {
      path: `/support/partnerships/${w.link.partnershipId}/challenge`,
      json: { reason: 'mistake', note: 'Hostile test' },
    },
    {
      path: `/support/partnerships/${w.link.partnershipId}/resend`,
      json: { email: 'corrected@school.example.test' },
    },
  ]
}

Deno.test(
  'every support route answers 403 to the school’s own lead provider user and to a signed-in stranger, changing nothing',
  unchangedWorld(async (w) => {
    const stranger = await createUser('stranger')
    const { session } = await signIn(stranger.email)
    for (const bearer of [w.provider.accessToken, session.access_token]) {
      for (const route of supportRoutes(w)) {
        const answer = await send({ ...route, bearer })
        assertRefused(answer, {
          codes: ['not_support_user'],
          secrets: [w.link.schoolName, w.link.leadProviderName, w.support.email],
        })
      }
    }
  }),
)

Deno.test(
  'every support route answers 401 to each forged access token, changing nothing',
  unchangedWorld(async (w) => {
    const forged = await forgedStackTokens(w.provider.accessToken, w.support.id)
    for (const route of supportRoutes(w)) {
      for (const { label, token, code } of forged) {
        const answer = await send({ ...route, bearer: token })
        assert.equal(answer.status, 401, label)
        assertRefused(answer, { codes: [code], secrets: [w.link.schoolName] })
      }
    }
  }),
)

Deno.test(
  'support answers methods it does not take, on every route, with 404 and changes nothing',
  unchangedWorld(async (w) => {
    for (const { path } of supportRoutes(w)) {
      for (const method of ['PUT', 'PATCH', 'DELETE']) {
        const answer = await send({ method, path, bearer: w.support.accessToken, json: {} })
        assertRefused(answer, { codes: ['not_found'] })
      }
    }
  }),
)
