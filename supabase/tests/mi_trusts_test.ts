/**
 * The MI views for trusts and for "Get a new link", on a fixed data set made through the service's
 * own rules (app.report_schools, app.challenge_by_support, app.request_new_link), read as role
 * analyst. Each query is limited to the test's own cohort or providers, so other data in the
 * database does not change the figures.
 */
import assert from 'node:assert/strict'
import {
  actAs,
  actAsOwner,
  challengeBySupport,
  createSchool,
  createWorld,
  reportAs,
  type Tx,
  txTest,
  unique,
} from './_db.ts'

/**
 * Lead provider A reports 2 of the 3 open schools of Oak trust (it also has a closed one), and
 * support challenges one of them; B reports both schools of Elm trust and a school in no trust.
 * Then a new link is asked for twice for one of A's schools and once for one of B's.
 */
async function fixedDataSet(tx: Tx) {
  const world = await createWorld(tx)
  const id = unique()
  const oak = { uid: `oak${id}`, name: `Oak Trust ${id}`, type: 'multi_academy_trust' as const }
  const elm = { uid: `elm${id}`, name: `Elm Trust ${id}`, type: 'multi_academy_trust' as const }
  const [o1, o2] = [await createSchool(tx, { trust: oak }), await createSchool(tx, { trust: oak })]
  await createSchool(tx, { trust: oak })
  await createSchool(tx, { trust: oak, status: 'closed' })
  const [e1, e2] = [await createSchool(tx, { trust: elm }), await createSchool(tx, { trust: elm })]
  const alone = await createSchool(tx)

  const byA = await reportAs(tx, world.a.userId, world, world.a.deliveryPartnerId, [
    o1!.urn,
    o2!.urn,
  ])
  const byB = await reportAs(tx, world.b.userId, world, world.b.deliveryPartnerId, [
    e1!.urn,
    e2!.urn,
    alone.urn,
  ])
  await challengeBySupport(tx, world, byA[0]!.partnershipId!)
  // As if the first emails had reached the schools: a new link is only for a report it can end.
  await tx`
    update public.partnerships set school_notified_at = now()
    where partnership_id = any(${[...byA, ...byB].map((row) => row.partnershipId!)}::uuid[])`

  await actAs(tx, 'service_role')
  const client = crypto.getRandomValues(new Uint8Array(32))
  for (const urn of [o2!.urn, o2!.urn, e1!.urn, '99999999']) {
    const [row] = await tx`select app.request_new_link(${urn}, ${client}) as result`
    assert.deepEqual(row!.result, { status: 'accepted' })
  }
  await actAsOwner(tx)
  await actAs(tx, 'analyst')
  return { world, oak, elm }
}

txTest(
  'mi.challenges_by_trust shows each provider’s trusts, how many schools, and coverage',
  async (tx) => {
    const { world, oak, elm } = await fixedDataSet(tx)
    const rows = await tx`
    select lead_provider_name, trust_name, schools_in_trust::int, schools_reported::int,
      trust_coverage, reports::int, reports_challenged::int, challenge_rate::float8
    from mi.challenges_by_trust where cohort_start_year = ${world.startYear}
    order by trust_name`
    assert.deepEqual(rows.map((row) => ({ ...row })), [
      {
        lead_provider_name: world.b.name,
        trust_name: elm.name,
        schools_in_trust: 2,
        schools_reported: 2,
        trust_coverage: 'Every school in the trust',
        reports: 2,
        reports_challenged: 0,
        challenge_rate: 0,
      },
      {
        lead_provider_name: world.a.name,
        trust_name: oak.name,
        schools_in_trust: 3,
        schools_reported: 2,
        trust_coverage: 'Some schools in the trust',
        reports: 2,
        reports_challenged: 1,
        challenge_rate: 0.5,
      },
    ])

    const coverage = await tx`
    select trust_coverage, provider_trusts::int, reports::int, reports_challenged::int,
      challenge_rate::float8
    from mi.challenge_rates_by_trust_coverage where cohort_start_year = ${world.startYear}
    order by trust_coverage`
    assert.deepEqual(coverage.map((row) => ({ ...row })), [
      {
        trust_coverage: 'Every school in the trust',
        provider_trusts: 1,
        reports: 2,
        reports_challenged: 0,
        challenge_rate: 0,
      },
      {
        trust_coverage: 'Some schools in the trust',
        provider_trusts: 1,
        reports: 2,
        reports_challenged: 1,
        challenge_rate: 0.5,
      },
    ])
  },
)

txTest('mi.new_links_by_lead_provider counts the schools that needed a new link', async (tx) => {
  const { world } = await fixedDataSet(tx)
  const rows = await tx`
    select lead_provider_name, schools_needing_new_link::int, new_link_requests::int
    from mi.new_links_by_lead_provider where cohort_start_year = ${world.startYear}
    order by lead_provider_name`
  assert.deepEqual(rows.map((row) => ({ ...row })), [
    { lead_provider_name: world.a.name, schools_needing_new_link: 1, new_link_requests: 2 },
    { lead_provider_name: world.b.name, schools_needing_new_link: 1, new_link_requests: 1 },
  ])
  // Every request, matched or not, by day: today's include this test's four, three matched.
  const [today] = await tx`
    select requests::int, requests_matched::int from mi.new_link_requests_by_day
    where request_date = (now() at time zone 'Europe/London')::date`
  assert.ok(today!.requests >= 4 && today!.requests_matched >= 3, JSON.stringify(today))
})

txTest('analyst cannot read the new-link requests table itself', async (tx) => {
  await actAs(tx, 'analyst')
  await assert.rejects(tx`select urn from app.new_link_requests`, /permission denied/)
})
