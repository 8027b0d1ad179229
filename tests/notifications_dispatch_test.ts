/**
 * The sender's run (dispatcher.ts) against a database and a Notify double of its own, so that
 * nothing else sends from its outbox and it can be given a wrong key or tight limits: a 403,
 * retries that run out, an earlier try that did reach Notify, two overlapping runs.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import postgres from 'postgres'
import { applyMigrations } from '../local/database/migrations.ts'
import { generateApiKey, startNotifyDouble } from '../local/notify_double/server.ts'
import { notifySender } from '../supabase/functions/_shared/notify_client.ts'
import { notifyPacer, systemClock } from '../supabase/functions/_shared/notify_pacing.ts'
import type { NotificationKind } from '../supabase/functions/_shared/config.ts'
import {
  defaultDispatchOptions,
  type DispatchDeps,
  type DispatchOptions,
  runDispatch,
} from '../supabase/functions/notifications/dispatcher.ts'
import { processCpuClock } from '../supabase/functions/notifications/cpu_clock.ts'
import { composeEmail } from '../supabase/functions/notifications/email.ts'
import { createSqlOutbox } from '../supabase/functions/notifications/outbox.ts'
import templates from '../notify/templates/templates.json' with {
  type: 'json',
}
import { eventually, stack } from './_stack.ts'
import { createWorld, outboxRows, reportSchools, reportSchoolsIn } from './_notifications_world.ts'

const repoRoot = new URL('..', import.meta.url).pathname
const databaseName = `notifications_dispatch_${crypto.randomUUID().replaceAll('-', '')}`
// Created by `postgres` (CREATEDB, as on hosted), so it owns it; the shim needs the platform's
// superuser, as ever.
const admin = postgres(stack.databaseUrl, { max: 1, onnotice: () => {} })
await admin`create database ${admin(databaseName)}`
const inDatabase = (url: string) =>
  Object.assign(new URL(url), { pathname: `/${databaseName}` }).href
const databaseUrl = inDatabase(stack.databaseUrl)
await applyMigrations(databaseUrl, {
  projectDir: repoRoot,
  adminUrl: inDatabase(stack.databaseAdminUrl),
})
const sql = postgres(databaseUrl, { max: 4, onnotice: () => {} })
const apiKey = generateApiKey()
const double = await startNotifyDouble({
  port: 0,
  hostname: '127.0.0.1',
  apiKeys: [apiKey],
  templatesDirs: [join(repoRoot, 'notify/templates')],
})

// As the function calls them: each on its own, as the connection's own role.
const outbox = createSqlOutbox(() => sql)
const templateIds = Object.fromEntries(
  templates.map(({ kind, id }) => [kind, id]),
) as Record<
  NotificationKind,
  string
>

function deps({ key = apiKey, timeoutMs = 5_000 } = {}): DispatchDeps {
  const settings = {
    templateIds,
    webOrigin: 'https://example.test',
    supportEmail: 'help@example.test',
  }
  return {
    outbox,
    notify: notifySender({ apiKey: key, baseUrl: double.url, timeoutMs }),
    compose: (email) => composeEmail(email, settings),
    pacer: notifyPacer(6_000, systemClock),
    clock: systemClock,
    cpu: processCpuClock(),
  }
}

function options(overrides: Partial<DispatchOptions> = {}): DispatchOptions {
  return {
    ...defaultDispatchOptions,
    batchSize: 20,
    timeBudgetMs: 30_000,
    ...overrides,
  }
}

async function control(
  path: string,
  method: string,
  body?: unknown,
): Promise<void> {
  const response = await fetch(`${double.url}/_double/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  await response.body?.cancel()
  if (!response.ok) throw new Error(`the double answered ${response.status}`)
}

async function messagesFor(reference: string): Promise<{ id: string }[]> {
  return await (await fetch(`${double.url}/messages?reference=${reference}`))
    .json()
}

type ClaimRow = {
  notification_id: string
  kind: NotificationKind
  recipient_email: string
  personalisation: Record<string, string>
}

async function firstEmails(partnerships: string[]) {
  return (await outboxRows(sql, partnerships)).filter((row) => row.kind.endsWith('_first'))
}

/**
 * Each partnership's first email is sent, reached the double exactly once, and is recorded with
 * the id the double gave it.
 */
