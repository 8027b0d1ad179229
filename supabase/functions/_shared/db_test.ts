/**
 * `transactionDatabase`, which handler tests give an app in place of its pool: each call runs
 * with its own role and claims, as a transaction of the pool would, and leaves the transaction as
 * the owner had it, whether the call succeeded or failed; and nothing of it outlives the test's
 * rollback. And `inlineText`, which writes text into a statement: whatever the text, Postgres
 * reads back exactly what was given.
 */
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { handlerTest } from '../../../tests/_handlers.ts'
import { connect, createWorld } from '../../tests/_db.ts'
import { inlineText } from './db.ts'

/** Who the transaction acts as now. */
const identity = `
  select current_user as role, auth.uid() as uid,
    coalesce(current_setting('request.jwt.claims', true), '') as claims`

handlerTest(
  'transactionDatabase() runs each call as its role and claims, then puts the owner back',
  async ({ tx, database }) => {
    const world = await createWorld(tx)
    const claims = { sub: world.a.userId, role: 'authenticated' }
    const [asUser] = await database.withUser(claims, (sp) => sp.unsafe(identity))
    assert.deepEqual({ ...asUser }, {
      role: 'app_user',
      uid: world.a.userId,
      claims: JSON.stringify(claims),
    })
    const [asSupport] = await database.withSupportUser(claims, (sp) => sp.unsafe(identity))
    assert.equal(asSupport!.role, 'app_support_user')
    const [asToken] = await database.withApiToken(crypto.randomUUID(), (sp) => sp.unsafe(identity))
    assert.deepEqual([asToken!.role, asToken!.uid], ['app_user', null])
    const [asService] = await database.withService((sp) => sp.unsafe(identity))
    assert.equal(asService!.role, 'service_role')

    const [after] = await tx.unsafe(identity)
    assert.deepEqual({ ...after }, { role: 'postgres', uid: null, claims: '' })
    const [direct] = await database.sql().unsafe(identity)
    assert.deepEqual({ ...direct }, { role: 'postgres', uid: null, claims: '' })
  },
)

handlerTest(
  'transactionDatabase() undoes a failed call alone, and the transaction carries on as the owner',
  async ({ tx, database }) => {
    const world = await createWorld(tx)
    await assert.rejects(
      database.withService(async (sp) => {
        await sp`update public.lead_providers set name = 'Renamed'
          where lead_provider_id = ${world.a.leadProviderId}`
        await sp`select 'not a uuid'::uuid`
      }),
      /uuid/,
    )
    const [after] = await tx.unsafe(identity)
    assert.equal(after!.role, 'postgres')
    const [provider] = await tx`
      select name from public.lead_providers where lead_provider_id = ${world.a.leadProviderId}`
    assert.equal(provider!.name, world.a.name)
  },
)

let leftBehind = ''
handlerTest('transactionDatabase() work is rolled back with the test (1 of 2)', async ({ tx }) => {
  const world = await createWorld(tx)
  leftBehind = world.a.leadProviderId
})

Deno.test('transactionDatabase() work is rolled back with the test (2 of 2)', async () => {
  const sql = connect()
  try {
    assert.ok(leftBehind)
    const found = await sql`
      select 1 from public.lead_providers where lead_provider_id = ${leftBehind}`
    assert.equal(found.length, 0)
  } finally {
    await sql.end()
  }
})

handlerTest(
  'inlineText() gives Postgres any text exactly, quotes, backslashes and dollars included',
  async ({ database }) => {
    const sql = database.sql()
    const texts = fc.sample(fc.string({ unit: 'binary', maxLength: 60 }), 200)
      .filter((text) => !text.includes('\0') && text.isWellFormed())
    for (const text of [...texts, `'); drop table public.schools; --`, "\\'", '$$', 'é😀']) {
      const [row] = await sql`select ${inlineText(sql, text)} as given`
      assert.equal(row!.given, text)
    }
  },
)
