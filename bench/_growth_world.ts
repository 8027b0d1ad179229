/**
 * The growth benchmark's world, grown in steps with the product's own SQL: 10 lead providers with
 * 3 delivery partners each in the 2026 cohort; provider 1 reports 10,000 schools first and keeps
 * them (half with a delivery partner it has since stopped working with), the other nine share
 * whatever more the step asks for. Schools are reported through
 * `app.report_schools` as each provider's user (so the partnerships, events and outbox rows are
 * the ones the portal makes), and one in twenty of each step's new partnerships is challenged
 * through `app.challenge_by_support` as a support user, with the five reasons in turn.
 *
 * Its rows come from the tests' world builder (tests/world.ts). The sender is kept asleep (the outbox's wake trigger off, the pg_cron sweep unscheduled), so the
 * backlog stays as built: every school email stays due, which is what the claim is measured
 * against. The benchmark's database is thrown away afterwards.
 */
import type postgres from 'postgres'
import * as insert from '../tests/world.ts'

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
  const cohortId = (await insert.cohort(sql, {
    startYear: cohortStartYear,
    earliestChallengeDeadline: '2026-10-31',
  }, 'reuse'))!
  const created: GrowthWorld['providers'] = []
  for (let index = 1; index <= providers; index++) {
    const id = await insert.leadProvider(sql, `Growth Lead Provider ${index}`)
    const deliveryPartnerIds = await insert.deliveryPartners(
      sql,
      Array.from(
        { length: partnersPerProvider },
        (_, n) => `Growth Delivery Partner ${index}-${n + 1}`,
      ),
    )
    await insert.relationships(sql, id, deliveryPartnerIds, cohortId)
    const userId = index === 1
      ? measuredUserId
      : await insert.authUser(sql, `growth-provider-${index}@example.test`)
    await insert.providerUser(sql, {
      userId,
      leadProviderId: id,
      email: `growth-${index}@provider.example.test`,
      fullName: `Growth User ${index}`,
    })
    created.push({ id, userId, deliveryPartnerIds })
  }
  const supportUserId = await insert.authUser(sql, 'growth-support@example.test')
  await insert.supportUser(sql, {
    userId: supportUserId,
    email: 'growth-support@education.example.test',
    fullName: 'Growth Support',
  })
  return { cohortId, providers: created, supportUserId, partnerships: 0, nextSchool: 1 }
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
    // One school in three is in a multi-academy trust of about ten.
    const schools = await insert.schools(
      sql,
      Array.from({ length: size }, (_, offset) => {
        const n = first + offset
        const trust = Math.floor(n / 30)
        return {
          urn: String(20_000_000 + n),
          name: `Growth School ${n}`,
          giasEmail: `office-${n}@school.example.test`,
          localAuthority: 'Growth Borough',
          trust: n % 3 === 0
            ? {
              uid: `T${trust}`,
              name: `Growth Trust ${trust}`,
              type: 'multi_academy_trust' as const,
            }
            : undefined,
        }
      }),
    )
    const urns = schools.map((school) => school.urn)
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
