/**
 * The challenge function's answers, through `app.request()` on the app its factory makes with a
 * literal configuration and a database bound to a transaction rolled back after each test
 * (tests/_handlers.ts): what a school's link shows, the report, and every refusal, each of which
 * changes nothing. tests/challenge_api_test.ts keeps what needs the real HTTP path: bodies,
 * CORS and headers through the gateway, and reports racing on separate connections.
 */
import assert from 'node:assert/strict'
import { handlerTest, postJson, testConfig } from '../../../tests/_handlers.ts'
import { newToken } from '../../../tests/_challenge_world.ts'
import { reasonLabels } from '../../../tests/_report_page.ts'
import { createSchool, createWorld, reportAs, type Tx } from '../../tests/_db.ts'
import type { Database } from '../_shared/db.ts'
import { reasonRequired } from '../_shared/wording.ts'
import { createChallengeApp } from './app.ts'
import * as insert from '../../../tests/world.ts'

type Link = { token: string; partnershipId: string; schoolName: string; urn: string }

/** A school reported by lead provider A of a fresh world, and a link to it as its email has. */
async function schoolLink(tx: Tx) {
  const world = await createWorld(tx)
  const school = await createSchool(tx)
  const [row] = await reportAs(tx, world.a.userId, world, world.a.deliveryPartnerId, [school.urn])
  const token = await insert.linkToken(tx, row!.partnershipId!, newToken())
  const link: Link = {
    token,
    partnershipId: row!.partnershipId!,
    schoolName: school.name,
    urn: school.urn,
  }
  return { world, link }
}

/** What a report changes: the partnership's challenge and its events. */
async function reportState(tx: Tx, link: Link) {
  const [state] = await tx`
    select p.challenged_at, p.challenge_reason, p.challenge_channel,
      (select count(*)::int from public.partnership_events e
        where e.partnership_id = p.partnership_id) as events
    from public.partnerships p where p.partnership_id = ${link.partnershipId}`
  return { ...state }
}

async function assertUnchanged(tx: Tx, link: Link, fn: () => Promise<void>) {
  const before = await reportState(tx, link)
  await fn()
  assert.deepEqual(await reportState(tx, link), before)
}

/** Posts `body` to `/challenge/<action>`; answers status and JSON body. */
function poster(database: Database) {
  const app = createChallengeApp({ config: testConfig, database })
  return async (action: 'status' | 'report', body: unknown) => {
    const response = await app.request(`/challenge/${action}`, postJson(body))
    return { status: response.status, body: await response.json() }
  }
}

handlerTest(
  'POST /challenge/status answers 200 with the partnership and the five reasons in order',
  async ({ tx, database }) => {
    const { world, link } = await schoolLink(tx)
    const answer = await poster(database)('status', { token: link.token })
    assert.equal(answer.status, 200)
    assert.equal(answer.body.status, 'open')
    assert.equal(answer.body.school_name, link.schoolName)
    assert.equal(answer.body.urn, link.urn)
    assert.equal(answer.body.lead_provider_name, world.a.name)
    assert.equal(answer.body.delivery_partner_name, world.a.deliveryPartnerName)
    assert.equal(answer.body.cohort, `${world.startYear} to ${world.startYear + 1}`)
    assert.match(String(answer.body.deadline), /^\d{4}-\d{2}-\d{2}$/)
    assert.deepEqual(
      answer.body.reasons.map(({ code, label }: Record<string, string>) => [code, label]),
      Object.entries(reasonLabels),
    )
  },
)

handlerTest(
  'POST /challenge/report answers 200 and records the challenge with its reason and channel',
  async ({ tx, database }) => {
    const { link } = await schoolLink(tx)
    const answer = await poster(database)('report', { token: link.token, reason: 'no_ects' })
    assert.equal(answer.status, 200)
    assert.deepEqual(answer.body, { status: 'challenged', school_name: link.schoolName })
    const state = await reportState(tx, link)
    assert.ok(state.challenged_at instanceof Date)
    assert.equal(state.challenge_reason, 'no_ects')
    assert.equal(state.challenge_channel, 'email_link')
  },
)

handlerTest(
  'POST /challenge/report answers 409 already_reported with the school name the second time',
  async ({ tx, database }) => {
    const { link } = await schoolLink(tx)
    const post = poster(database)
    assert.equal((await post('report', { token: link.token, reason: 'mistake' })).status, 200)
    await assertUnchanged(tx, link, async () => {
      const again = await post('report', { token: link.token, reason: 'no_ects' })
      const message = `Someone at ${link.schoolName} has already reported this issue`
      assert.deepEqual(again, {
        status: 409,
        body: { error: { code: 'already_reported', message, school_name: link.schoolName } },
      })
      const status = await post('status', { token: link.token })
      assert.equal(status.status, 409)
      assert.equal(status.body.error.code, 'already_reported')
    })
  },
)

handlerTest(
  'POST /challenge/status and /report answer 410 link_expired once the 14 days have passed',
  async ({ tx, database }) => {
    const { link } = await schoolLink(tx)
    await tx`
      update public.partnerships
      set reported_at = now() - interval '20 days', school_notified_at = now() - interval '20 days'
      where partnership_id = ${link.partnershipId}`
    const post = poster(database)
    await assertUnchanged(tx, link, async () => {
      for (
        const answer of [
          await post('report', { token: link.token, reason: 'mistake' }),
          await post('status', { token: link.token }),
        ]
      ) {
        assert.equal(answer.status, 410)
        assert.equal(answer.body.error.code, 'link_expired')
      }
    })
  },
)

handlerTest(
  'POST /challenge/status and /report answer 404 link_not_found for an unknown token',
  async ({ database }) => {
    const post = poster(database)
    const token = newToken()
    for (
      const answer of [
        await post('status', { token }),
        await post('report', { token, reason: 'mistake' }),
      ]
    ) {
      assert.equal(answer.status, 404)
      assert.deepEqual(answer.body, {
        error: { code: 'link_not_found', message: 'This link is not valid' },
      })
    }
  },
)

handlerTest(
  'POST /challenge/report answers 404 link_not_found for tokens of the wrong shape, changing nothing',
  async ({ tx, database }) => {
    const { link } = await schoolLink(tx)
    const post = poster(database)
    const wrongShapes = [
      '',
      link.token.slice(0, 42),
      `${link.token}A`,
      `${link.token.slice(0, 42)}=`,
      `${link.token.slice(0, 42)}+`,
      ` ${link.token.slice(1)}`,
      "' or 1=1 --",
    ]
    await assertUnchanged(tx, link, async () => {
      for (const token of wrongShapes) {
        const answer = await post('report', { token, reason: 'mistake' })
        assert.equal(answer.status, 404, `token ${JSON.stringify(token)}`)
        assert.equal(answer.body.error.code, 'link_not_found')
      }
    })
  },
)

handlerTest(
  'POST /challenge/report answers 422 for a blank or unknown reason, changing nothing',
  async ({ tx, database }) => {
    const { link } = await schoolLink(tx)
    const post = poster(database)
    await assertUnchanged(tx, link, async () => {
      const blank = await post('report', { token: link.token, reason: '  ' })
      assert.equal(blank.status, 422)
      assert.deepEqual(blank.body, {
        error: {
          code: 'reason_required',
          message: reasonRequired,
        },
      })
      for (const reason of ['not_a_reason', 'MISTAKE', 'mistake ']) {
        const unknown = await post('report', { token: link.token, reason })
        assert.equal(unknown.status, 422, `reason ${JSON.stringify(reason)}`)
        assert.equal(unknown.body.error.code, 'invalid_reason')
      }
    })
  },
)
