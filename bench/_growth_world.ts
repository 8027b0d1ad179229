/**
 * The growth benchmark's world, grown in steps with the product's own SQL: 10 lead providers with
 * 3 delivery partners each in the 2026 cohort; provider 1 reports 10,000 schools first and keeps
 * them (half with a delivery partner it has since stopped working with), the other nine share
 * whatever more the step asks for. Schools are reported through
 * `app.report_schools` as each provider's user (so the partnerships, events and outbox rows are
 * the ones the portal makes), and one in twenty of each step's new partnerships is challenged
 * through `app.challenge_by_support` as a support user, with the five reasons in turn.
 *
 * The sender is kept asleep (the outbox's wake trigger off, the pg_cron sweep unscheduled), so the
 * backlog stays as built: every school email stays due, which is what the claim is measured
 * against. The benchmark's database is thrown away afterwards.
 */
import type postgres from 'postgres'

export const cohortStartYear = 2026
const providers = 10
const partnersPerProvider = 3
/** The measured provider's schools; it reports them all in the first step. */
export const measuredProviderSchools = 10_000
/** `app.report_schools` takes at most 20,000 URNs a call; portals send smaller reports. */
const schoolsPerReport = 10_000
/** One in this many new partnerships is challenged: about 5%. */
const challengeEvery = 20
const reasons = ['another_provider', 'not_confirmed', 'do_not_recognise', 'no_ects', 'mistake']

export type GrowthWorld = {
  cohortId: string
  /** Provider 1 first: its user signs in to the portal. */
  providers: { id: string; userId: string; deliveryPartnerIds: string[] }[]
  supportUserId: string
  /** Partnerships reported so far, and the next school number to create. */
  partnerships: number
  nextSchool: number
}

/** The cohort, providers, delivery partners and users; puts the sender to sleep. */
export async function createGrowthWorld(
  sql: postgres.Sql,
  measuredUserId: string,
): Promise<GrowthWorld> {
  await sql`alter table public.notifications disable trigger notifications_wake_sender`
  await sql`select cron.unschedule('notifications-sweep')`
  const [cohort] = await sql<{ cohort_id: string }[]>`
    insert into public.cohorts (start_year, academic_year_start, earliest_challenge_deadline)
    values (${cohortStartYear}, '2026-09-01', '2026-10-31')
    on conflict (start_year) do update set start_year = excluded.start_year
    returning cohort_id`
  const cohortId = cohort!.cohort_id
  const created: GrowthWorld['providers'] = []
  for (let index = 1; index <= providers; index++) {
    const [provider] = await sql<{ lead_provider_id: string }[]>`
      insert into public.lead_providers (name) values (${`Growth Lead Provider ${index}`})
      returning lead_provider_id`
    const partners = await sql<{ delivery_partner_id: string }[]>`
      insert into public.delivery_partners (name)
      select 'Growth Delivery Partner ' || ${index} || '-' || n
      from generate_series(1, ${partnersPerProvider}) as n
      returning delivery_partner_id`
    await sql`
      insert into public.provider_relationships (lead_provider_id, delivery_partner_id, cohort_id)
      select ${provider!.lead_provider_id}, delivery_partner_id, ${cohortId}
      from unnest(${partners.map((p) => p.delivery_partner_id)}::uuid[]) as delivery_partner_id`
    const userId = index === 1 ? measuredUserId : await createPerson(sql, `provider-${index}`)
    await sql`
      insert into public.provider_users (user_id, lead_provider_id, full_name, email)
      values (${userId}, ${provider!.lead_provider_id}, ${`Growth User ${index}`},
        ${`growth-${index}@provider.example.test`})`
    created.push({
      id: provider!.lead_provider_id,
      userId,
      deliveryPartnerIds: partners.map((p) => p.delivery_partner_id),
    })
  }
  const supportUserId = await createPerson(sql, 'support')
  await sql`
    insert into public.support_users (user_id, full_name, email)
    values (${supportUserId}, 'Growth Support', 'growth-support@education.example.test')`
  return { cohortId, providers: created, supportUserId, partnerships: 0, nextSchool: 1 }
}

async function createPerson(sql: postgres.Sql, label: string): Promise<string> {
  const [person] = await sql<{ id: string }[]>`
    insert into auth.users (id, aud, role, email, created_at, updated_at)
    values (gen_random_uuid(), 'authenticated', 'authenticated',
      ${`growth-${label}@example.test`}, now(), now())
    returning id`
  return person!.id
}

