/**
 * Benchmark: a backlog of school emails drains through the Notify double, against its limit. One
 * lead provider reports `schools` schools (25,000 by default) in one statement, as the portal's
 * report does, so the outbox holds one school email each; the sender then drains it at the pace
 * it keeps under the limit. The double refuses beyond `perMinute` requests in any rolling minute
 * (Notify's own default, 3,000, unless told otherwise), and the sender is configured with the
 * same figure, as in service. Starts a whole local stack of its own (free ports, a temporary data
 * folder). Prints figures and the ratio to the limit; never passes or fails on a time.
 *
 * While it drains, more reports commit one school at a time (`trickle`, 10 a second for the first
 * 30 s), each of which would have woken the sender: the benchmark prints how many wake-ups found a
 * run already going (`busy`) beside the seconds of sending. Their emails count in the drain.
 *
 * Also the sender's CPU, beside the platform's limit of 2 s per request: each run answers with the
 * CPU it used by the process's own clock (its pg_net request keeps the answer). Here the functions
 * share this process with the Notify double, the pg_net worker and the benchmark itself, so the
 * figures are upper bounds on the sender's own (supabase/functions/notifications/cpu_clock.ts).
 *
 *   npx -y deno@2.9.6 run -A bench/notifications_drain.ts [schools=25000] [perMinute=3000]
 */
import postgres from 'postgres'
import { startBenchStack } from './_stack.ts'
import { ratio } from './_stats.ts'
import { type BenchWorld, createBenchWorld } from './_world.ts'
import { shareOfLimit } from '../supabase/functions/_shared/notify_pacing.ts'

/** The platform stops a function's request after this much CPU time. */
const cpuLimitMs = 2_000
const schools = Number(Deno.args[0] ?? 25_000)
const perMinute = Number(Deno.args[1] ?? 3_000)
const stack = await startBenchStack('notifications-drain', { notifyRatePerMinute: perMinute })

const { reportSchoolsIn } = await import('../tests/_notifications_world.ts')

/** `app.report_schools` takes at most 20,000 URNs a call; providers' reports are smaller. */
const schoolsPerReport = 10_000
/** Single-school reports committed while the backlog drains, one every `trickleEveryMs`. */
const trickle = 300
const trickleEveryMs = 100

