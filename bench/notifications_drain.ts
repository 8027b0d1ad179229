/**
 * Benchmark: one lead provider reports 10,000 schools in one request, and the outbox drains
 * through the Notify double. Starts a whole local stack of its own (free ports, a temporary data
 * folder), with the double's limit and the sender's configured rate at 6,000 a minute so it runs
 * in minutes. Prints figures; never passes or fails on a time.
 *
 *   npx -y deno@2.9.6 run -A bench/notifications_drain.ts [schools=10000] [perMinute=6000]
 */
import postgres from 'postgres'
import { startBenchStack } from './_stack.ts'

const schools = Number(Deno.args[0] ?? 10_000)
const perMinute = Number(Deno.args[1] ?? 6_000)
const stack = await startBenchStack('notifications-drain')
// Read by the notifications function on its first run, which has not happened yet.
Deno.env.set('NOTIFY_RATE_PER_MINUTE', String(perMinute))
await fetch(`${stack.urls.notify}/_double/rate-limit`, {
  method: 'PUT',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ perMinute }),
}).then((response) => response.body?.cancel())

const { reportSchools } = await import('../tests/_notifications_world.ts')

const sql = postgres(stack.urls.db, { max: 2, onnotice: () => {} })
try {
  const world = await createBenchWorld(sql, schools)
  const started = performance.now()
  const partnerships = await reportSchools(
    sql,
    world,
    world.schools.map((school) => school.urn),
  )
  const committedAt = Date.now()
  const commitMs = performance.now() - started

  let outcome: { sent: number; failed: number }
  for (;;) {
    const [row] = await sql<{ sent: number; failed: number }[]>`
      select count(*) filter (where status = 'sent')::int as sent,
        count(*) filter (where status in ('failed', 'no_address'))::int as failed
      from public.notifications
      where kind = 'school_first' and partnership_id = any(${partnerships}::uuid[])`
    outcome = row!
    if (outcome.sent + outcome.failed >= schools) break
    await new Promise((resolve) => setTimeout(resolve, 500))
  }

  const [times] = await sql<{ first: Date; last: Date; retries: number }[]>`
    select min(sent_at) as first, max(sent_at) as last, sum(attempts - 1)::int as retries
    from public.notifications
    where kind = 'school_first' and partnership_id = any(${partnerships}::uuid[])`
  const messages: { reference: string | null }[] =
    await (await fetch(`${stack.urls.notify}/messages`)).json()
  const perReference = new Map<string, number>()
  for (const { reference } of messages) {
    if (reference) {
      perReference.set(reference, (perReference.get(reference) ?? 0) + 1)
    }
  }
  const ours = await sql<{ notification_id: string }[]>`
    select notification_id from public.notifications
    where kind = 'school_first' and partnership_id = any(${partnerships}::uuid[])`
  const duplicates = ours.filter((row) => (perReference.get(row.notification_id) ?? 0) > 1).length
  const losses = ours.filter((row) => !perReference.has(row.notification_id)).length
  const drainMinutes = (times!.last.getTime() - times!.first.getTime()) /
    60_000
  const drainRate = drainMinutes > 0 ? (schools - 1) / drainMinutes : Infinity

  console.log(JSON.stringify(
    {
      schools,
      configured_limit_per_minute: perMinute,
      time_to_commit_ms: Math.round(commitMs),
      commit_to_first_email_accepted_ms: times!.first.getTime() - committedAt,
      drain_rate_per_minute: Math.round(drainRate),
      drain_rate_fraction_of_limit: Number((drainRate / perMinute).toFixed(3)),
      rate_limited_429s_seen: times!.retries,
      failed: outcome.failed,
      duplicates,
      losses,
    },
    null,
    2,
  ))
} finally {
  await sql.end()
  await stack.stop()
}

/** A lead provider, delivery partner and `count` eligible schools, made in a few statements. */
async function createBenchWorld(sql: postgres.Sql, count: number) {
  const [world] = await sql<
    { user_id: string; lead_provider_id: string; delivery_partner_id: string }[]
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
    ), person as (
      insert into auth.users (id, aud, role, email)
      values (gen_random_uuid(), 'authenticated', 'authenticated', 'bench@provider.example.test')
      returning id
    ), provider_user as (
      insert into public.provider_users (user_id, lead_provider_id, full_name, email)
      select id, lead_provider_id, 'Bench User', 'bench@provider.example.test' from person, lp
    )
    select person.id as user_id, lead_provider_id, delivery_partner_id from person, lp, dp`
  const urns = await sql<{ urn: string }[]>`
    insert into public.schools (urn, name, gias_email, status, establishment_type, local_authority)
    select (90000000 + n)::text, 'Bench School ' || n, 'office-' || n || '@school.example.test',
      'open', 'Community school', 'Bench Borough'
    from generate_series(1, ${count}) as n
    returning urn`
  return {
    label: 'bench',
    leadProvider: { id: world!.lead_provider_id, name: 'Bench Lead Provider' },
    deliveryPartner: {
      id: world!.delivery_partner_id,
      name: 'Bench Delivery Partner',
    },
    users: [{ id: world!.user_id, email: 'bench@provider.example.test' }],
    schools: urns.map(({ urn }) => ({
      id: '',
      urn,
      name: '',
      giasEmail: null,
    })),
  }
}