/**
 * Grows the cohort to `total` partnerships: provider 1 to 10,000 first, the rest shared evenly by
 * the other nine, then about 5% of the new ones challenged. Analyses the tables afterwards, as
 * autovacuum would soon after a load this size.
 */
export async function growTo(sql: postgres.Sql, world: GrowthWorld, total: number): Promise<void> {
  const before = world.partnerships
  const measured = Math.min(measuredProviderSchools, total) -
    Math.min(measuredProviderSchools, before)
  const others = total - before - measured
  if (measured > 0) {
    // Half with its first delivery partner, half with its second, which it then stops working
    // with: its list must still show that partner's name (the delivery-partner policy's second
    // branch, `exists` in partnerships, then runs for it).
    const half = Math.floor(measured / 2)
    await report(sql, world, 0, half, 0)
    await report(sql, world, 0, measured - half, 1)
    await sql`
      delete from public.provider_relationships
      where lead_provider_id = ${world.providers[0]!.id}
        and delivery_partner_id = ${world.providers[0]!.deliveryPartnerIds[1]!}`
  }
  const share = Math.floor(others / (providers - 1))
  for (let index = 1; index < providers; index++) {
    const count = index === providers - 1 ? others - share * (providers - 2) : share
    if (count > 0) await report(sql, world, index, count)
  }
  world.partnerships = total
  await challengeSome(sql, world, before)
  await sql`analyze`
}

/**
 * `count` new schools (each with a GIAS address), reported by one provider in 10,000s, naming its
 * delivery partners in turn unless told which.
 */
async function report(
  sql: postgres.Sql,
  world: GrowthWorld,
  index: number,
  count: number,
  partnerIndex?: number,
) {
  const provider = world.providers[index]!
  for (let done = 0; done < count; done += schoolsPerReport) {
    const size = Math.min(schoolsPerReport, count - done)
    const first = world.nextSchool
    world.nextSchool += size
    const [{ urns }] = await sql<[{ urns: string[] }]>`
      with created as (
        insert into public.schools (
          urn, name, gias_email, status, establishment_type, local_authority, trust_uid,
          trust_name, trust_type
        )
        select (20000000 + n)::text, 'Growth School ' || n, 'office-' || n || '@school.example.test',
          'open', 'Community school', 'Growth Borough',
          case when n % 3 = 0 then 'T' || n / 30 end,
          case when n % 3 = 0 then 'Growth Trust ' || n / 30 end,
          case when n % 3 = 0 then 'multi_academy_trust' end
        from generate_series(${first}::int, ${first + size - 1}::int) as n
        returning urn
      )
      select array_agg(urn) as urns from created`
    const partner = provider.deliveryPartnerIds[
      partnerIndex ?? Math.floor(first / schoolsPerReport) % partnersPerProvider
    ]!
    await sql.begin(async (tx) => {
      await asUser(tx, provider.userId)
      const [refused] = await tx<[{ refused: number }]>`
        select count(*) filter (where error is not null)::int as refused
        from app.report_schools(${cohortStartYear}, ${partner}, ${urns}, false)`
      if (refused!.refused > 0) throw new Error(`${refused!.refused} school(s) refused`)
    })
  }
}

/** One in twenty of the partnerships reported since `before`, as DfE support would. */
async function challengeSome(sql: postgres.Sql, world: GrowthWorld, before: number) {
  await sql.begin(async (tx) => {
    await asUser(tx, world.supportUserId)
    await tx`
      with fresh as (
        select p.partnership_id, row_number() over (order by p.reported_at, p.partnership_id) as n
        from public.partnerships p
        where p.cohort_id = ${world.cohortId}
          and p.lead_provider_id = any(${world.providers.map((p) => p.id)}::uuid[])
      )
      select app.challenge_by_support(
        fresh.partnership_id, (${reasons}::text[])[1 + (fresh.n / ${challengeEvery}) % 5], null
      )
      from fresh
      where fresh.n > ${before} and fresh.n % ${challengeEvery} = 0`
  })
}

/**
 * The claims the gateway would set for a signed-in user. The role is left as it is: the `app`
 * functions are security definer and read the user from these claims alone.
 */
async function asUser(tx: postgres.TransactionSql, userId: string) {
  await tx`
    select set_config('request.jwt.claims', ${
    JSON.stringify({ sub: userId, role: 'authenticated' })
  }, true),
      set_config('request.jwt.claim.sub', ${userId}, true)`
}
