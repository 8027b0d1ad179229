/**
 * Postgres dies mid-drain (an immediate shutdown, as a crash: no checkpoint, recovery from the
 * write-ahead log) and comes back on the same port, on a stack of the test's own. Queries wait
 * for the database to return; sends whose record was cut off with the connection are recorded
 * by their delivery receipt, or, if that is lost too, found at Notify by reference once their
 * lease runs out. Nothing is lost and nothing is sent twice.
 */
import assert from 'node:assert/strict'
import { eventually } from './_stack.ts'
import { createWorld, reportSchools } from './_notifications_world.ts'
import {
  allFirstEmailsSent,
  assertEverySchoolToldOnce,
  firstEmailsSent,
  printFigures,
  runCounts,
  startFaultStack,
} from './_faults_stack.ts'

const schools = 300
const perMinute = 600

Deno.test('a Postgres crash mid-drain ends with every school emailed once and every report recorded once', async () => {
  const stack = await startFaultStack({ notifyRatePerMinute: perMinute })
  try {
    const world = await createWorld(stack.sql, {
      schools: Array.from({ length: schools }, () => ({})),
    })
    const partnerships = await reportSchools(stack.sql, world)
    const beforeCrash = await eventually(async () => {
      const sent = await firstEmailsSent(stack, partnerships)
      return sent >= schools / 3 ? sent : undefined
    }, { what: 'a third of the backlog to be sent' })

    const crashedAt = Date.now()
    await stack.restartPostgres('crash', { downMs: 2_000 })
    const backAt = Date.now()

    // Long enough for the rare case where the functions process dies too (see _faults_stack.ts)
    // and the run lock it held must run out (200 s) before the next run can start.
    await allFirstEmailsSent(stack, partnerships, 360_000)
    const rows = await assertEverySchoolToldOnce(stack, partnerships)

    const acceptedAfter = (await stack.messages())
      .map((message) => Date.parse(message.created_at))
      .filter((at) => at >= backAt)
    const recordedAfter = rows.map((row) => row.sent_at!.getTime()).filter((at) => at >= backAt)
    const looked = rows.filter((row) => row.attempts > 1)
    const counts = await runCounts(stack)
    assert.ok(acceptedAfter.length > 0, 'sending resumed after the restart')
    printFigures('postgres crash mid-drain', {
      schools,
      perMinute,
      sentBeforeCrash: beforeCrash,
      postgresDownMs: backAt - crashedAt,
      firstAcceptedByNotifyAfterRestartMs: Math.min(...acceptedAfter) - backAt,
      lastRecordedAfterRestartMs: Math.max(...recordedAfter) - backAt,
      emailsTriedAgain: looked.length,
      foundAtNotifyNotResent: counts.alreadyAtNotify,
      sentTwice: 0,
      functionsProcessDied: stack.functionsRestarts(),
    })
  } finally {
    await stack.stop()
  }
})
