/**
 * The provider function's SQL. Every query runs in a transaction opened by `withUser`, so RLS
 * limits it to the signed-in user's lead provider; each also names that lead provider
 * explicitly, so a gap in a policy would not by itself show another provider's schools.
 */
import type { Tx } from '../_shared/db.ts'
import { fromPartnerships } from '../_shared/partnership_joins.ts'

export type Provider = {
  lead_provider_id: string
  lead_provider_name: string
  full_name: string
  email: string
}

export type DeliveryPartner = { id: string; name: string }

export type ProviderCohort = {
  start_year: number
  delivery_partners: DeliveryPartner[]
  schools: number
  challenged: number
}

export type PartnershipStatus = 'active' | 'challenged'

export type PartnershipSummary = {
  partnership_id: string
  urn: string
  school_name: string
  delivery_partner_id: string
  delivery_partner_name: string
  reported_at: Date
  status: PartnershipStatus
  challenged_at: Date | null
  challenge_reason: string | null
  challenge_reason_label: string | null
}

export type PartnershipDetail = PartnershipSummary & {
  cohort: number
  local_authority: string | null
  trust_name: string | null
}

/**
 * Whether the school's email for the current report reached it: `no_address` when the school has
 * neither an induction tutor nor a GIAS address, so it was never emailed and cannot report a
 * mistake until someone gives us one.
 */
export type EmailStatus =
  | 'not_sent'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'not_delivered'
  | 'no_address'

/** What a provider plans with: the email's fate, the school's deadline and its contact. */
export type SchoolEmail = {
  email_status: EmailStatus
  /** The induction tutor's address, else the school's GIAS address; null when it has neither. */
  contact_email: string | null
  contact_kind: 'induction_tutor' | 'school' | null
  /** The last day the school can report a mistake, `YYYY-MM-DD` in England. */
  deadline: string
}

export type ReportRow = {
  row_number: number
  given: string
  urn: string | null
  school_name: string | null
  error: string | null
  partnership_id: string | null
}

/** The lead provider the signed-in user works for, if they are a provider user. */
export async function findProvider(tx: Tx, userId: string): Promise<Provider | undefined> {
  const [provider] = await tx<Provider[]>`
    select lp.lead_provider_id, lp.name as lead_provider_name, pu.full_name, pu.email
    from public.provider_users pu
    join public.lead_providers lp on lp.lead_provider_id = pu.lead_provider_id
    where pu.user_id = ${userId}`
  return provider
}

/**
 * The provider's cohorts (those it has a delivery partner for, or schools in), newest first,
 * with the delivery partners it works with in each and its count of schools and of challenges.
 */
export function listCohorts(tx: Tx, leadProviderId: string): Promise<ProviderCohort[]> {
  return tx<ProviderCohort[]>`
    with related as (
      select r.cohort_id,
        json_agg(json_build_object('id', dp.delivery_partner_id, 'name', dp.name)
          order by dp.name) as delivery_partners
      from public.provider_relationships r
      join public.delivery_partners dp on dp.delivery_partner_id = r.delivery_partner_id
      where r.lead_provider_id = ${leadProviderId}
      group by r.cohort_id
    ), reported as (
      select p.cohort_id, count(*)::int as schools,
        count(*) filter (where p.challenged_at is not null)::int as challenged
      from public.partnerships p
      where p.lead_provider_id = ${leadProviderId}
      group by p.cohort_id
    )
    select c.start_year,
      coalesce(related.delivery_partners, '[]'::json) as delivery_partners,
      coalesce(reported.schools, 0) as schools,
      coalesce(reported.challenged, 0) as challenged
    from public.cohorts c
    left join related on related.cohort_id = c.cohort_id
    left join reported on reported.cohort_id = c.cohort_id
    where related.cohort_id is not null or reported.cohort_id is not null
    order by c.start_year desc`
}

/** Columns shared by the list, the school page and the download. */
function summaryColumns(tx: Tx) {
  return tx`
    p.partnership_id, s.urn, s.name as school_name,
    dp.delivery_partner_id, dp.name as delivery_partner_name, p.reported_at,
    case when p.challenged_at is null then 'active' else 'challenged' end as status,
    p.challenged_at, p.challenge_reason, cr.label as challenge_reason_label`
}

export type PartnershipFilter = { leadProviderId: string; cohort: number; search: string }