const sql = postgres(stack.urls.db, { max: 2, onnotice: () => {} })
try {
  const world = await createBenchWorld(sql, schools + trickle)
  const started = performance.now()
  const allUrns = world.schools.map((school) => school.urn)
  const urns = allUrns.slice(0, schools)
  // Several reports in one transaction: the whole backlog is committed before the sender wakes.
  const partnerships = await sql.begin(async (tx) => {
    const ids: string[] = []
    for (let start = 0; start < urns.length; start += schoolsPerReport) {
      ids.push(...await reportSchoolsIn(tx, world, urns.slice(start, start + schoolsPerReport)))
    }
    return ids
  })
  const committedAt = Date.now()
  const commitMs = performance.now() - started
  const trickled = trickleReports(world, allUrns.slice(schools))
  const total = schools + trickle

  let outcome: { sent: number; failed: number }
  for (;;) {
    const [row] = await sql<{ sent: number; failed: number }[]>`
      select count(*) filter (where n.status = 'sent')::int as sent,
        count(*) filter (where n.status in ('failed', 'no_address'))::int as failed
      from public.notifications n join public.partnerships p using (partnership_id)
      where n.kind = 'school_first' and p.lead_provider_id = ${world.leadProvider.id}`
    outcome = row!
    if (outcome.sent + outcome.failed >= total) break
    // Only to notice the end: the figures come from each email's own `sent_at`.
    await new Promise((resolve) => setTimeout(resolve, 2_000))
  }

  partnerships.push(...await trickled)
  const [times] = await sql<
    { first: Date; last: Date; retries: number; busiest_minute: number }[]
  >`
    with ours as (
      select sent_at, attempts from public.notifications
      where kind = 'school_first' and partnership_id = any(${partnerships}::uuid[])
    ), windows as (
      select count(*) over (
        order by sent_at range between current row and interval '60 seconds' following
      ) as in_minute
      from ours where sent_at is not null
    )
    select (select min(sent_at) from ours) as first, (select max(sent_at) from ours) as last,
      (select sum(attempts - 1)::int from ours) as retries,
      (select max(in_minute)::int from windows) as busiest_minute`
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
  const runs = await senderRuns(sql)
  const [gaps] = await sql<{ largest_gap_ms: number; pauses: number; pauses_s: number }[]>`
    with ours as (
      select sent_at, lag(sent_at) over (order by sent_at) as previous
      from public.notifications
      where kind = 'school_first' and partnership_id = any(${partnerships}::uuid[])
        and sent_at is not null
    )
    select coalesce(round(extract(epoch from max(sent_at - previous)) * 1000), 0)::int
        as largest_gap_ms,
      count(*) filter (where sent_at - previous > interval '250 milliseconds')::int as pauses,
      coalesce(round(extract(epoch from sum(sent_at - previous)
        filter (where sent_at - previous > interval '250 milliseconds'))::numeric, 1), 0)::float
        as pauses_s
    from ours`
  const drainMinutes = (times!.last.getTime() - times!.first.getTime()) / 60_000
  const drainRate = drainMinutes > 0 ? (total - 1) / drainMinutes : Infinity
  const sendingSeconds = Math.ceil((times!.last.getTime() - times!.first.getTime()) / 1000)
  const wholeMinutes = (times!.last.getTime() - committedAt) / 60_000
  // What the hand-overs cost: the sending time beyond what the paced rate needs, per hand-over.
  const pacedPerMinute = Math.floor(perMinute * shareOfLimit)
  const lostMs = (times!.last.getTime() - times!.first.getTime()) -
    (total - 1) / pacedPerMinute * 60_000

  console.log(JSON.stringify(
    {
      emails: total,
      backlog_committed_at_once: schools,
      reported_one_at_a_time_while_draining: trickle,
      limit_per_minute: perMinute,
      time_to_commit_ms: Math.round(commitMs),
      commit_to_first_email_accepted_ms: times!.first.getTime() - committedAt,
      commit_to_last_email_accepted_minutes: Number(wholeMinutes.toFixed(2)),
      drain_rate_per_minute: Math.round(drainRate),
      drain_rate_ratio_to_limit: ratio(drainRate, perMinute),
      busiest_rolling_minute: times!.busiest_minute,
      busiest_minute_ratio_to_limit: ratio(times!.busiest_minute, perMinute),
      // Nothing else fails on this stack (no faults injected), so each retry was a 429.
      retries_after_429: times!.retries,
      failed: outcome.failed,
      duplicates,
      losses,
      wake_ups_that_found_a_run_going: runs.byOutcome.busy ?? 0,
      seconds_of_sending: sendingSeconds,
      sender_runs: runs.count,
      runs_by_outcome: runs.byOutcome,
      runs_handed_over: runs.handedOver,
      paced_rate_per_minute: pacedPerMinute,
      sending_time_lost_to_the_paced_rate_s: Number((lostMs / 1000).toFixed(1)),
      lost_per_hand_over_ms: runs.handedOver > 0 ? Math.round(lostMs / runs.handedOver) : null,
      largest_gap_between_sends_ms: gaps!.largest_gap_ms,
      // Pauses (over a quarter of a second between two sends) against the hand-overs: whether the
      // time lost was lost at hand-overs or to a sender too slow for the pace (a busy machine).
      pauses_over_250_ms: gaps!.pauses,
      seconds_in_those_pauses: gaps!.pauses_s,
      cpu_ms_per_email_sent: runs.cpuMsPerEmail,
      largest_run_cpu_ms: runs.largestCpuMs,
      cpu_limit_per_request_ms: cpuLimitMs,
      largest_run_cpu_ratio_to_limit: ratio(runs.largestCpuMs, cpuLimitMs),
      function_logs: stack.functionLogs(),
    },
    null,
    2,
  ))
} finally {
  await sql.end()
  await stack.stop()
}

/** Reports each of `urns` in a transaction of its own, `trickleEveryMs` apart, as providers do. */
async function trickleReports(
  world: BenchWorld,
  urns: string[],
): Promise<string[]> {
  const ids: string[] = []
  for (const urn of urns) {
    await new Promise((resolve) => setTimeout(resolve, trickleEveryMs))
    ids.push(...await sql.begin((tx) => reportSchoolsIn(tx, world, [urn])))
  }
  return ids
}

/**
 * What the sender's runs answered (each is a pg_net request whose answer pg_net keeps), once the
 * last has let go of the lock: how many ran, how each ended, and the CPU they used.
 */
async function senderRuns(sql: postgres.Sql) {
  for (;;) {
    const [held] = await sql<{ runs: number }[]>`
      select count(*)::int as runs from app.notification_runs`
    if (held!.runs === 0) break
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  const answers = await sql<{ content: string }[]>`
    select content from net._http_response where status_code = 200`
  const results = answers.map(({ content }) =>
    JSON.parse(content) as {
      outcome: string
      counts: { sent: number; alreadyAtNotify: number }
      cpuMs: number | null
      handedOver: boolean
    }
  )
  const byOutcome: Record<string, number> = {}
  for (const { outcome } of results) byOutcome[outcome] = (byOutcome[outcome] ?? 0) + 1
  const cpu = results.map((result) => result.cpuMs ?? 0)
  const emails = results.reduce(
    (sum, result) => sum + result.counts.sent + result.counts.alreadyAtNotify,
    0,
  )
  const cpuMs = cpu.reduce((sum, ms) => sum + ms, 0)
  return {
    count: results.length,
    byOutcome,
    handedOver: results.filter((result) => result.handedOver).length,
    cpuMsPerEmail: emails > 0 ? Number((cpuMs / emails).toFixed(3)) : null,
    largestCpuMs: Math.max(0, ...cpu),
  }
}