async function assertEachSentOnce(partnerships: string[]): Promise<void> {
  for (const row of await firstEmails(partnerships)) {
    assert.equal(row.status, 'sent')
    const messages = await messagesFor(row.notification_id)
    assert.equal(messages.length, 1, 'reached Notify once')
    assert.equal(row.notify_id, messages[0]!.id)
  }
}

/** Sends a claimed email to the double as a run would, as the one a run sent before it died. */
async function landAtNotify(row: ClaimRow): Promise<void> {
  const email = composeEmail({
    notificationId: row.notification_id,
    kind: row.kind,
    recipientEmail: row.recipient_email,
    personalisation: row.personalisation,
    attempts: 1,
    outcomeUnknown: false,
  }, {
    templateIds,
    webOrigin: 'https://example.test',
    supportEmail: 'help@example.test',
  })
  const landed = await notifySender({ apiKey, baseUrl: double.url, timeoutMs: 5_000 })
    .sendEmail(email.templateId, email.emailAddress, email.personalisation, email.reference)
  assert.equal(landed.result, 'accepted')
}

/**
 * A run took the lock, claimed every due email, sent each to Notify and died before recording
 * any; its lock and the emails' leases have run out since. Returns what it claimed.
 */
async function deadRunSentAll(): Promise<ClaimRow[]> {
  await sql`select app.begin_notification_run(${crypto.randomUUID()}, 5, 11)`
  const claimed = await sql<ClaimRow[]>`select * from app.claim_notifications(1000, 600)`
  for (const row of claimed) await landAtNotify(row)
  await sql`update app.notification_runs set lease_expires_at = now() - interval '1 second'`
  await sql`
    update public.notifications set lease_expires_at = now() - interval '1 second'
    where notification_id = any(${claimed.map((row) => row.notification_id)}::uuid[])`
  return claimed
}

Deno.test('runDispatch() sends every due email once and records the Notify id', async () => {
  const world = await createWorld(sql, { schools: [{}, {}, {}] })
  const partnerships = await reportSchools(sql, world)
  const result = await runDispatch(deps(), options())
  assert.equal(result.outcome, 'finished')
  assert.equal(result.counts.sent, 3)
  for (const row of await firstEmails(partnerships)) {
    const messages = await messagesFor(row.notification_id)
    assert.equal(messages.length, 1)
    assert.equal(row.notify_id, messages[0]!.id)
  }
})

Deno.test('runDispatch() stops at a 403 and gives the claimed emails back without using an attempt', async () => {
  const world = await createWorld(sql, { schools: [{}, {}] })
  const partnerships = await reportSchools(sql, world)
  const result = await runDispatch(deps({ key: generateApiKey() }), options())
  assert.equal(result.outcome, 'key_rejected')
  assert.equal(result.counts.sent, 0)
  assert.equal(result.counts.released, 2)
  const rows = await firstEmails(partnerships)
  assert.deepEqual(rows.map((row) => [row.status, row.attempts]), [[
    'queued',
    0,
  ], ['queued', 0]])

  // With the right key the same emails go, once.
  const retried = await runDispatch(deps(), options())
  assert.equal(retried.counts.sent, 2)
})

Deno.test('runDispatch() fails an email for good when its last attempt fails, with the reason', async () => {
  const world = await createWorld(sql, { schools: [{}] })
  const partnerships = await reportSchools(sql, world)
  await control('faults', 'POST', { kind: '500', count: 3 })
  const result = await runDispatch(
    deps(),
    options({
      backoff: { maxAttempts: 3, baseMs: 20, capMs: 20 },
      idlePollMs: 10,
    }),
  )
  assert.equal(result.counts.retrying, 2)
  assert.equal(result.counts.failed, 1)
  const [row] = await firstEmails(partnerships)
  assert.equal(row!.status, 'failed')
  assert.equal(row!.attempts, 3)
  assert.match(
    row!.last_error!,
    /^Gave up after 3 attempts\. Notify answered 500/,
  )
  assert.deepEqual(await messagesFor(row!.notification_id), [])
})

