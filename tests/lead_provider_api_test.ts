/**
 * The Lead Provider API over real HTTP through the running stack, as a provider's own system
 * calls it: tokens (unknown, revoked, the wrong kind), every endpoint, the portal's rules and
 * messages, idempotent retries, the re-report that a change of delivery partner is, the rate
 * limit, and pages that stay correct while rows change. Every answer is checked against
 * openapi.json by the client (tests/_lead_provider_api.ts).
 */
import assert from 'node:assert/strict'
import { mailbox, waitForEmail, withSql } from './_stack.ts'
import {
  addApiToken,
  type ApiAnswer,
  type ApiWorld,
  callApi,
  createApiWorld,
  partnershipBody,
} from './_lead_provider_api.ts'
import { challenge } from './provider_world.ts'

type Partnership = {
  type: 'partnership'
  id: string
  attributes: Record<string, string | null> & {
    status: string
    delivery_partner_id: string
  }
}
type Page = {
  data: Partnership[]
  meta: { page_size: number; next_cursor: string | null }
}
type Errors = {
  errors: { status: string; code: string; title: string; detail: string }[]
}

function assertError(
  answer: ApiAnswer,
  status: number,
  code: string,
  detail?: string,
) {
  assert.equal(answer.status, status, answer.text)
  assert.match(
    answer.headers.get('content-type') ?? '',
    /^application\/vnd\.api\+json/,
  )
  const [error] = (answer.body as Errors).errors
  assert.equal(error?.code, code, answer.text)
  assert.equal(error?.status, String(status))
  if (detail !== undefined) assert.equal(error?.detail, detail)
}

async function report(
  w: ApiWorld,
  urn: string,
  headers: Record<string, string> = {},
) {
  return await callApi('POST', '/partnerships', {
    token: w.a.apiToken,
    headers,
    body: partnershipBody({
      cohort: String(w.cohort),
      delivery_partner_id: w.a.deliveryPartner.id,
      urn,
    }),
  })
}

async function reported(w: ApiWorld, urn: string): Promise<Partnership> {
  const answer = await report(w, urn)
  assert.equal(answer.status, 201, answer.text)
  return (answer.body as { data: Partnership }).data
}

function withoutUpdatedAt({ attributes: { updated_at: _, ...attributes }, ...rest }: Partnership) {
  return { ...rest, attributes }
}

Deno.test('lead-provider-api answers 401 for no token, an unknown one and a revoked one, and 403 for a sign-in session', async () => {
  const w = await createApiWorld({ schools: 0 })
  assertError(
    await callApi('GET', '/partnerships'),
    401,
    'unauthorised',
    'HTTP Token: Access denied',
  )
  assertError(
    await callApi('GET', '/partnerships', { token: `lpapi_${'x'.repeat(43)}` }),
    401,
    'unauthorised',
  )
  assertError(
    await callApi('GET', '/partnerships', {
      headers: { authorization: `Basic ${w.a.apiToken}` },
    }),
    401,
    'unauthorised',
  )
  assertError(
    await callApi('GET', '/partnerships', { token: w.a.accessToken }),
    403,
    'wrong_credential',
  )

  assert.equal(
    (await callApi('GET', '/partnerships', { token: w.a.apiToken })).status,
    200,
  )
  await withSql(async (sql) => {
    const [used] =
      await sql`select last_used_at from app.api_tokens where api_token_id = ${w.a.apiTokenId}`
    assert.ok(used?.last_used_at instanceof Date, 'last_used_at is recorded')
    await sql`update app.api_tokens set revoked_at = now() where api_token_id = ${w.a.apiTokenId}`
  })
  assertError(
    await callApi('GET', '/partnerships', { token: w.a.apiToken }),
    401,
    'unauthorised',
  )
})

