/**
 * The provider function's reports, through `app.request()` on the app its factory makes with a
 * literal configuration and a database bound to a transaction rolled back after each test
 * (tests/_handlers.ts): the signed-in user's access token is checked against the configuration's
 * keys, and the report rule runs under RLS as them. tests/provider_api_test.ts keeps the rest,
 * through the running stack.
 */
import assert from 'node:assert/strict'
import { accessToken, bearer, handlerTest, testConfig } from '../../../tests/_handlers.ts'
import { createSchool, createWorld, type Tx, type World } from '../../tests/_db.ts'
import type { Database } from '../_shared/db.ts'
import { createProviderApp } from './app.ts'
import type { ReportRow } from './provider_data.ts'

type Report = {
  delivery_partner: { id: string; name: string }
  counts: { rows: number; errors: number; valid: number; confirmed: number }
  rows: ReportRow[]
}

/** Posts a report of `urns` for lead provider A of `world`, as its user. */
function reporter(database: Database, world: World) {
  const app = createProviderApp({ config: testConfig, database })
  return async (path: '/reports' | '/reports/check', urns: string[]) => {
    const body = {
      cohort: world.startYear,
      delivery_partner_id: world.a.deliveryPartnerId,
      urns,
    }
    const token = await accessToken(world.a.userId, world.a.userEmail)
    const response = await app.request(`/provider${path}`, bearer(token, body))
    const text = await response.text()
    assert.equal(response.status, 200, text)
    return JSON.parse(text) as Report
  }
}

async function partnershipsOf(tx: Tx, world: World): Promise<number> {
  const [row] = await tx<{ count: number }[]>`
    select count(*)::int as count from public.partnerships
    where lead_provider_id = ${world.a.leadProviderId}`
  return row!.count
}

handlerTest(
  'POST /provider/reports/check gives each line its rule error and changes nothing',
  async ({ tx, database }) => {
    const world = await createWorld(tx)
    const oak = await createSchool(tx)
    const elm = await createSchool(tx)
    const body = await reporter(database, world)('/reports/check', [
      oak.urn,
      '',
      'not a urn',
      `00${elm.urn}`,
    ])
    assert.deepEqual(body.delivery_partner, {
      id: world.a.deliveryPartnerId,
      name: world.a.deliveryPartnerName,
    })
    assert.deepEqual(
      body.rows.map(({ row_number, urn, school_name, error }) => ({
        row_number,
        urn,
        school_name,
        error,
      })),
      [
        { row_number: 1, urn: oak.urn, school_name: oak.name, error: null },
        { row_number: 3, urn: null, school_name: null, error: 'URN is not valid' },
        { row_number: 4, urn: elm.urn, school_name: elm.name, error: null },
      ],
    )
    assert.deepEqual(body.counts, { rows: 3, errors: 1, valid: 2, confirmed: 0 })
    assert.equal(await partnershipsOf(tx, world), 0)
  },
)

handlerTest(
  'POST /provider/reports records the valid schools and a second report finds them confirmed',
  async ({ tx, database }) => {
    const world = await createWorld(tx)
    const urns = [(await createSchool(tx)).urn, (await createSchool(tx)).urn]
    const report = reporter(database, world)
    const first = await report('/reports', urns)
    assert.deepEqual(first.counts, { rows: 2, errors: 0, valid: 2, confirmed: 2 })
    assert.ok(first.rows.every((row) => row.partnership_id !== null))
    assert.equal(await partnershipsOf(tx, world), 2)

    const again = await report('/reports', urns)
    assert.deepEqual(
      again.rows.map((row) => row.error),
      ['Your school - already confirmed', 'Your school - already confirmed'],
    )
    assert.equal(again.counts.confirmed, 0)
    assert.equal(await partnershipsOf(tx, world), 2)
  },
)

handlerTest(
  'the provider function answers 401 without a token and 403 to a signed-in person who is not a provider user',
  async ({ tx, database }) => {
    const world = await createWorld(tx)
    const app = createProviderApp({ config: testConfig, database })
    const anonymous = await app.request('/provider/me')
    assert.equal(anonymous.status, 401)
    assert.equal((await anonymous.json()).error.code, 'unauthorised')
    for (const userId of [world.supportUserId, world.nobodyUserId]) {
      const response = await app.request('/provider/me', bearer(await accessToken(userId)))
      assert.equal(response.status, 403)
      assert.equal((await response.json()).error.code, 'not_a_provider_user')
    }
  },
)
