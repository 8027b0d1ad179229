/**
 * Finding a school in the support function, through `app.request()` on the app its factory makes
 * with a literal configuration and a database bound to a transaction rolled back after each test
 * (tests/_handlers.ts): the caller's access token is checked against the configuration's keys,
 * the caller must be a support user, and the search runs under RLS as them.
 * tests/support_api_test.ts keeps the rest, through the running stack.
 */
import assert from 'node:assert/strict'
import { accessToken, bearer, handlerTest, testConfig } from '../../../tests/_handlers.ts'
import { createSchool, createWorld, reportAs, type Tx } from '../../tests/_db.ts'
import type { Database } from '../_shared/db.ts'
import { createSupportApp } from './app.ts'

/** A world whose lead provider A has reported one school. */
async function reportedSchool(tx: Tx) {
  const world = await createWorld(tx)
  const school = await createSchool(tx, { localAuthority: 'Leeds' })
  await reportAs(tx, world.a.userId, world, world.a.deliveryPartnerId, [school.urn])
  return { world, school }
}

/** GETs `/support<path>` as `userId`; answers status and JSON body. */
function getter(database: Database, userId: string) {
  const app = createSupportApp({ config: testConfig, database })
  return async (path: string) => {
    const response = await app.request(`/support${path}`, bearer(await accessToken(userId)))
    return { status: response.status, body: await response.json() }
  }
}

handlerTest(
  'GET /support/schools finds a school by URN, with leading zeros, and by part of its name',
  async ({ tx, database }) => {
    const { world, school } = await reportedSchool(tx)
    const get = getter(database, world.supportUserId)
    for (const q of [school.urn, `00${school.urn}`, school.name.slice(-10)]) {
      const answer = await get(`/schools?q=${encodeURIComponent(q)}`)
      assert.equal(answer.status, 200)
      const schools = answer.body.schools as { urn: string }[]
      assert.deepEqual(
        schools.find((found) => found.urn === school.urn),
        {
          urn: school.urn,
          name: school.name,
          status: 'open',
          local_authority: 'Leeds',
          trust_name: null,
          partnerships: 1,
        },
        q,
      )
    }
  },
)

handlerTest(
  'GET /support/schools refuses an empty search with 400 invalid_request',
  async ({ tx, database }) => {
    const world = await createWorld(tx)
    const answer = await getter(database, world.supportUserId)('/schools?q=%20')
    assert.equal(answer.status, 400)
    assert.equal(answer.body.error.code, 'invalid_request')
  },
)

handlerTest(
  'GET /support/schools/:urn answers 404 for an unknown URN and 400 for a non-URN',
  async ({ tx, database }) => {
    const world = await createWorld(tx)
    const get = getter(database, world.supportUserId)
    assert.equal((await get('/schools/99999999999')).status, 400)
    assert.equal((await get('/schools/abc')).status, 400)
    const unknown = await get('/schools/1')
    assert.equal(unknown.status, 404)
    assert.equal(unknown.body.error.code, 'school_not_found')
  },
)

handlerTest(
  'GET /support/schools answers 403 not_support_user to a provider user and to a person with no role',
  async ({ tx, database }) => {
    const { world, school } = await reportedSchool(tx)
    for (const userId of [world.a.userId, world.nobodyUserId]) {
      const answer = await getter(database, userId)(`/schools?q=${school.urn}`)
      assert.equal(answer.status, 403)
      assert.equal(answer.body.error.code, 'not_support_user')
    }
  },
)