/** `%` and `_` in what people type are meant literally. */
function containsPattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`
}

/**
 * The provider's partnerships in the cohort that match the search. The school's name and URN are
 * the partnership's own copies (migration 20261130220000) and a delivery partner is matched by
 * name once, not per row, so neither the search nor the list's order reads another table per
 * partnership: they cost what this provider's partnerships cost, whatever other providers hold.
 */
function matching(tx: Tx, { leadProviderId, cohort, search }: PartnershipFilter) {
  const pattern = containsPattern(search)
  return tx`
    where p.lead_provider_id = ${leadProviderId}
      and p.cohort_id = (select cohort.cohort_id from public.cohorts cohort
        where cohort.start_year = ${cohort})
      and (${search} = '' or p.school_name ilike ${pattern} or p.school_urn like ${pattern}
        or p.delivery_partner_id in (select partner.delivery_partner_id
          from public.delivery_partners partner where partner.name ilike ${pattern}))`
}

/**
 * One page of the provider's schools in a cohort, challenged ones first, then by name, and how
 * many there are: the page is read in order from the index `partnerships_provider_list_idx`, and
 * the count from the provider's partnerships alone.
 */
export async function listPartnerships(
  tx: Tx,
  filter: PartnershipFilter,
  { limit, offset }: { limit: number; offset: number },
): Promise<{ total: number; partnerships: PartnershipSummary[] }> {
  const [counted] = await tx<{ total: number }[]>`
    select count(*)::int as total from public.partnerships p ${matching(tx, filter)}`
  const partnerships = await tx<PartnershipSummary[]>`
    select ${summaryColumns(tx)} ${fromPartnerships(tx)} ${matching(tx, filter)}
    order by p.challenged_at is null, p.school_name, p.school_urn
    limit ${limit} offset ${offset}`
  return { total: counted?.total ?? 0, partnerships }
}

/** Every school of the provider in a cohort, by name, for the download. */
export function allPartnerships(tx: Tx, filter: PartnershipFilter): Promise<PartnershipSummary[]> {
  return tx<PartnershipSummary[]>`
    select ${summaryColumns(tx)} ${fromPartnerships(tx)} ${matching(tx, filter)}
    order by p.school_name, p.school_urn`
}

export async function findPartnership(
  tx: Tx,
  leadProviderId: string,
  partnershipId: string,
): Promise<PartnershipDetail | undefined> {
  const [partnership] = await tx<PartnershipDetail[]>`
    select ${summaryColumns(tx)}, c.start_year as cohort, s.local_authority, s.trust_name
    ${fromPartnerships(tx)}
    where p.lead_provider_id = ${leadProviderId} and p.partnership_id = ${partnershipId}`
  return partnership
}

/**
 * `rows` with each school's email status, deadline and contact (from `app.provider_school_emails`,
 * which answers for the signed-in provider's own partnerships only).
 */
export async function withSchoolEmails<T extends { partnership_id: string }>(
  tx: Tx,
  rows: T[],
): Promise<(T & SchoolEmail)[]> {
  if (rows.length === 0) return []
  const found = await tx<(SchoolEmail & { partnership_id: string })[]>`
    select partnership_id, email_status, contact_email, contact_kind, deadline::text as deadline
    from app.provider_school_emails(${rows.map((row) => row.partnership_id)}::uuid[])`
  const byId = new Map(found.map(({ partnership_id, ...email }) => [partnership_id, email]))
  return rows.map((row) => {
    const email = byId.get(row.partnership_id)
    if (!email) throw new Error('a partnership of this provider had no email status')
    return { ...row, ...email }
  })
}

/** The report rule: one row per line given; `checkOnly` changes nothing. */
export function reportSchools(
  tx: Tx,
  { cohort, deliveryPartnerId, urns, checkOnly }: {
    cohort: number
    deliveryPartnerId: string
    urns: string[]
    checkOnly: boolean
  },
): Promise<ReportRow[]> {
  return tx<ReportRow[]>`
    select row_number, given, urn, school_name, error, partnership_id
    from app.report_schools(${cohort}, ${deliveryPartnerId}::uuid, ${urns}::text[], ${checkOnly})
    order by row_number`
}

export async function findDeliveryPartner(
  tx: Tx,
  deliveryPartnerId: string,
): Promise<DeliveryPartner | undefined> {
  const [partner] = await tx<DeliveryPartner[]>`
    select delivery_partner_id as id, name from public.delivery_partners
    where delivery_partner_id = ${deliveryPartnerId}`
  return partner
}
