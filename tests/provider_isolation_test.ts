/**
 * The provider function through the running stack: a signed-out request gets 401 everywhere, a
 * signed-in person who is not a provider user gets 403, and a user of lead provider B can list,
 * fetch, download, report or infer nothing of lead provider A's schools.
 */
import assert from 'node:assert/strict'
import { assertError } from './_answers.ts'
import { generateKeyPair, SignJWT } from 'jose'
import { connect, createUser, signIn, stack } from './_stack.ts'
import {
  callProvider,
  challenge,
  createProviderWorld,
  type ProviderWorld,
  reportUrns,
} from './provider_world.ts'

type Report = { rows: { partnership_id: string | null; error: string | null }[] }

let shared: Promise<{ world: ProviderWorld; partnershipIds: string[] }> | undefined

/** A's report of three of the five schools, one of them since challenged. */
function world() {
  return shared ??= (async () => {
    const world = await createProviderWorld()
    const reported = await reportUrns(world, world.schools.slice(0, 3).map((school) => school.urn))
    assert.equal(reported.status, 200, reported.text)
    const partnershipIds = (reported.body as Report).rows.map((row) => row.partnership_id!)
    await challenge(partnershipIds[0]!)
    return { world, partnershipIds }
  })()
}

function endpoints(w: ProviderWorld, partnershipId: string) {
  const report = {
    cohort: w.cohort,
    delivery_partner_id: w.a.deliveryPartner.id,
    urns: [w.schools[3]!.urn],
  }
  return [
    { path: '/me' },
    { path: `/partnerships?cohort=${w.cohort}` },
    { path: `/partnerships/${partnershipId}` },
    { path: `/partnerships.csv?cohort=${w.cohort}` },
    { path: '/reports/check', body: report },
    { path: '/reports', body: report },
  ]
}

async function partnershipCount(schoolIds: string[]): Promise<number> {
  const sql = connect()
  try {
    const [row] = await sql<{ count: number }[]>`
      select count(*)::int as count from public.partnerships where school_id = any(${schoolIds})`
    return row!.count
  } finally {
    await sql.end()
  }
}

Deno.test('provider function answers 401 on every endpoint when signed out', async () => {
  const { world: w, partnershipIds } = await world()
  for (const endpoint of endpoints(w, partnershipIds[1]!)) {
    assertError(await callProvider(endpoint.path, { body: endpoint.body }), 401, 'unauthorised')
  }
  assert.equal(await partnershipCount(w.schools.map((school) => school.id)), 3)
})

Deno.test('provider function answers 401 to a token signed with a key not in the JWKS', async () => {
  const { world: w, partnershipIds } = await world()
  const { privateKey } = await generateKeyPair('ES256')
  const now = Math.floor(Date.now() / 1000)
  const forged = await new SignJWT({ role: 'authenticated', email: w.a.user.email })
    .setProtectedHeader({ alg: 'ES256', kid: 'forged' })
    .setSubject(w.a.user.id)
    .setIssuer(`${stack.apiUrl}/auth/v1`)
    .setAudience('authenticated')
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(privateKey)
  for (const endpoint of endpoints(w, partnershipIds[1]!)) {
    const answer = await callProvider(endpoint.path, { token: forged, body: endpoint.body })
    assertError(answer, 401, 'unauthorised')
  }
})

Deno.test('provider function answers 403 to a signed-in person who is not a provider user', async () => {
  const { world: w, partnershipIds } = await world()
  const person = await createUser('not-a-provider')
  const { session } = await signIn(person.email)
  for (const endpoint of endpoints(w, partnershipIds[1]!)) {
    const answer = await callProvider(endpoint.path, {
      token: session.access_token,
      body: endpoint.body,
    })
    assertError(answer, 403, 'not_a_provider_user')
  }
  assert.equal(await partnershipCount(w.schools.map((school) => school.id)), 3)
})