Deno.test('runDispatch() records an email that an unanswered try did deliver, and does not send it again', async () => {
  const world = await createWorld(sql, { schools: [{}] })
  const partnerships = await reportSchools(sql, world)
  // Notify answers after the client has stopped waiting, but keeps the email.
  await control('faults', 'POST', { kind: 'slow', count: 1, delayMs: 400 })
  const result = await runDispatch(
    deps({ timeoutMs: 250 }),
    options({ notifyTimeoutMs: 250, idlePollMs: 20 }),
  )
  assert.equal(result.counts.retrying, 1)
  assert.equal(result.counts.alreadyAtNotify, 1)
  assert.equal(result.counts.sent, 0)
  const [row] = await firstEmails(partnerships)
  assert.equal(row!.status, 'sent')
  const messages = await messagesFor(row!.notification_id)
  assert.equal(messages.length, 1, 'sent exactly once')
  assert.equal(row!.notify_id, messages[0]!.id)
})

Deno.test('two overlapping runs never send the same email', async () => {
  const world = await createWorld(sql, {
    schools: Array.from({ length: 30 }, () => ({})),
  })
  const partnerships = await reportSchools(sql, world)
  const results = await Promise.all([
    runDispatch(deps(), options()),
    runDispatch(deps(), options()),
  ])
  assert.equal(results[0]!.counts.sent + results[1]!.counts.sent, 30)
  await assertEachSentOnce(partnerships)
})

Deno.test('claim_notifications() in two transactions at once claims different emails', async () => {
  const world = await createWorld(sql, {
    schools: Array.from({ length: 6 }, () => ({})),
  })
  const partnerships = await reportSchools(sql, world)
  let releaseFirst = () => {}
  const firstHolds = new Promise<void>((resolve) => releaseFirst = resolve)
  const claimIn = (hold: Promise<void>) =>
    sql.begin(async (tx) => {
      const rows = await tx<{ notification_id: string }[]>`
        select notification_id from app.claim_notifications(4, 60)`
      await hold
      return rows.map((row) => row.notification_id)
    })
  const first = claimIn(firstHolds)
  await new Promise((resolve) => setTimeout(resolve, 100))
  const second = await claimIn(Promise.resolve())
  releaseFirst()
  const claimedFirst = await first
  assert.equal(claimedFirst.length, 4)
  assert.equal(
    second.length,
    2,
    'the second claim skips the rows the first has locked',
  )
  assert.equal(new Set([...claimedFirst, ...second]).size, 6)
  await sql`update public.notifications set status = 'cancelled'
    where partnership_id = any(${partnerships}::uuid[]) and status = 'sending'`
})