Deno.test('POST /partnerships reports a school with the portal rule: 201, the school emailed, an api event', async () => {
  const w = await createApiWorld({ schools: 1 })
  const school = w.schools[0]!
  const data = await reported(w, school.urn)
  assert.equal(data.attributes.urn, school.urn)
  assert.equal(data.attributes.school_id, school.id)
  assert.equal(data.attributes.school_name, school.name)
  assert.equal(data.attributes.cohort, String(w.cohort))
  assert.equal(data.attributes.delivery_partner_name, w.a.deliveryPartner.name)
  assert.equal(data.attributes.status, 'active')
  assert.equal(data.attributes.challenged_reason, null)
  await withSql(async (sql) => {
    // The sender may already have recorded `notified`: only the report's own event is asserted.
    const events = await sql`
      select kind, channel, actor_user_id from public.partnership_events
      where partnership_id = ${data.id} and kind <> 'notified'`
    assert.deepEqual([...events], [{
      kind: 'reported',
      channel: 'api',
      actor_user_id: null,
    }])
    const emails = await sql`
      select kind from public.notifications where partnership_id = ${data.id} order by kind`
    assert.deepEqual(emails.map((e) => e.kind), [
      'school_first',
      'school_reminder',
    ])
  })
  const email = await waitForEmail(`office@${school.urn}.example.test`)
  assert.equal(
    email.personalisation.delivery_partner_name,
    w.a.deliveryPartner.name,
  )
})

Deno.test('POST /partnerships gives the portal rule’s messages: already confirmed and recruited by another provider are 409, the rest 422', async () => {
  const w = await createApiWorld({ schools: 1 })
  const school = w.schools[0]!
  await reported(w, school.urn)
  assertError(
    await report(w, school.urn),
    409,
    'already_confirmed',
    'Your school - already confirmed',
  )
  const byB = await callApi('POST', '/partnerships', {
    token: w.b.apiToken,
    body: partnershipBody({
      cohort: w.cohort,
      delivery_partner_id: w.b.deliveryPartner.id,
      urn: school.urn,
    }),
  })
  assertError(
    byB,
    409,
    'recruited_by_other_provider',
    'Recruited by other provider',
  )
  assertError(
    await report(w, '99999999'),
    422,
    'urn_not_valid',
    'URN is not valid',
  )
  const unrelated = await callApi('POST', '/partnerships', {
    token: w.b.apiToken,
    body: partnershipBody({
      cohort: w.cohort,
      delivery_partner_id: w.a.deliveryPartner.id,
      urn: '1',
    }),
  })
  assertError(
    unrelated,
    422,
    'delivery_partner_not_related',
    'You do not work with this delivery partner in this cohort.',
  )
  const noCohort = await callApi('POST', '/partnerships', {
    token: w.a.apiToken,
    body: partnershipBody({
      cohort: 2001,
      delivery_partner_id: w.a.deliveryPartner.id,
      urn: '1',
    }),
  })
  assertError(
    noCohort,
    422,
    'cohort_not_found',
    'There is no cohort starting in that year.',
  )
  const unknownSchool = await callApi('POST', '/partnerships', {
    token: w.a.apiToken,
    body: partnershipBody({
      cohort: w.cohort,
      delivery_partner_id: w.a.deliveryPartner.id,
      school_id: crypto.randomUUID(),
    }),
  })
  assertError(unknownSchool, 422, 'school_not_found')
  for (
    const bad of [
      '{"data":',
      {},
      { data: { type: 'partnership', attributes: { cohort: w.cohort } } },
      partnershipBody({
        cohort: w.cohort,
        delivery_partner_id: 'nope',
        urn: '1',
      }),
    ]
  ) {
    const answer = await callApi('POST', '/partnerships', {
      token: w.a.apiToken,
      body: bad,
    })
    assert.equal(answer.status, 400, answer.text)
  }
})

