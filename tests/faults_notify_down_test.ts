/**
 * GOV.UK Notify is down (the double refuses every connection, as a host that is down does) and
 * then comes back, on a stack of the test's own. Each try in the meantime fails and is put off
 * with exponential backoff, so an email is tried a handful of times, not once a second; none uses
 * up its attempts, and once Notify answers again each is sent exactly once. The backoff is the
 * sender's real one (supabase/functions/_shared/notify_backoff.ts), which the test cannot
 * shorten: the wait after Notify returns is one backoff step, so the outage here is one minute,
 * and a second test shows from the policy itself how long an outage it outlasts.
 */
import assert from 'node:assert/strict'
import { defaultBackoff, retryDelayMs } from '../supabase/functions/_shared/notify_backoff.ts'
import { eventually } from './_stack.ts'
import { createWorld, reportSchools } from './_notifications_world.ts'
import {
  assertEverySchoolToldOnce,
  type FaultStack,
  firstEmailsSent,
  printFigures,
  startFaultStack,
} from './_faults_stack.ts'

const schools = 20
const outageSeconds = 60

Deno.test('Notify down for a minute, then back: every school emailed once, none failed for good, the backoff visible in attempts', async () => {
  const stack = await startFaultStack()
  try {
    const world = await createWorld(stack.sql, {
      schools: Array.from({ length: schools }, () => ({})),
    })
    await stack.notifyOutage(outageSeconds)
    const downAt = Date.now()
    const partnerships = await reportSchools(stack.sql, world)

    const during = await eventually(async () => {
      const rows = await firstEmails(stack, partnerships)
      return rows.every((row) => row.attempts >= 3) ? rows : undefined
    }, { what: 'the emails to be tried a few times', timeoutMs: 90_000 })
    for (const row of during) {
      assert.equal(row.status === 'failed', false, 'not failed for good')
      assert.match(row.last_error ?? '', /^Could not reach Notify \(ECONNREFUSED\)$/)
    }

    const backAt = await eventually(async () => {
      const answered = await fetch(`${stack.urls.notify}/_double/state`)
        .then(async (response) => (await response.body?.cancel(), true), () => false)
      return answered ? Date.now() : undefined
    }, { what: 'Notify to come back', timeoutMs: outageSeconds * 1000 + 30_000 })
    const attemptsWhileDown = await firstEmails(stack, partnerships)

    // The longest wait after Notify is back is one backoff step (up to 64 s here), plus the sweep.
    await eventually(async () => {
      const sent = await firstEmailsSent(stack, partnerships)
      return sent === schools ? sent : undefined
    }, { what: 'every email to be sent', timeoutMs: 240_000 })
    const rows = await assertEverySchoolToldOnce(stack, partnerships)
    const attempts = rows.map((row) => row.attempts)
    assert.ok(
      attempts.every((n) => n >= 2 && n <= defaultBackoff.maxAttempts),
      `tried again with backoff, within its attempts: ${attempts}`,
    )
    assert.ok(
      Math.max(...attemptsWhileDown.map((row) => row.attempts)) < defaultBackoff.maxAttempts,
      'an attempt was left when Notify came back',
    )

    const sentAt = rows.map((row) => row.sent_at!.getTime())
    printFigures('Notify down then back', {
      schools,
      outageMs: backAt - downAt,
      attemptsPerEmailWhileDown: range(attemptsWhileDown.map((row) => row.attempts)),
      attemptsPerEmail: range(attempts),
      firstSentAfterNotifyBackMs: Math.min(...sentAt) - backAt,
      allSentAfterNotifyBackMs: Math.max(...sentAt) - backAt,
      failedForGood: 0,
      sentTwice: 0,
    })
  } finally {
    await stack.stop()
  }
})

Deno.test('the sender keeps trying an email through a Notify outage of at least half an hour', () => {
  // The least jitter gives the shortest waits: their sum is the shortest time from an email's
  // first try to its last.
  let shortestSpanMs = 0
  for (let attempts = 1; attempts < defaultBackoff.maxAttempts; attempts++) {
    shortestSpanMs += retryDelayMs(attempts, defaultBackoff, () => 0)!
  }
  assert.equal(retryDelayMs(defaultBackoff.maxAttempts, defaultBackoff), undefined)
  assert.ok(shortestSpanMs >= 30 * 60_000, `only ${shortestSpanMs} ms`)
})

function firstEmails(stack: FaultStack, partnershipIds: string[]) {
  return stack.sql<{ status: string; attempts: number; last_error: string | null }[]>`
    select status, attempts, last_error from public.notifications
    where partnership_id = any(${partnershipIds}::uuid[]) and kind = 'school_first'`
}

function range(values: number[]): string {
  return `${Math.min(...values)}-${Math.max(...values)}`
}
