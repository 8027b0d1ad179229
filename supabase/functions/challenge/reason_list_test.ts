/**
 * The reasons list the challenge function keeps for a minute: read from the table, kept until it
 * is a minute old, then read again; a read that failed is not kept.
 */
import assert from 'node:assert/strict'
import { handlerTest } from '../../../tests/_handlers.ts'
import { reasons } from '../../../tests/_report_page.ts'
import type { Database, Query } from '../_shared/db.ts'
import { reasonList } from './reason_list.ts'

handlerTest(
  'reasonList() answers the table in order, keeps it for a minute, then reads it again',
  async ({ tx, database }) => {
    let nowMs = 0
    const list = reasonList(database, { now: () => nowMs })
    assert.deepEqual(await list(), reasons)

    await tx`update public.challenge_reasons set label = 'Changed by migration' where code = 'mistake'`
    nowMs = 59_999
    assert.deepEqual(await list(), reasons, 'kept for a minute')

    nowMs = 60_000
    const changed = reasons.map((reason) =>
      reason.code === 'mistake' ? { ...reason, label: 'Changed by migration' } : reason
    )
    assert.deepEqual(await list(), changed, 'read again once a minute old')
  },
)

handlerTest(
  'reasonList() keeps no failed read: the next call reads again',
  async ({ database }) => {
    let failing = true
    /** The database as it answers while its connection is lost: every statement fails. */
    const lost = (() => Promise.reject(new Error('connection lost'))) as unknown as Query
    const flaky: Database = { ...database, sql: () => failing ? lost : database.sql() }
    const list = reasonList(flaky, { now: () => 0 })
    await assert.rejects(list(), /connection lost/)
    failing = false
    assert.deepEqual(await list(), reasons)
  },
)