Deno.test('runDispatch() stops on its CPU budget with work left, gives the rest back and wakes the next run', async () => {
  const world = await createWorld(sql, {
    schools: Array.from({ length: 12 }, () => ({})),
  })
  const partnerships = await reportSchools(sql, world)
  // Where the next run is asked for (pg_net's queue): this database has no sender of its own.
  await sql`select vault.create_secret('http://127.0.0.1:9/functions/v1/notifications',
    'notifications_function_url')`
  await sql`select vault.create_secret('a-secret-key', 'notifications_function_secret')`
  const [before] = await sql<{ id: string }[]>`
    select coalesce(max(id), 0) as id from net.http_request_queue`
  // A CPU clock that moves 10 ms each time the run reads it: the budget runs out part-way.
  let cpuMs = 0
  const cpu = { usedMs: () => cpuMs += 10 }
  const result = await runDispatch(
    { ...deps(), cpu },
    options({ cpuBudgetMs: 100 }),
  )

  assert.equal(result.outcome, 'cpu_budget_spent')
  assert.ok(result.cpuMs! >= 100)
  assert.equal(result.counts.claimed, 12)
  assert.ok(
    result.counts.sent >= 1 && result.counts.sent < 12,
    'stopped part-way',
  )
  assert.equal(
    result.counts.sent + result.counts.released,
    12,
    'every claimed email settled',
  )
  const rows = await firstEmails(partnerships)
  assert.equal(
    rows.filter((row) => row.status === 'sent').length,
    result.counts.sent,
  )
  assert.ok(
    rows.filter((row) => row.status !== 'sent').every((row) =>
      row.status === 'queued' && row.attempts === 0
    ),
    'the rest given back untried',
  )
  assert.deepEqual(
    [...await sql`select run_id from app.notification_runs`],
    [],
    'the lock given up',
  )
  assert.equal(result.handedOver, true)
  const wakes = await sql<{ url: string }[]>`
    select url from net.http_request_queue where id > ${before!.id}`
  assert.deepEqual(wakes.map((wake) => wake.url), [
    'http://127.0.0.1:9/functions/v1/notifications',
  ], 'the next run asked for at once')

  // The next run sends the rest, each once.
  const next = await runDispatch(deps(), options())
  assert.equal(next.counts.sent, 12 - result.counts.sent)
  await assertEachSentOnce(partnerships)
})

Deno.test('a run about to spend its budget wakes its successor, which waits for the lock and sends the rest', async () => {
  const world = await createWorld(sql, {
    schools: Array.from({ length: 30 }, () => ({})),
  })
  const partnerships = await reportSchools(sql, world)
  const [before] = await sql<{ id: string }[]>`
    select coalesce(max(id), 0) as id from net.http_request_queue`
  // As above, a CPU clock that moves 10 ms a read; the budget is spent part-way, and the run
  // expects that from its first full batch (the lead is longer than any run here).
  let cpuMs = 0
  const first = runDispatch(
    { ...deps(), cpu: { usedMs: () => cpuMs += 10 } },
    options({ batchSize: 5, cpuBudgetMs: 200, handoverLeadMs: 60_000 }),
  )
  // The request the successor comes from (this database's pg_net queue; nothing sends it here).
  const handover = await eventually(async () => {
    const [request] = await sql<{ body: string }[]>`
      select convert_from(body, 'UTF8') as body from net.http_request_queue
      where id > ${before!.id}`
    return request
  }, { what: 'the successor to be asked for' })
  assert.deepEqual(JSON.parse(handover.body), { handover: true })
  // The successor starts while the first still holds the lock, and waits for it.
  const second = runDispatch(deps(), options({ awaitLockMs: 15_000 }))

  const [ended, next] = await Promise.all([first, second])
  assert.equal(ended.outcome, 'cpu_budget_spent')
  assert.equal(ended.handedOver, true)
  assert.equal(next.outcome, 'finished', 'it waited for the lock rather than answer busy')
  assert.equal(ended.counts.sent + next.counts.sent, 30)
  await assertEachSentOnce(partnerships)
})