Deno.test('POST /partnerships takes a school_id found with GET /schools, and GET /delivery-partners lists A’s partners', async () => {
  const w = await createApiWorld({ schools: 2 })
  const [oak, elm] = w.schools
  const found = await callApi(
    'GET',
    `/schools?filter[urn]=${oak!.urn},00${elm!.urn},123456789`,
    {
      token: w.a.apiToken,
    },
  )
  assert.equal(found.status, 200, found.text)
  const schools = (found.body as { data: { id: string; attributes: { urn: string } }[] })
    .data
  assert.deepEqual(schools.map((s) => s.id).sort(), [oak!.id, elm!.id].sort())
  const created = await callApi('POST', '/partnerships', {
    token: w.a.apiToken,
    body: partnershipBody({
      cohort: w.cohort,
      delivery_partner_id: w.a.deliveryPartner.id,
      school_id: oak!.id,
    }),
  })
  assert.equal(created.status, 201, created.text)
  assert.equal(
    (created.body as { data: Partnership }).data.attributes.urn,
    oak!.urn,
  )

  const partners = await callApi('GET', '/delivery-partners', {
    token: w.a.apiToken,
  })
  assert.equal(partners.status, 200)
  assert.deepEqual(
    (partners.body as {
      data: { id: string; attributes: { cohorts: string[] } }[]
    }).data
      .map((p) => [p.id, p.attributes.cohorts]).sort(),
    [[w.a.deliveryPartner.id, [String(w.cohort)]], [w.otherPartner.id, [
      String(w.cohort),
    ]]].sort(),
  )
  assertError(
    await callApi('GET', '/schools', { token: w.a.apiToken }),
    400,
    'invalid_request',
  )
})

Deno.test('GET /partnerships/{id} answers B for A’s partnership exactly as for an id that does not exist', async () => {
  const w = await createApiWorld({ schools: 1 })
  const data = await reported(w, w.schools[0]!.urn)
  const own = await callApi('GET', `/partnerships/${data.id}`, {
    token: w.a.apiToken,
  })
  assert.equal(own.status, 200)
  // The sender may record the school's first email between the two calls (it leaves within a
  // second of the report), which moves `updated_at` and nothing else the API shows.
  const ownData = (own.body as { data: Partnership }).data
  assert.deepEqual(withoutUpdatedAt(ownData), withoutUpdatedAt(data))
  assert.ok(ownData.attributes.updated_at! >= data.attributes.updated_at!)
  const others = await callApi('GET', `/partnerships/${data.id}`, {
    token: w.b.apiToken,
  })
  const unknown = await callApi('GET', `/partnerships/${crypto.randomUUID()}`, {
    token: w.b.apiToken,
  })
  assertError(others, 404, 'partnership_not_found')
  assert.equal(others.text, unknown.text)
  assertError(
    await callApi('GET', '/partnerships/not-a-uuid', { token: w.a.apiToken }),
    400,
    'invalid_request',
  )
  const listedByB = await callApi('GET', '/partnerships', {
    token: w.b.apiToken,
  })
  assert.deepEqual((listedByB.body as Page).data, [])
})