Deno.test('GET /provider/me shows lead provider B nothing of A', async () => {
  const { world: w } = await world()
  const answer = await callProvider('/me', { token: w.b.accessToken })
  assert.equal(answer.status, 200, answer.text)
  assert.deepEqual(answer.body, {
    lead_provider: { id: w.b.id, name: w.b.name },
    user: { full_name: 'Test Provider User', email: w.b.user.email },
    cohorts: [{
      start_year: w.cohort,
      delivery_partners: [w.b.deliveryPartner],
      schools: 0,
      challenged: 0,
    }],
    challenged: 0,
  })
})

Deno.test('GET /provider/partnerships lists none of A’s schools to B, whatever B searches', async () => {
  const { world: w } = await world()
  const searches = ['', w.schools[0]!.urn, w.schools[1]!.name, w.a.deliveryPartner.name, '%']
  for (const q of searches) {
    const answer = await callProvider(
      `/partnerships?cohort=${w.cohort}&q=${encodeURIComponent(q)}`,
      { token: w.b.accessToken },
    )
    assert.equal(answer.status, 200, answer.text)
    const body = answer.body as { total: number; partnerships: unknown[] }
    assert.equal(body.total, 0, q)
    assert.deepEqual(body.partnerships, [], q)
  }
})

Deno.test('GET /provider/partnerships/:id answers B for A’s school exactly as for no school', async () => {
  const { world: w, partnershipIds } = await world()
  const forA = await callProvider(`/partnerships/${partnershipIds[0]}`, { token: w.b.accessToken })
  const forNone = await callProvider(`/partnerships/${crypto.randomUUID()}`, {
    token: w.b.accessToken,
  })
  assertError(forA, 404, 'partnership_not_found')
  assert.equal(forA.text, forNone.text)
  const own = await callProvider(`/partnerships/${partnershipIds[0]}`, { token: w.a.accessToken })
  assert.equal(own.status, 200, own.text)
})

Deno.test('GET /provider/partnerships.csv downloads none of A’s schools for B', async () => {
  const { world: w } = await world()
  const answer = await callProvider(`/partnerships.csv?cohort=${w.cohort}`, {
    token: w.b.accessToken,
  })
  assert.equal(answer.status, 200)
  assert.equal(
    answer.text,
    '\ufeffurn,school_name,delivery_partner,status,challenge_reason,reported_on\r\n',
  )
})

Deno.test('POST /provider/reports refuses B A’s delivery partner as it refuses an unknown one', async () => {
  const { world: w } = await world()
  const schoolIds = w.schools.map((school) => school.id)
  for (const path of ['/reports/check', '/reports']) {
    const body = (deliveryPartnerId: string) => ({
      cohort: w.cohort,
      delivery_partner_id: deliveryPartnerId,
      urns: [w.schools[4]!.urn],
    })
    const withA = await callProvider(path, {
      token: w.b.accessToken,
      body: body(w.a.deliveryPartner.id),
    })
    const withNone = await callProvider(path, {
      token: w.b.accessToken,
      body: body(crypto.randomUUID()),
    })
    assert.ok(withA.status >= 400 && withA.status < 500, withA.text)
    assert.equal(withA.status, withNone.status)
    assert.equal(withA.text, withNone.text)
  }
  assert.equal(await partnershipCount(schoolIds), 3)
})

Deno.test('POST /provider/reports gives B no school A holds, and no detail of A', async () => {
  const { world: w } = await world()
  const answer = await reportUrns(w, [w.schools[1]!.urn], w.b)
  assert.equal(answer.status, 200, answer.text)
  const [row] = (answer.body as Report).rows
  assert.equal(row?.error, 'Recruited by other provider')
  assert.equal(row?.partnership_id, null)
  assert.ok(!answer.text.includes(w.a.name), 'names lead provider A')
  assert.ok(!answer.text.includes(w.a.deliveryPartner.name), 'names A’s delivery partner')
  assert.equal(await partnershipCount(w.schools.map((school) => school.id)), 3)
})