Deno.test('a run that spends its budget gives the lock up while its last sends are in flight, and the successor sends the rest', async () => {
  const world = await createWorld(sql, {
    schools: Array.from({ length: 20 }, () => ({})),
  })
  const partnerships = await reportSchools(sql, world)
  // Every answer from Notify takes 3 s, so the run spends its CPU budget with sends in flight.
  await control('faults', 'POST', { kind: 'slow', count: 20, delayMs: 3_000 })
  await sql`delete from app.notification_pacing`
  let cpuMs = 0
  let firstDone = false
  const first = runDispatch(
    { ...deps(), cpu: { usedMs: () => cpuMs += 10 } },
    options({ batchSize: 5, cpuBudgetMs: 60, handoverLeadMs: 60_000 }),
  ).finally(() => firstDone = true)
  // It leaves its pacing as it gives the lock up.
  await eventually(async () => {
    const [left] = await sql`select tokens from app.notification_pacing`
    return left
  }, { what: 'the first run to give its lock up' })
  assert.equal(firstDone, false, 'its last sends are still waiting for Notify')
  assert.deepEqual([...await sql`select run_id from app.notification_runs`], [])
  const inFlight = (await firstEmails(partnerships)).filter((row) => row.status === 'sending')
  assert.ok(inFlight.length > 0, 'its emails in flight stay claimed')

  // The successor takes the lock (and the pacing with it) at once.
  const second = runDispatch(deps(), options({ awaitLockMs: 15_000 }))
  await eventually(async () => {
    const [run] = await sql`select run_id from app.notification_runs`
    return run
  }, { what: 'the successor to take the lock' })
  assert.equal(firstDone, false, 'taken while the first run was still waiting for Notify')

  const [ended, next] = await Promise.all([first, second])
  assert.equal(ended.outcome, 'cpu_budget_spent')
  assert.equal(next.outcome, 'finished')
  assert.equal(ended.counts.sent + next.counts.sent, 20)
  for (const row of await firstEmails(partnerships)) {
    assert.equal(row.status, 'sent')
    assert.equal((await messagesFor(row.notification_id)).length, 1, 'sent once')
  }
})

Deno.test('the run lock hands its pacing to the next run that takes it, only after a clean end', async () => {
  type Taken = { began: boolean; pacing_tokens: number | null; pacing_age_ms: number | null }
  const take = async (runId: string) =>
    (await sql<Taken[]>`select * from app.take_notification_run(${runId}, 5, 11)`)[0]!
  const runs = Array.from({ length: 4 }, () => crypto.randomUUID())

  assert.equal((await take(runs[0]!)).began, true)
  await sql`select app.end_notification_run(${runs[0]!}, 3.5)`
  const carried = await take(runs[1]!)
  assert.equal(carried.began, true)
  assert.equal(carried.pacing_tokens, 3.5)
  assert.ok(carried.pacing_age_ms! >= 0 && carried.pacing_age_ms! < 60_000)
  assert.deepEqual([...await sql`select * from app.notification_pacing`], [], 'taken away')

  // A run that is not the lock's leaves nothing; one that died leaves nothing to its taker.
  await sql`select app.end_notification_run(${runs[0]!}, 2)`
  assert.deepEqual([...await sql`select * from app.notification_pacing`], [])
  await sql`update app.notification_runs set lease_expires_at = now() - interval '1 second'`
  const afresh = await take(runs[2]!)
  assert.equal(afresh.began, true)
  assert.equal(afresh.pacing_tokens, null, 'a run taking over from a dead one starts afresh')
  await sql`select app.end_notification_run(${runs[2]!}, 1)`
  assert.equal((await take(runs[3]!)).pacing_tokens, 1)
  await sql`select app.end_notification_run(${runs[3]!}, 1)`
})

Deno.test('a run renews its lock while it waits for slow answers, so no other run can take it', async () => {
  const world = await createWorld(sql, { schools: [{}] })
  const partnerships = await reportSchools(sql, world)
  await control('faults', 'POST', { kind: 'slow', count: 1, delayMs: 3_000 })
  const running = runDispatch(
    deps(),
    options({ lockLeaseSeconds: 1, heartbeatMs: 200 }),
  )
  // Well past the 1 s lease: only renewals keep the lock the run's.
  await new Promise((resolve) => setTimeout(resolve, 1_800))
  const [other] = await sql<{ began: boolean }[]>`
    select app.begin_notification_run(${crypto.randomUUID()}, 1, 0) as began`
  assert.equal(other!.began, false, 'the working run still holds the lock')
  const result = await running
  assert.equal(result.outcome, 'finished')
  assert.equal(result.counts.sent, 1)
  assert.equal((await firstEmails(partnerships))[0]!.status, 'sent')
  assert.deepEqual(
    [...await sql`select run_id from app.notification_runs`],
    [],
    'given up at the end',
  )
})