Deno.test('GET /partnerships filters by cohort, delivery partner and updated_since, includes challenged ones with reason and time, and sorts', async () => {
  const w = await createApiWorld({ schools: 3 })
  const made: Partnership[] = []
  for (const school of w.schools) made.push(await reported(w, school.urn))
  const list = async (query: string) => {
    const answer = await callApi('GET', `/partnerships?${query}`, {
      token: w.a.apiToken,
    })
    assert.equal(answer.status, 200, answer.text)
    return (answer.body as Page).data
  }
  assert.deepEqual(
    (await list(`filter[cohort]=${w.cohort}`)).map((p) => p.id),
    made.map((p) => p.id),
  )
  assert.deepEqual(
    (await list(`filter[cohort]=${w.cohort}&sort=-created_at`)).map((p) => p.id),
    made.map((p) => p.id).reverse(),
  )
  assert.deepEqual(
    await list(
      `filter[cohort]=${w.cohort}&filter[delivery_partner_id]=${w.otherPartner.id}`,
    ),
    [],
  )

  const before = made.at(-1)!.attributes.updated_at!
  await challenge(made[0]!.id, 'do_not_recognise')
  const changed = await list(
    `filter[cohort]=${w.cohort}&filter[updated_since]=${
      encodeURIComponent(before)
    }&sort=updated_at`,
  )
  assert.equal(
    changed.at(-1)?.id,
    made[0]!.id,
    'the challenged partnership is the latest change',
  )
  const challenged = changed.at(-1)!
  assert.equal(challenged.attributes.status, 'challenged')
  assert.equal(challenged.attributes.challenged_reason, 'do_not_recognise')
  assert.equal(
    challenged.attributes.challenged_reason_label,
    'I do not recognise this training provider',
  )
  assert.ok(challenged.attributes.challenged_at)
  const later = new Date(Date.now() + 60_000).toISOString()
  assert.deepEqual(
    await list(`filter[cohort]=${w.cohort}&filter[updated_since]=${later}`),
    [],
  )

  for (const query of ['filter[updated_since]=yesterday', 'sort=name', 'filter[school]=1']) {
    assertError(
      await callApi('GET', `/partnerships?${query}`, { token: w.a.apiToken }),
      400,
      'invalid_request',
    )
  }
})

Deno.test('GET /partnerships pages with a cursor that neither skips nor repeats rows while rows are added and changed', async () => {
  const w = await createApiWorld({ schools: 7 })
  const made: string[] = []
  for (const school of w.schools.slice(0, 5)) {
    made.push((await reported(w, school.urn)).id)
  }
  const seen: string[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const cursorParam: string = cursor === null ? '' : `&page[cursor]=${cursor}`
    const answer = await callApi(
      'GET',
      `/partnerships?filter[cohort]=${w.cohort}&page[size]=2${cursorParam}`,
      {
        token: w.a.apiToken,
      },
    )
    assert.equal(answer.status, 200, answer.text)
    const page = answer.body as Page
    seen.push(...page.data.map((p) => p.id))
    cursor = page.meta.next_cursor
    pages += 1
    if (pages === 1) {
      // Between pages: one already seen is challenged, one not yet seen changes, one is added.
      await challenge(made[0]!)
      await challenge(made[3]!)
      made.push((await reported(w, w.schools[5]!.urn)).id)
    }
  } while (cursor !== null)
  assert.deepEqual(
    seen,
    made,
    'every row once, in creation order, the new one last',
  )
  assertError(
    await callApi('GET', '/partnerships?page[cursor]=bm9wZQ', {
      token: w.a.apiToken,
    }),
    400,
    'invalid_cursor',
  )
})

Deno.test('PUT /partnerships/{id} with another delivery partner re-reports: new emails naming it, the window starts again', async () => {
  const w = await createApiWorld({ schools: 1 })
  const school = w.schools[0]!
  const data = await reported(w, school.urn)
  const address = `office@${school.urn}.example.test`
  await waitForEmail(address)
  // Ten days into the window: the deadline is four days away.
  await withSql((sql) =>
    sql`update public.partnerships set reported_at = now() - interval '10 days',
      school_notified_at = now() - interval '10 days' where partnership_id = ${data.id}`
  )
  const deadline = () =>
    withSql(async (sql) => {
      const [row] = await sql<{ days: number }[]>`
        select app.partnership_deadline_date(${data.id}::uuid)
          - (now() at time zone 'Europe/London')::date as days`
      return row!.days
    })
  assert.equal(await deadline(), 4)

  const same = await callApi('PUT', `/partnerships/${data.id}`, {
    token: w.a.apiToken,
    body: {
      data: {
        type: 'partnership',
        attributes: { delivery_partner_id: w.a.deliveryPartner.id },
      },
    },
  })
  assert.equal(same.status, 200, same.text)
  assert.equal(
    await deadline(),
    4,
    'the same delivery partner changes nothing',
  )

  const changed = await callApi('PUT', `/partnerships/${data.id}`, {
    token: w.a.apiToken,
    body: {
      data: {
        type: 'partnership',
        attributes: { delivery_partner_id: w.otherPartner.id },
      },
    },
  })
  assert.equal(changed.status, 200, changed.text)
  const after = (changed.body as { data: Partnership }).data
  assert.equal(after.attributes.delivery_partner_id, w.otherPartner.id)
  assert.equal(after.attributes.delivery_partner_name, w.otherPartner.name)
  assert.ok(after.attributes.updated_at! > data.attributes.updated_at!)
  assert.equal(await deadline(), 14, 'the window starts again')
  const email = await waitForEmail(
    address,
    (message) => message.personalisation.delivery_partner_name === w.otherPartner.name,
  )
  assert.equal(email.personalisation.lead_provider_name, w.a.name)
  await withSql(async (sql) => {
    const events = await sql`
      select kind, channel, details ->> 'delivery_partner_id' as partner
      from public.partnership_events where partnership_id = ${data.id} and kind like '%reported'
      order by event_id`
    assert.deepEqual(events.map((e) => [e.kind, e.channel, e.partner]), [
      ['reported', 'api', w.a.deliveryPartner.id],
      ['re_reported', 'api', w.otherPartner.id],
    ])
  })
})

