/**
 * The functions process is killed (SIGKILL) while the sender is part-way through a batch, on a
 * stack of the test's own, and a new one is started, as the platform starts a new worker.
 *
 * The first test makes the case that cannot be avoided happen on purpose: Notify accepts emails
 * whose answers never reach the dead process, and its delivery receipts for them find nobody to
 * take them. The run that takes the dead run's lock over, not knowing whether those went, asks
 * Notify for each reference before sending and records the ones it finds, so each school is still
 * emailed exactly once. Nothing here moves a lease on: the dead run's lock runs out by itself
 * within seconds, and the 5-second sweep wakes the next run.
 *
 * The second restarts the functions at once and measures how soon sending resumes.
 */
import assert from 'node:assert/strict'
import { eventually } from './_stack.ts'
import { createWorld, injectFaults, reportSchools } from './_notifications_world.ts'
import {
  allFirstEmailsSent,
  assertEverySchoolToldOnce,
  type FaultStack,
  firstEmailsSent,
  printFigures,
  runCounts,
  startFaultStack,
} from './_faults_stack.ts'

const schools = 120
const perMinute = 600
/** The sender's concurrency: this many sends are in flight when the process dies. */
const inFlight = 8
/** Long enough for the kill to land while every one of them waits for Notify's answer. */
const answerDelayMs = 5_000
/** The double retries a failed receipt for about 3 s (local/notify_double/delivery.ts). */
const receiptsGiveUpMs = 5_000
/**
 * The test fails if sending has not resumed this long after the kill. The design gives about 10 s
 * (the lock's 5 s lease, then the next 5-second sweep) and the figure is printed; the bound is
 * generous for a loaded machine, and far below the 200 s lock lease this replaced.
 */
const resumeBoundMs = 60_000

/** Reports the schools and returns their partnerships once the sender has emailed 20 of them. */
async function drainUnderWay(stack: FaultStack): Promise<string[]> {
  const world = await createWorld(stack.sql, {
    schools: Array.from({ length: schools }, () => ({})),
  })
  const partnerships = await reportSchools(stack.sql, world)
  await eventually(async () => (await firstEmailsSent(stack, partnerships)) >= 20 || undefined, {
    what: 'the drain to be under way',
  })
  return partnerships
}

Deno.test('a functions process killed mid-batch ends with every school emailed once, the unanswered sends found at Notify, not resent', async () => {
  const stack = await startFaultStack({ notifyRatePerMinute: perMinute })
  try {
    const partnerships = await drainUnderWay(stack)

    await injectFaults(
      { kind: 'slow', count: inFlight, delayMs: answerDelayMs },
      stack.urls.notify,
    )
    await eventually(async () => (await stack.pendingFaults()) === 0 || undefined, {
      what: 'the slow sends to be in flight',
    })
    await stack.killFunctions()
    const killedAt = Date.now()

    // Notify accepts them after the process has died: sent, but not recorded anywhere of ours.
    const unknown = await eventually(async () => {
      const rows = await acceptedButNotRecorded(stack)
      return rows.length === inFlight ? rows : undefined
    }, { what: 'Notify to accept the sends the dead process made' })
    await new Promise((resolve) => setTimeout(resolve, receiptsGiveUpMs))
    assert.deepEqual(
      (await acceptedButNotRecorded(stack)).map((row) => row.notification_id).sort(),
      unknown.map((row) => row.notification_id).sort(),
      'their receipts found no one to record them',
    )
    const [claimed] = await stack.sql<{ count: number }[]>`
      select count(*)::int from public.notifications where status = 'sending'`

    await stack.startFunctions()
    const restartedAt = Date.now()
    // No lease is moved on and no sweep run by hand: the lock runs out, the cron sweep wakes.
    await allFirstEmailsSent(stack, partnerships, 120_000)

    const rows = await assertEverySchoolToldOnce(stack, partnerships)
    // The run that looked them up may still be going when the last is recorded: its answer
    // (which pg_net keeps) comes when it ends.
    const counts = await eventually(async () => {
      const counts = await runCounts(stack)
      return (counts.alreadyAtNotify ?? 0) >= inFlight ? counts : undefined
    }, { what: 'the run that looked them up at Notify to answer' })
    assert.equal(counts.alreadyAtNotify, inFlight, 'found at Notify by reference, not resent')
    for (const { notification_id } of unknown) {
      const row = rows.find((r) => r.notification_id === notification_id)!
      assert.equal(row.attempts, 2, 'one try, then one look-up')
    }
    printFigures('functions process killed mid-batch', {
      schools,
      perMinute,
      claimedByTheDeadRun: claimed!.count,
      acceptedButNotRecorded: unknown.length,
      foundAtNotifyNotResent: counts.alreadyAtNotify,
      claimedNotSentThenSent: claimed!.count - unknown.length,
      sentTwice: 0,
      deadMs: restartedAt - killedAt,
      lastRecordedAfterRestartMs: Math.max(...rows.map((row) => row.sent_at!.getTime())) -
        restartedAt,
    })
  } finally {
    await stack.stop()
  }
})

Deno.test('after the functions process is killed mid-run, sending resumes within seconds and every school is emailed once', async () => {
  const stack = await startFaultStack({ notifyRatePerMinute: perMinute })
  try {
    const partnerships = await drainUnderWay(stack)
    await stack.killFunctions()
    const killedAt = Date.now()
    // Emails nobody had claimed when the process died: the first of these Notify accepts marks
    // sending resumed (not a send the dead run had in flight, nor a receipt recorded later).
    const waiting = new Set(
      (await stack.sql<{ notification_id: string }[]>`
        select notification_id from public.notifications
        where partnership_id = any(${partnerships}::uuid[]) and status = 'queued'`)
        .map((row) => row.notification_id),
    )
    const [claimed] = await stack.sql<{ count: number }[]>`
      select count(*)::int from public.notifications where status = 'sending'`
    // The platform starts a new worker for the next request; so does the harness, at once.
    await stack.startFunctions()
    const restartedAt = Date.now()

    const resumedAt = await eventually(async () => {
      const accepted = (await stack.messages())
        .filter((message) => message.reference && waiting.has(message.reference))
        .map((message) => Date.parse(message.created_at))
      return accepted.length > 0 ? Math.min(...accepted) : undefined
    }, { what: 'sending to resume', timeoutMs: resumeBoundMs })
    await allFirstEmailsSent(stack, partnerships, 120_000)

    const rows = await assertEverySchoolToldOnce(stack, partnerships)
    const resumedAfterKillMs = resumedAt - killedAt
    assert.ok(
      resumedAfterKillMs < resumeBoundMs,
      `resumed ${resumedAfterKillMs} ms after the kill: before the old lock lease (200 s) by far`,
    )
    printFigures('functions process killed, restarted at once', {
      schools,
      perMinute,
      claimedByTheDeadRun: claimed!.count,
      restartMs: restartedAt - killedAt,
      resumedAfterKillMs,
      lastRecordedAfterKillMs: Math.max(...rows.map((row) => row.sent_at!.getTime())) - killedAt,
      sentTwice: 0,
    })
  } finally {
    await stack.stop()
  }
})

/** Emails still `sending` that the double has in its mailbox: sent, but not recorded. */
async function acceptedButNotRecorded(stack: FaultStack) {
  const accepted = new Set((await stack.messages()).map((message) => message.reference))
  const sending = await stack.sql<{ notification_id: string }[]>`
    select notification_id from public.notifications where status = 'sending'`
  return sending.filter((row) => accepted.has(row.notification_id))
}
