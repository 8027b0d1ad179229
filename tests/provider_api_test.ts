/**
 * What the provider function does for a signed-in lead provider user, through the running stack:
 * list, search and page through their schools, see a challenged school's reason, download them as
 * CSV; and bad input is a 4xx that changes nothing. Checking and reporting schools, with the
 * rule's own row errors, is proven through `app.request()` in supabase/functions/provider/app_test.ts.
 */
import assert from 'node:assert/strict'
import { assertError } from './_answers.ts'
import type { ReportRow } from '../supabase/functions/provider/provider_data.ts'
import {
  type ApiAnswer,
  callProvider,
  challenge,
  createProviderWorld,
  partnershipCount,
  type ProviderWorld,
  reportUrns,
} from './provider_world.ts'

type Report = {
  delivery_partner: { id: string; name: string }
  counts: { rows: number; errors: number; valid: number; confirmed: number }
  rows: ReportRow[]
}
type Listed = {
  partnership_id: string
  urn: string
  school_name: string
  delivery_partner_name: string
  status: string
  challenge_reason: string | null
  challenge_reason_label: string | null
}
type Page = { total: number; page: number; page_size: number; partnerships: Listed[] }

function report(w: ProviderWorld, urns: string[]) {
  return { cohort: w.cohort, delivery_partner_id: w.a.deliveryPartner.id, urns }
}

function ok<T>(answer: ApiAnswer): T {
  assert.equal(answer.status, 200, answer.text)
  return answer.body as T
}

Deno.test('GET /provider/me counts the provider’s schools and the challenged ones', async () => {
  const w = await createProviderWorld({ schools: 3 })
  const reported = ok<Report>(
    await reportUrns(w, w.schools.map((school) => school.urn)),
  )
  await challenge(reported.rows[2]!.partnership_id!, 'no_ects')
  const me = ok<{ lead_provider: { name: string }; challenged: number; cohorts: unknown[] }>(
    await callProvider('/me', { token: w.a.accessToken }),
  )
  assert.equal(me.lead_provider.name, w.a.name)
  assert.equal(me.challenged, 1)
  assert.deepEqual(me.cohorts, [{
    start_year: w.cohort,
    delivery_partners: [w.a.deliveryPartner],
    schools: 3,
    challenged: 1,
  }])
})

Deno.test('GET /provider/partnerships lists challenged schools first, with the reason, a page at a time', async () => {
  const w = await createProviderWorld({ schools: 23 })
  const reported = ok<Report>(
    await reportUrns(w, w.schools.map((school) => school.urn)),
  )
  const challenged = reported.rows[10]!
  await challenge(challenged.partnership_id!, 'do_not_recognise')

  const first = ok<Page>(
    await callProvider(`/partnerships?cohort=${w.cohort}`, { token: w.a.accessToken }),
  )
  assert.equal(first.total, 23)
  assert.equal(first.partnerships.length, first.page_size)
  assert.deepEqual(first.partnerships[0], {
    ...first.partnerships[0],
    partnership_id: challenged.partnership_id,
    status: 'challenged',
    challenge_reason: 'do_not_recognise',
    challenge_reason_label: 'I do not recognise this training provider',
  })
  assert.ok(first.partnerships.slice(1).every((p) => p.status === 'active'))

  const second = ok<Page>(
    await callProvider(`/partnerships?cohort=${w.cohort}&page=2`, { token: w.a.accessToken }),
  )
  assert.equal(second.page, 2)
  assert.equal(second.partnerships.length, 23 - first.page_size)
  const seen = new Set([...first.partnerships, ...second.partnerships].map((p) => p.urn))
  assert.equal(seen.size, 23)
})

Deno.test('GET /provider/partnerships searches by school name, URN and delivery partner', async () => {
  const w = await createProviderWorld({ schools: 12 })
  ok(
    await reportUrns(w, w.schools.map((s) => s.urn)),
  )
  const search = async (q: string) =>
    ok<Page>(
      await callProvider(`/partnerships?cohort=${w.cohort}&q=${encodeURIComponent(q)}`, {
        token: w.a.accessToken,
      }),
    )
  const school = w.schools[11]!
  assert.deepEqual((await search(school.name)).partnerships.map((p) => p.urn), [school.urn])
  assert.deepEqual((await search(school.urn)).partnerships.map((p) => p.urn), [school.urn])
  assert.equal((await search(w.a.deliveryPartner.name.toUpperCase())).total, 12)
  assert.equal((await search('no such school')).total, 0)
  assert.equal((await search('%')).total, 0)
})