Deno.test('PUT /partnerships/{id} refuses a challenged partnership (409), a partner A does not work with (422) and B (404)', async () => {
  const w = await createApiWorld({ schools: 2 })
  const [active, lost] = [
    await reported(w, w.schools[0]!.urn),
    await reported(w, w.schools[1]!.urn),
  ]
  await challenge(lost.id)
  const put = (id: string, partner: string, token = w.a.apiToken) =>
    callApi('PUT', `/partnerships/${id}`, {
      token,
      body: {
        data: {
          type: 'partnership',
          attributes: { delivery_partner_id: partner },
        },
      },
    })
  assertError(
    await put(lost.id, w.otherPartner.id),
    409,
    'partnership_challenged',
  )
  assertError(
    await put(active.id, w.b.deliveryPartner.id),
    422,
    'delivery_partner_not_related',
  )
  const byB = await put(active.id, w.b.deliveryPartner.id, w.b.apiToken)
  assertError(byB, 404, 'partnership_not_found')
  assert.equal(
    byB.text,
    (await put(crypto.randomUUID(), w.b.deliveryPartner.id, w.b.apiToken)).text,
  )
  // A challenged school is reported again with POST, as the portal re-reports it.
  const again = await report(w, w.schools[1]!.urn)
  assert.equal(again.status, 201, again.text)
  assert.equal((again.body as { data: Partnership }).data.id, lost.id)
  assert.equal(
    (again.body as { data: Partnership }).data.attributes.status,
    'active',
  )
})

Deno.test('a retried POST /partnerships with the same Idempotency-Key reports once and emails once', async () => {
  const w = await createApiWorld({ schools: 2 })
  const school = w.schools[0]!
  const key = crypto.randomUUID()
  const first = await report(w, school.urn, { 'idempotency-key': key })
  assert.equal(first.status, 201, first.text)
  const [retry, together] = await Promise.all([
    report(w, school.urn, { 'idempotency-key': key }),
    report(w, school.urn, { 'idempotency-key': key }),
  ])
  for (const answer of [retry, together]) {
    assert.equal(answer.status, 201, answer.text)
    assert.equal(answer.text, first.text)
    assert.equal(answer.headers.get('idempotent-replayed'), 'true')
  }
  assertError(
    await report(w, w.schools[1]!.urn, { 'idempotency-key': key }),
    422,
    'idempotency_key_reused',
  )
  assertError(
    await report(w, w.schools[1]!.urn, { 'idempotency-key': '' }),
    400,
    'invalid_idempotency_key',
  )
  const id = (first.body as { data: Partnership }).data.id
  await withSql(async (sql) => {
    const [counts] = await sql<{ partnerships: number; emails: number }[]>`
      select
        (select count(*)::int from public.partnerships where school_id = ${school.id}) as partnerships,
        (select count(*)::int from public.notifications
          where partnership_id = ${id} and kind = 'school_first') as emails`
    assert.deepEqual(counts, { partnerships: 1, emails: 1 })
  })
  const address = `office@${school.urn}.example.test`
  await waitForEmail(address)
  assert.equal((await mailbox({ to: address })).length, 1)
})

