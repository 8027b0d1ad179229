/**
 * A school's link for challenge tests, made directly in the database: a school, lead provider,
 * delivery partner and partnership with names unique to the call, and a fresh token whose sha256
 * is in `link_tokens`, as the notification sender would leave them after emailing the school.
 */
import type postgres from 'postgres'

/** Our own cohort, with no earliest deadline, so a link's deadline is 14 days from its email. */
const testCohortStartYear = 2090

export type SchoolLink = {
  token: string
  partnershipId: string
  schoolName: string
  urn: string
  leadProviderName: string
  deliveryPartnerName: string
  cohort: string
}

export type LinkOptions = {
  /** Days since the school email reached the school; more than 14 and the link has expired. */
  emailedDaysAgo?: number
}

export async function createSchoolLink(
  sql: postgres.Sql,
  { emailedDaysAgo = 0 }: LinkOptions = {},
): Promise<SchoolLink> {
  const label = crypto.randomUUID().slice(0, 8)
  const urn = String(10_000_000 + Math.floor(Math.random() * 89_999_999))
  const schoolName = `Brookfield Primary School ${label}`
  const leadProviderName = `Lead Provider ${label}`
  const deliveryPartnerName = `Delivery Partner ${label}`
  const token = newToken()
  const [row] = await sql<{ partnership_id: string }[]>`
    with cohort as (
      insert into public.cohorts (start_year, academic_year_start)
      values (${testCohortStartYear}, make_date(${testCohortStartYear}, 9, 1))
      on conflict (start_year) do update set start_year = excluded.start_year
      returning cohort_id
    ), school as (
      insert into public.schools (urn, name, gias_email, status, establishment_type, local_authority)
      values (${urn}, ${schoolName}, ${`office-${label}@school.example.test`}, 'open',
        'Community school', 'Test Borough')
      returning school_id
    ), lead_provider as (
      insert into public.lead_providers (name) values (${leadProviderName})
      returning lead_provider_id
    ), delivery_partner as (
      insert into public.delivery_partners (name) values (${deliveryPartnerName})
      returning delivery_partner_id
    ), partnership as (
      insert into public.partnerships (school_id, lead_provider_id, delivery_partner_id, cohort_id,
        reported_at, school_notified_at)
      select school_id, lead_provider_id, delivery_partner_id, cohort_id,
        now() - make_interval(days => ${emailedDaysAgo}),
        now() - make_interval(days => ${emailedDaysAgo})
      from cohort, school, lead_provider, delivery_partner
      returning partnership_id
    )
    insert into public.link_tokens (token_hash, partnership_id)
    select sha256(convert_to(${token}, 'UTF8')), partnership_id from partnership
    returning partnership_id`
  return {
    token,
    partnershipId: row!.partnership_id,
    schoolName,
    urn,
    leadProviderName,
    deliveryPartnerName,
    cohort: `${testCohortStartYear} to ${testCohortStartYear + 1}`,
  }
}

/** A token as the sender makes them: 32 random bytes, base64url without padding (43 chars). */
export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_')
    .replace(/=+$/, '')
}

/** Moves the school email back in time, as if the link were opened days later. */
export async function backdateEmail(sql: postgres.Sql, link: SchoolLink, days: number) {
  await sql`
    update public.partnerships
    set reported_at = now() - make_interval(days => ${days}),
      school_notified_at = now() - make_interval(days => ${days})
    where partnership_id = ${link.partnershipId}`
}

/** Everything a challenge could change about the partnership, to prove a refusal changed none. */
export async function partnershipState(sql: postgres.Sql, link: SchoolLink): Promise<unknown> {
  const [state] = await sql`
    select p.challenged_at, p.challenge_reason, p.challenge_channel,
      (select count(*)::int from public.partnership_events e
        where e.partnership_id = p.partnership_id) as events,
      (select count(*)::int from public.notifications n
        where n.partnership_id = p.partnership_id) as notifications
    from public.partnerships p
    where p.partnership_id = ${link.partnershipId}`
  return state
}