Deno.test("a run taking over a dead run's lock brings back its claimed emails once its sends have surely ended, and looks them up before sending", async () => {
  const world = await createWorld(sql, { schools: [{}, {}] })
  const partnerships = await reportSchools(sql, world)
  // The dead run took the lock, claimed both emails (for 600 s), sent one to Notify and died
  // before recording it.
  const deadRun = crypto.randomUUID()
  await sql`select app.begin_notification_run(${deadRun}, 5, 11)`
  const claimed = await sql<
    ClaimRow[]
  >`select * from app.claim_notifications(1000, 600)`
  assert.equal(claimed.length, 2)
  await landAtNotify(claimed[0]!)
  // Its lock ran out a second ago.
  const [died] = await sql<{ at: Date }[]>`
    update app.notification_runs set lease_expires_at = now() - interval '1 second'
    returning lease_expires_at as at`

  const takerRun = crypto.randomUUID()
  const [taken] = await sql<{ began: boolean }[]>`
    select app.begin_notification_run(${takerRun}, 5, 11) as began`
  assert.equal(taken!.began, true)
  const leases = await sql<{ lease_expires_at: Date }[]>`
    select lease_expires_at from public.notifications
    where notification_id = any(${claimed.map((row) => row.notification_id)}::uuid[])`
  assert.deepEqual(
    leases.map((row) => row.lease_expires_at.getTime()),
    [died!.at.getTime() + 11_000, died!.at.getTime() + 11_000],
    "due again 11 s (Notify's timeout and a second) after the dead run's lock ran out, not in 600 s",
  )
  await sql`select app.end_notification_run(${takerRun})`

  // Those 11 s pass.
  await sql`
    update public.notifications set lease_expires_at = now() - interval '1 second'
    where notification_id = any(${claimed.map((row) => row.notification_id)}::uuid[])`
  const result = await runDispatch(deps(), options())
  assert.equal(
    result.counts.alreadyAtNotify,
    1,
    'found at Notify, not sent again',
  )
  assert.equal(result.counts.sent, 1)
  await assertEachSentOnce(partnerships)
  for (const row of await firstEmails(partnerships)) assert.equal(row.attempts, 2)
})

Deno.test("a run that spends its budget gives back a dead run's email still to be looked up, and the next run looks it up rather than send it again", async () => {
  const world = await createWorld(sql, { schools: [{}, {}] })
  const partnerships = await reportSchools(sql, world)
  const claimed = await deadRunSentAll()
  assert.equal(claimed.length, 2)

  // A CPU clock that moves 10 ms a read: the budget is spent after the first look-up starts.
  let cpuMs = 0
  const first = await runDispatch(
    { ...deps(), cpu: { usedMs: () => cpuMs += 10 } },
    options({ cpuBudgetMs: 1 }),
  )
  assert.equal(first.outcome, 'cpu_budget_spent')
  assert.equal(first.counts.alreadyAtNotify, 1)
  assert.equal(first.counts.released, 1)
  const [givenBack] = (await firstEmails(partnerships)).filter((row) => row.status === 'queued')
  assert.match(givenBack!.last_error!, /^Outcome unknown: /, 'given back as perhaps sent')

  const next = await runDispatch(deps(), options())
  assert.equal(next.counts.alreadyAtNotify, 1, 'looked up, found, recorded')
  assert.equal(next.counts.sent, 0)
  await assertEachSentOnce(partnerships)
})

