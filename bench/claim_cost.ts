/**
 * Benchmark: what one claim of the sender costs against a large backlog. Reports `due` schools
 * (285,000 by default) through `app.report_schools` in reports of 10,000, as the portal does,
 * so the outbox holds that many school emails due now and as many reminders due in 7 days; then
 * times `app.claim_notifications(50, 120)` (rolled back each time, so every try sees the same
 * backlog) and prints the percentiles, of the time each took and of the Postgres backend's CPU
 * time for it (its own work, without the waits for a core that a busy machine adds). The sender
 * is kept asleep (the outbox's wake trigger and the sweep are switched off on this stack of its
 * own), so the backlog stays as built. Prints figures; never passes or fails on a time.
 *
 *   npx -y deno@2.9.6 run -A bench/claim_cost.ts [due=285000] [tries=50]
 */
import postgres from 'postgres'
import { startBenchStack } from './_stack.ts'
import { percentiles } from './_stats.ts'
import { backendCpuClock } from './_backend_cpu.ts'
import { createBenchWorld } from './_world.ts'

const due = Number(Deno.args[0] ?? 285_000)
const tries = Number(Deno.args[1] ?? 50)
const perStatement = 10_000
const claimSize = 50
/** Thrown to roll a try back, so each sees the same backlog. */
const rollback = new Error('rollback')

const stack = await startBenchStack('claim-cost')
const { reportSchools } = await import('../tests/_notifications_world.ts')
const admin = postgres(stack.urls.dbAdmin, { max: 1, onnotice: () => {} })
const sql = postgres(stack.urls.db, { max: 1, onnotice: () => {} })
try {
  await admin`alter table public.notifications disable trigger notifications_wake_sender`
  await sql`select cron.unschedule('notifications-sweep')`
  const built = performance.now()
  const world = await createBenchWorld(sql, due)
  const urns = world.schools.map((school) => school.urn)
  for (let start = 0; start < due; start += perStatement) {
    await reportSchools(sql, world, urns.slice(start, start + perStatement))
  }
  await sql`analyze public.notifications`
  await sql`analyze public.partnerships`
  const buildSeconds = (performance.now() - built) / 1000
  const [backlog] = await sql<{ due_now: number; due_later: number }[]>`
    select count(*) filter (where due_at <= now())::int as due_now,
      count(*) filter (where due_at > now())::int as due_later
    from public.notifications where status = 'queued'`

  const times: number[] = []
  const cpuTimes: number[] = []
  const cpuClock = await backendCpuClock(sql)
  let claimed = 0
  for (let i = 0; i < tries; i++) {
    await sql.begin(async (tx) => {
      await tx`set local role service_role`
      const cpuBefore = await cpuClock()
      const started = performance.now()
      const rows = await tx`select * from app.claim_notifications(${claimSize}, 120)`
      times.push(performance.now() - started)
      const cpuAfter = await cpuClock()
      if (cpuBefore !== undefined && cpuAfter !== undefined) cpuTimes.push(cpuAfter - cpuBefore)
      claimed = rows.length
      throw rollback
    }).catch((error) => {
      if (error !== rollback) throw error
    })
  }
  console.log(JSON.stringify(
    {
      emails_due_now: backlog!.due_now,
      reminders_due_later: backlog!.due_later,
      build_seconds: Number(buildSeconds.toFixed(1)),
      claim_size: claimSize,
      rows_claimed: claimed,
      claim_ms: percentiles(times),
      claim_backend_cpu_ms: cpuTimes.length > 0 ? percentiles(cpuTimes) : null,
      claim_target_ms: 10,
    },
    null,
    2,
  ))
} finally {
  await sql.end()
  await admin.end()
  await stack.stop()
}
