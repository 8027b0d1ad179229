/**
 * The sender's run (dispatcher.ts) against a database and a Notify double of its own, so that
 * nothing else sends from its outbox and it can be given a wrong key or tight limits: a 403,
 * retries that run out, an earlier try that did reach Notify, two overlapping runs.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import postgres from 'postgres'
import { applyMigrations } from '../local/migrate.ts'
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
import { composeEmail } from '../supabase/functions/notifications/email.ts'
import { createSqlOutbox } from '../supabase/functions/notifications/outbox.ts'
import templates from '../notify/templates/templates.json' with {
  type: 'json',
}
import { stack } from './_stack.ts'
import { createWorld, outboxRows, reportSchools } from './_notifications_world.ts'

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
  migrationsDir: join(repoRoot, 'supabase/migrations'),
  seedFile: join(repoRoot, 'supabase/seed.sql'),
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

// postgres' typings unwrap the transaction's result; it is the T the callback returned.
const outbox = createSqlOutbox(async <T>(
  fn: (tx: postgres.TransactionSql) => Promise<T>,
) =>
  (await sql.begin(async (tx) => {
    await tx`select set_config('role', 'service_role', true)`
    return await fn(tx)
  })) as T
)
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

async function firstEmails(partnerships: string[]) {
  return (await outboxRows(sql, partnerships)).filter((row) => row.kind.endsWith('_first'))
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
  for (const row of await firstEmails(partnerships)) {
    assert.equal(row.status, 'sent')
    assert.equal((await messagesFor(row.notification_id)).length, 1)
  }
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