Deno.test("a look-up that cannot reach Notify leaves a dead run's email to be looked up again, not sent", async () => {
  const world = await createWorld(sql, { schools: [{}] })
  const partnerships = await reportSchools(sql, world)
  await deadRunSentAll()
  // The double refuses connections for a second: each look-up in it is refused, and retried.
  await control('outage', 'POST', { seconds: 1 })
  const result = await runDispatch(
    deps({ timeoutMs: 250 }),
    options({
      notifyTimeoutMs: 250,
      idlePollMs: 20,
      backoff: { maxAttempts: 50, baseMs: 100, capMs: 100 },
    }),
  )
  assert.ok(result.counts.retrying >= 1, 'refused at least once')
  assert.equal(result.counts.alreadyAtNotify, 1, 'found once Notify answered again')
  assert.equal(result.counts.sent, 0)
  await assertEachSentOnce(partnerships)
})

Deno.test('a commit wakes the sender only when no run is going and no wake is on its way', async () => {
  const world = await createWorld(sql, {
    schools: Array.from({ length: 5 }, () => ({})),
  })
  const urns = world.schools.map((school) => school.urn)
  // Where a wake-up is asked for (pg_net's queue): this database has no sender of its own.
  await sql`select vault.create_secret('http://127.0.0.1:9/functions/v1/notifications',
    'notifications_function_url')
    where not exists (select from vault.decrypted_secrets where name = 'notifications_function_url')`
  await sql`select vault.create_secret('a-secret-key', 'notifications_function_secret')
    where not exists (
      select from vault.decrypted_secrets where name = 'notifications_function_secret')`
  await sql`update app.notification_wake set requested_at = null`
  const [before] = await sql<{ id: string }[]>`
    select coalesce(max(id), 0) as id from net.http_request_queue`
  const wakes = async () =>
    (await sql<{ count: number }[]>`
      select count(*)::int as count from net.http_request_queue where id > ${before!.id}`)[0]!
      .count

  await reportSchools(sql, world, [urns[0]!])
  assert.equal(await wakes(), 1, 'no run and no wake on its way: woken')
  await reportSchools(sql, world, [urns[1]!])
  assert.equal(await wakes(), 1, 'a wake on its way: not woken again')

  const runId = crypto.randomUUID()
  const [began] = await sql<{ ours: boolean }[]>`
    select app.begin_notification_run(${runId}, 5, 11) as ours`
  assert.equal(began!.ours, true)
  await reportSchools(sql, world, [urns[2]!])
  assert.equal(await wakes(), 1, 'a run going: it claims what was queued after it started')

  // A report commits while the run lets go: the run's end waits for the commit, so the run's
  // last look for work (dispatcher.ts) sees the report's email.
  let commit!: () => void
  const committing = new Promise<void>((resolve) => commit = resolve)
  let reported!: () => void
  const inserted = new Promise<void>((resolve) => reported = resolve)
  const report = sql.begin(async (tx) => {
    await reportSchoolsIn(tx, world, [urns[3]!])
    reported()
    await committing
  })
  await inserted
  let ended = false
  const ending = sql`select app.end_notification_run(${runId})`.then(() => ended = true)
  await eventually(async () => {
    const [waiting] = await sql<{ waiting: boolean }[]>`
      select exists (
        select from pg_stat_activity
        where wait_event_type = 'Lock' and query like '%app.end_notification_run%'
          and pid <> pg_backend_pid()
      ) as waiting`
    return waiting!.waiting ? true : undefined
  }, { what: "the run's end waiting for the report's commit" })
  assert.equal(ended, false)
  commit()
  await report
  await ending
  assert.equal(await wakes(), 1, 'the run was going when the report queued its email')
  const [due] = await sql<{ due: boolean }[]>`select app.notifications_due() as due`
  assert.equal(due!.due, true, "the run's last look finds the email")

  // The run answered the wake-up when it began: with no run going, the next commit wakes.
  await reportSchools(sql, world, [urns[4]!])
  assert.equal(await wakes(), 2, 'no run going, no wake on its way: woken')
  await sql`update app.notification_wake set requested_at = null`
  await runDispatch(deps(), options())
})

Deno.test({
  name: 'notifications dispatch tests: clean up',
  sanitizeResources: false,
  async fn() {
    await double.stop()
    await sql.end()
    await admin`drop database ${admin(databaseName)} with (force)`
    await admin.end()
  },
})
