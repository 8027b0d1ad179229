/**
 * GOV.UK Notify's delivery receipts arriving early, twice or out of order, through the real
 * `notify-callback` function on a stack of the test's own. Already covered elsewhere: a repeat
 * answers `repeat` and leaves the first final status (tests/notifications_http_test.ts), and a
 * permanent failure to a tutor falls back to the GIAS address (notifications_delivery_test.ts).
 * Here: a receipt that beats the sender's own record of the send, and that no repeat or late
 * receipt adds an event, changes the final status or sends a second fallback email.
 */
import assert from 'node:assert/strict'
import { eventually } from './_stack.ts'
import {
  createWorld,
  injectFaults,
  outboxRows,
  reportSchools,
  settled,
} from './_notifications_world.ts'
import {
  assertEverySchoolToldOnce,
  type FaultStack,
  runCounts,
  startFaultStack,
} from './_faults_stack.ts'

/** Notify's answer to the sender is held up this long; its receipt comes after 100 ms. */
const lateAnswerMs = 8_000

Deno.test('delivery receipts arriving early, twice or out of order are each recorded once', async (t) => {
  const stack = await startFaultStack()
  try {
    await t.step(
      'a receipt that arrives before the send is recorded marks the email sent and delivered, once',
      async () => {
        const world = await createWorld(stack.sql, { schools: [{}] })
        await injectFaults({ kind: 'late', count: 1, delayMs: lateAnswerMs }, stack.urls.notify)
        const partnerships = await reportSchools(stack.sql, world)

        const [early] = await eventually(async () => {
          const rows = await firstEmail(stack, partnerships)
          return rows[0]?.delivery_status ? rows : undefined
        }, { what: 'the receipt to be recorded' })
        assert.equal(early!.status, 'sent', 'the receipt proves Notify has it')
        assert.equal((await runCounts(stack)).sent ?? 0, 0, 'the sender had not heard back yet')

        await eventually(async () => (await runCounts(stack)).sent === 1 || undefined, {
          what: "the sender to record Notify's late answer",
        })
        await assertEverySchoolToldOnce(stack, partnerships)
        const [row] = await firstEmail(stack, partnerships)
        assert.equal(row!.delivery_status, 'delivered')
        assert.deepEqual(await eventCounts(stack, partnerships), {
          reported: 1,
          notified: 1,
          delivered: 1,
        })
      },
    )

    await t.step(
      'the same receipt again, or a later one that disagrees, changes nothing',
      async () => {
        const world = await createWorld(stack.sql, {
          schools: [{}, { giasEmail: 'temp-fail@simulator.notify' }],
        })
        const partnerships = await reportSchools(stack.sql, world)
        const rows = await eventually(async () => {
          const found = await firstEmail(stack, partnerships)
          return found.every((row) => row.delivery_status) ? found : undefined
        }, { what: "the double's own receipts" })
        const [delivered, failed] = partnerships.map((id) =>
          rows.find((row) => row.partnership_id === id)!
        )
        assert.equal(delivered!.delivery_status, 'delivered')
        assert.equal(failed!.delivery_status, 'temporary-failure')

        for (
          const [row, repeat, contrary] of [
            [delivered!, 'delivered', 'temporary-failure'],
            [failed!, 'temporary-failure', 'delivered'],
          ] as const
        ) {
          const [message] = await messagesFor(stack, row.notification_id)
          assert.deepEqual(await stack.sendReceipt(message!, repeat), { result: 'repeat' })
          assert.deepEqual(await stack.sendReceipt(message!, contrary), { result: 'repeat' })
        }
        const after = await firstEmail(stack, partnerships)
        assert.deepEqual(
          after.map((row) => [row.partnership_id, row.status, row.delivery_status]).sort(),
          [
            [delivered!.partnership_id, 'sent', 'delivered'],
            [failed!.partnership_id, 'sent', 'temporary-failure'],
          ].sort(),
        )
        await assertEverySchoolToldOnce(stack, partnerships)
        assert.deepEqual(await eventCounts(stack, [delivered!.partnership_id]), {
          reported: 1,
          notified: 1,
          delivered: 1,
        })
        assert.deepEqual(await eventCounts(stack, [failed!.partnership_id]), {
          reported: 1,
          notified: 1,
          delivery_failed: 1,
        })
      },
    )

    await t.step(
      "a permanent failure reported twice sends the school's GIAS address one email",
      async () => {
        const world = await createWorld(stack.sql, {
          schools: [{ tutor: { name: 'Sam Jones', email: 'perm-fail@simulator.notify' } }],
        })
        const partnerships = await reportSchools(stack.sql, world)
        const fallback = await eventually(async () => {
          const rows = await outboxRows(stack.sql, partnerships)
          return rows.find((row) => row.recipient_kind === 'gias' && row.delivery_status)
        }, { what: 'the email to the GIAS address, delivered' })
        const tutorRow = (await outboxRows(stack.sql, partnerships))
          .find((row) => row.kind === 'tutor_first')!
        const [tutorMessage] = await messagesFor(stack, tutorRow.notification_id)
        assert.deepEqual(await stack.sendReceipt(tutorMessage!, 'permanent-failure'), {
          result: 'repeat',
        })

        const rows = await settled(stack.sql, partnerships)
        const toGias = rows.filter((row) => row.kind === 'school_first')
        assert.deepEqual(toGias.map((row) => row.notification_id), [fallback.notification_id])
        const gias = (await stack.messages()).filter((m) => m.to === world.schools[0]!.giasEmail)
        assert.equal(gias.length, 1, 'one email to the GIAS address')
        assert.deepEqual(await eventCounts(stack, partnerships), {
          reported: 1,
          notified: 2,
          delivered: 1,
          delivery_failed: 1,
        })
      },
    )
  } finally {
    await stack.stop()
  }
})

type FirstEmail = {
  notification_id: string
  partnership_id: string
  status: string
  delivery_status: string | null
}

function firstEmail(stack: FaultStack, partnershipIds: string[]): Promise<FirstEmail[]> {
  return stack.sql<FirstEmail[]>`
    select notification_id, partnership_id, status, delivery_status from public.notifications
    where partnership_id = any(${partnershipIds}::uuid[]) and kind in ('school_first', 'tutor_first')
    order by created_at`
}

async function messagesFor(stack: FaultStack, reference: string) {
  return (await stack.messages()).filter((message) => message.reference === reference)
}

/** How many events of each kind these partnerships have. */
async function eventCounts(
  stack: FaultStack,
  partnershipIds: string[],
): Promise<Record<string, number>> {
  const rows = await stack.sql<{ kind: string; events: number }[]>`
    select kind, count(*)::int as events from public.partnership_events
    where partnership_id = any(${partnershipIds}::uuid[])
    group by kind`
  return Object.fromEntries(rows.map((row) => [row.kind, row.events]))
}
