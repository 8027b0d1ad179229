/**
 * Benchmark: what one claim of the sender costs against a large backlog. Reports `due` schools
 * (285,000 by default) in statements of 10,000 through the partnerships trigger, as a report does,
 * so the outbox holds that many school emails due now and as many reminders due in 7 days; then
 * times `app.claim_notifications(50, 120)` (rolled back each time, so every try sees the same
 * backlog) and prints the percentiles. The sender is kept asleep (the
 * outbox's wake trigger and the sweep are switched off on this stack of its own), so the backlog
 * stays as built. Prints figures; never passes or fails on a time.
 *
 *   npx -y deno@2.9.6 run -A bench/claim_cost.ts [due=285000] [tries=50]
 */
import postgres from 'postgres'
import { startBenchStack } from './_stack.ts'
import { percentiles } from './_stats.ts'

const due = Number(Deno.args[0] ?? 285_000)
const tries = Number(Deno.args[1] ?? 50)
const perStatement = 10_000
const claimSize = 50
/** Thrown to roll a try back, so each sees the same backlog. */
const rollback = new Error('rollback')

const stack = await startBenchStack('claim-cost')
const admin = postgres(stack.urls.dbAdmin, { max: 1, onnotice: () => {} })
const sql = postgres(stack.urls.db, { max: 1, onnotice: () => {} })
try {
  await admin`alter table public.notifications disable trigger notifications_wake_sender`
  await sql`select cron.unschedule('notifications-sweep')`
  const built = performance.now()
  const [world] = await sql<
    { lead_provider_id: string; delivery_partner_id: string; cohort_id: string }[]
  >`
    with cohort as (
      insert into public.cohorts (start_year, academic_year_start, earliest_challenge_deadline)
      values (2026, '2026-09-01', '2026-10-31')
      on conflict (start_year) do update set start_year = excluded.start_year
      returning cohort_id
    ), lp as (
      insert into public.lead_providers (name) values ('Bench Lead Provider') returning lead_provider_id
    ), dp as (
      insert into public.delivery_partners (name) values ('Bench Delivery Partner')
      returning delivery_partner_id
    ), rel as (
      insert into public.provider_relationships select lead_provider_id, delivery_partner_id, cohort_id
      from lp, dp, cohort
    )
    select lead_provider_id, delivery_partner_id, cohort_id from lp, dp, cohort`
  for (let start = 0; start < due; start += perStatement) {
    const count = Math.min(perStatement, due - start)
    await sql`
      with s as (
        insert into public.schools (urn, name, gias_email, status, establishment_type, local_authority)
        select (80000000 + ${start} + n)::text, 'Claim School ' || n,
          'office-' || (${start} + n) || '@school.example.test', 'open', 'Community school', 'Bench'
        from generate_series(1, ${count}) as n
        returning school_id
      )
      insert into public.partnerships (school_id, lead_provider_id, delivery_partner_id, cohort_id)
      select school_id, ${world!.lead_provider_id}, ${world!.delivery_partner_id}, ${
      world!.cohort_id
    }
      from s`
  }
  await sql`analyze public.notifications`
  await sql`analyze public.partnerships`
  const buildSeconds = (performance.now() - built) / 1000
  const [backlog] = await sql<{ due_now: number; due_later: number }[]>`
    select count(*) filter (where due_at <= now())::int as due_now,
      count(*) filter (where due_at > now())::int as due_later
    from public.notifications where status = 'queued'`

  const times: number[] = []
  let claimed = 0
  for (let i = 0; i < tries; i++) {
    await sql.begin(async (tx) => {
      await tx`set local role service_role`
      const started = performance.now()
      const rows = await tx`select * from app.claim_notifications(${claimSize}, 120)`
      times.push(performance.now() - started)
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
