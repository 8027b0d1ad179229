/**
 * A claim reads about what it claims even when the table's statistics predate the emails it finds
 * (issue 16). Autovacuum analyzes `notifications` at most once a minute, so for up to a minute
 * after a burst of reports the statistics still say almost nothing is queued. Planned for that
 * guess, the claim read every due email (and, in a large database, each one's partnership), then
 * sorted them to take the first 50 (migration 20261201060000).
 *
 * Counted in rows of `notifications` the claim's transaction read, which, unlike a time, other
 * work on the machine cannot move: 2,050 here before that migration, 50 after.
 */
import assert from 'node:assert/strict'
import * as insert from '../../tests/world.ts'
import { reportAs, type Tx, worldTest } from './_db.ts'

/** Far more due emails than a claim takes, so reading them all would show. */
const dueEmails = 2_000
const claimSize = 50

worldTest(
  'a claim reads about what it claims when the statistics predate the backlog',
  async (tx, world) => {
    // Statistics from before the burst: none of the emails below is in them.
    await tx`analyze public.notifications`
    const schools = await insert.schools(tx, Array.from({ length: dueEmails }, () => ({})))
    await reportAs(
      tx,
      world.a.userId,
      world,
      world.a.deliveryPartnerId,
      schools.map((school) => school.urn),
    )
    const [{ due }] = await tx<[{ due: number }]>`
      select count(*)::int as due from public.notifications
      where status = 'queued' and due_at <= now()`
    assert.ok(due >= dueEmails, `${due} emails due`)

    const before = await notificationRowsRead(tx)
    const claimed = await tx`select notification_id from app.claim_notifications(${claimSize}, 60)`
    const rowsRead = await notificationRowsRead(tx) - before

    assert.equal(claimed.length, claimSize)
    // A few reads for each email claimed at most, not one for every email due.
    assert.ok(rowsRead <= 4 * claimSize, `the claim read ${rowsRead} rows of notifications`)
  },
)

/** Rows of `notifications` this transaction has read so far, by any kind of scan. */
async function notificationRowsRead(tx: Tx): Promise<number> {
  const [{ rows }] = await tx<[{ rows: number }]>`
    select (pg_catalog.pg_stat_get_xact_tuples_fetched(c.oid)
      + pg_catalog.pg_stat_get_xact_tuples_returned(c.oid))::int as rows
    from pg_catalog.pg_class c where c.oid = 'public.notifications'::regclass`
  return rows
}