Deno.test('GET /provider/partnerships/:id shows a challenged school’s reason', async () => {
  const w = await createProviderWorld({ schools: 1 })
  const [row] = ok<Report>(
    await reportUrns(w, [w.schools[0]!.urn]),
  ).rows
  await challenge(row!.partnership_id!, 'not_confirmed')
  const detail = ok<Record<string, unknown>>(
    await callProvider(`/partnerships/${row!.partnership_id}`, { token: w.a.accessToken }),
  )
  assert.equal(detail.school_name, w.schools[0]!.name)
  assert.equal(detail.urn, w.schools[0]!.urn)
  assert.equal(detail.cohort, w.cohort)
  assert.equal(detail.delivery_partner_name, w.a.deliveryPartner.name)
  assert.equal(detail.local_authority, 'Testshire')
  assert.equal(detail.status, 'challenged')
  assert.equal(detail.challenge_reason_label, 'We have not confirmed an agreement')
})

Deno.test('GET /provider/partnerships.csv downloads the cohort’s schools as a named CSV file', async () => {
  const w = await createProviderWorld({ schools: 2 })
  const reported = ok<Report>(
    await reportUrns(w, w.schools.map((school) => school.urn)),
  )
  await challenge(reported.rows[1]!.partnership_id!, 'mistake')
  const answer = await callProvider(`/partnerships.csv?cohort=${w.cohort}`, {
    token: w.a.accessToken,
  })
  assert.equal(answer.status, 200)
  assert.equal(answer.headers.get('content-type'), 'text/csv; charset=utf-8')
  assert.equal(
    answer.headers.get('content-disposition'),
    `attachment; filename="schools-${w.cohort}.csv"`,
  )
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date())
  const [oak, elm] = w.schools
  assert.equal(
    answer.text,
    '\ufeffurn,school_name,delivery_partner,status,challenge_reason,reported_on\r\n' +
      `${oak!.urn},${oak!.name},${w.a.deliveryPartner.name},Confirmed,,${today}\r\n` +
      `${elm!.urn},${elm!.name},${w.a.deliveryPartner.name},Reported a mistake,` +
      `This looks like a mistake,${today}\r\n`,
  )
})

Deno.test('provider function answers bad input with a 4xx error code and changes nothing', async () => {
  const w = await createProviderWorld({ schools: 1 })
  const token = w.a.accessToken
  const urn = w.schools[0]!.urn
  assertError(await callProvider('/partnerships', { token }), 400, 'invalid_request')
  assertError(await callProvider('/partnerships?cohort=twenty', { token }), 400, 'invalid_request')
  assertError(
    await callProvider(`/partnerships?cohort=${w.cohort}&page=0`, { token }),
    400,
    'invalid_request',
  )
  assertError(await callProvider('/partnerships/not-a-uuid', { token }), 400, 'invalid_request')
  assertError(await callProvider('/partnerships.csv', { token }), 400, 'invalid_request')
  assertError(await callProvider('/nothing-here', { token }), 404, 'not_found')
  for (
    const body of [
      {},
      { ...report(w, [urn]), cohort: '2026' },
      { ...report(w, [urn]), delivery_partner_id: 'dp' },
      { ...report(w, []) },
      { ...report(w, [urn]), csv: urn },
      { cohort: w.cohort, delivery_partner_id: w.a.deliveryPartner.id },
      { ...report(w, [urn]), urns: [42] },
    ]
  ) {
    assertError(await callProvider('/reports', { token, body }), 400, 'invalid_request')
  }
  const raw = (body: string, contentType: string) =>
    callProvider('/reports', { token, raw: { body, contentType } })
  assertError(await raw('{"cohort":', 'application/json'), 400, 'malformed_json')
  assertError(
    await raw(JSON.stringify(report(w, [urn])), 'text/plain'),
    415,
    'unsupported_media_type',
  )
  assert.equal(await partnershipCount(w), 0)
})