Deno.test('POST /partnerships/bulk reports each item with its own answer, in the order given', async () => {
  const w = await createApiWorld({ schools: 3 })
  const [oak, elm, ash] = w.schools
  await reported(w, ash!.urn)
  const item = (urn: string, partner = w.a.deliveryPartner.id) => ({
    type: 'partnership',
    attributes: { cohort: w.cohort, delivery_partner_id: partner, urn },
  })
  const answer = await callApi('POST', '/partnerships/bulk', {
    token: w.a.apiToken,
    headers: { 'idempotency-key': crypto.randomUUID() },
    body: {
      data: [
        item(oak!.urn),
        item('nonsense'),
        item(ash!.urn),
        item(elm!.urn, w.otherPartner.id),
        item(oak!.urn),
        item(elm!.urn, w.b.deliveryPartner.id),
      ],
    },
  })
  assert.equal(answer.status, 200, answer.text)
  const { results, meta } = answer.body as {
    results: ({ status: string; data?: Partnership } & Partial<Errors>)[]
    meta: { created: number; failed: number }
  }
  assert.deepEqual(results.map((r) => r.status), [
    '201',
    '422',
    '409',
    '201',
    '422',
    '422',
  ])
  assert.deepEqual(
    results.map((r) => r.errors?.[0]?.code ?? r.data?.attributes.urn),
    [
      oak!.urn,
      'urn_not_valid',
      'already_confirmed',
      elm!.urn,
      'duplicate_in_request',
      'delivery_partner_not_related',
    ],
  )
  assert.deepEqual(meta, { created: 2, failed: 4 })
  assertError(
    await callApi('POST', '/partnerships/bulk', {
      token: w.a.apiToken,
      body: { data: [] },
    }),
    400,
    'invalid_request',
  )
})

Deno.test('a token over its rate limit gets 429 with Retry-After, and other tokens do not', async () => {
  const w = await createApiWorld({ schools: 0 })
  const limited = await withSql((sql) => addApiToken(sql, w.a.id, { requestsPerMinute: 2 }))
  const answers: ApiAnswer[] = []
  for (let i = 0; i < 3; i++) {
    answers.push(
      await callApi('GET', '/delivery-partners', { token: limited.token }),
    )
  }
  // A new minute may start between calls; then the third is the first of that minute.
  const refused = answers.find((answer) => answer.status === 429) ??
    await callApi('GET', '/delivery-partners', { token: limited.token })
  assertError(refused, 429, 'too_many_requests')
  const wait = Number(refused.headers.get('retry-after'))
  assert.ok(
    Number.isInteger(wait) && wait >= 1 && wait <= 60,
    `Retry-After ${wait}`,
  )
  assert.equal(
    (await callApi('GET', '/delivery-partners', { token: w.a.apiToken }))
      .status,
    200,
  )
})

Deno.test('lead-provider-api answers unknown paths with a JSON:API 404 and unknown media types with 415', async () => {
  const w = await createApiWorld({ schools: 0 })
  const missing = await callApi('GET', '/nothing-here', {
    token: w.a.apiToken,
    unchecked: true,
  })
  assert.equal(missing.status, 404)
  assert.equal((missing.body as Errors).errors[0]?.code, 'not_found')
  const wrongType = await callApi('POST', '/partnerships', {
    token: w.a.apiToken,
    body: 'cohort=2026',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    unchecked: true,
  })
  assert.equal(wrongType.status, 415)
  assert.equal(
    (wrongType.body as Errors).errors[0]?.code,
    'unsupported_media_type',
  )
})
