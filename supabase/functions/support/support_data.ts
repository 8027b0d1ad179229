/**
 * The support function's SQL. Every query runs in a transaction opened by `withSupportUser`, so RLS
 * decides what the signed-in support user may read, and changes go through the `app` functions.
 */
import type { Tx } from '../_shared/db.ts'

export type SupportUser = { full_name: string; email: string }

/** The signed-in support user's name and address (`requireSupportUser` has admitted them). */
export async function currentSupportUser(tx: Tx): Promise<SupportUser> {
  const [user] = await tx<SupportUser[]>`
    select su.full_name, su.email from public.support_users su
    where su.user_id = (select auth.uid())`
  return user!
}

export type SchoolMatch = {
  urn: string
  name: string
  status: string
  local_authority: string | null
  trust_name: string | null
  partnerships: number
}

/** Up to `limit` schools whose URN is `q` or whose name contains it, exact URN first. */
export function searchSchools(tx: Tx, q: string, limit: number): Promise<SchoolMatch[]> {
  const urn = /^\d+$/.test(q) ? q.replace(/^0+(?=\d)/, '') : null
  const pattern = `%${q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`
  return tx<SchoolMatch[]>`
    select s.urn, s.name, s.status, s.local_authority, s.trust_name,
      (select count(*)::int from public.partnerships p where p.school_id = s.school_id)
        as partnerships
    from public.schools s
    where s.urn = ${urn} or s.name ilike ${pattern}
    order by s.urn = ${urn} desc nulls last, s.name, s.urn
    limit ${limit}`
}

export type School = {
  school_id: string
  urn: string
  name: string
  status: string
  establishment_type: string
  local_authority: string | null
  trust_name: string | null
  gias_email: string | null
  induction_tutor: { full_name: string; email: string } | null
}

export async function findSchool(
  tx: Tx,
  urn: string,
): Promise<School | undefined> {
  const [school] = await tx<School[]>`
    select s.school_id, s.urn, s.name, s.status, s.establishment_type, s.local_authority,
      s.trust_name, s.gias_email,
      (select json_build_object('full_name', t.full_name, 'email', t.email)
        from public.induction_tutors t where t.school_id = s.school_id) as induction_tutor
    from public.schools s
    where s.urn = ${urn}`
  return school
}

export type SchoolPartnership = {
  partnership_id: string
  /** The cohort's start year, as the provider function names cohorts: 2026 is 2026 to 2027. */
  cohort: number
  lead_provider_name: string
  delivery_partner_name: string
  reported_at: Date
  school_notified_at: Date | null
  deadline: string
  window_closed: boolean
  status: 'active' | 'challenged'
  challenged_at: Date | null
  challenge_reason: string | null
  challenge_reason_label: string | null
  challenge_channel: string | null
  challenge_note: string | null
  events: PartnershipEvent[]
  emails: PartnershipEmail[]
}

export type PartnershipEvent = {
  kind: string
  channel: string | null
  created_at: string
  by: { name: string; role: 'support' | 'provider' } | null
  /** What the event's writers put in `partnership_events.details` that support's pages show. */
  details: { notification_id?: string; reason?: string; delivery_status?: string }
}

export type PartnershipEmail = {
  notification_id: string
  kind: string
  recipient_email: string | null
  recipient_kind: string
  status: string
  attempts: number
  last_error: string | null
  due_at: string
  sent_at: string | null
  delivery_status: string | null
  delivery_status_at: string | null
  created_at: string
}

/**
 * Every partnership of a school, newest cohort first, each with its events in order (who acted
 * and how) and every email with its sending and delivery status.
 */
export function schoolPartnerships(
  tx: Tx,
  schoolId: string,
): Promise<SchoolPartnership[]> {
  return tx<SchoolPartnership[]>`
    select p.partnership_id, c.start_year as cohort,
      lp.name as lead_provider_name, dp.name as delivery_partner_name,
      p.reported_at, p.school_notified_at, d.deadline::text as deadline, d.window_closed,
      case when p.challenged_at is null then 'active' else 'challenged' end as status,
      p.challenged_at, p.challenge_reason, cr.label as challenge_reason_label,
      p.challenge_channel, p.challenge_note,
      coalesce((
        select json_agg(json_build_object(
          'kind', e.kind, 'channel', e.channel, 'created_at', e.created_at,
          'by', case
            when su.user_id is not null then json_build_object('name', su.full_name, 'role', 'support')
            when pu.user_id is not null then json_build_object('name', pu.full_name, 'role', 'provider')
          end,
          'details', e.details
        ) order by e.created_at, e.event_id)
        from public.partnership_events e
        left join public.support_users su on su.user_id = e.actor_user_id
        left join public.provider_users pu on pu.user_id = e.actor_user_id
        where e.partnership_id = p.partnership_id
      ), '[]'::json) as events,
      coalesce((
        select json_agg(json_build_object(
          'notification_id', n.notification_id, 'kind', n.kind,
          'recipient_email', n.recipient_email, 'recipient_kind', n.recipient_kind,
          'status', n.status, 'attempts', n.attempts, 'last_error', n.last_error,
          'due_at', n.due_at, 'sent_at', n.sent_at, 'delivery_status', n.delivery_status,
          'delivery_status_at', n.delivery_status_at, 'created_at', n.created_at
        ) order by n.created_at, n.due_at)
        from public.notifications n
        where n.partnership_id = p.partnership_id
      ), '[]'::json) as emails
    from public.partnerships p
    join public.cohorts c on c.cohort_id = p.cohort_id
    join public.lead_providers lp on lp.lead_provider_id = p.lead_provider_id
    join public.delivery_partners dp on dp.delivery_partner_id = p.delivery_partner_id
    left join public.challenge_reasons cr on cr.code = p.challenge_reason
    cross join lateral app.support_partnership_deadline(p.partnership_id) d
    where p.school_id = ${schoolId}
    order by c.start_year desc, p.reported_at desc`
}

/** What `app.challenge_by_support` and `app.resend_school_notification` answer. */
export type ActionResult = {
  status: string
  school_name?: string
  notification_id?: string
}

export async function challengeBySupport(
  tx: Tx,
  partnershipId: string,
  reason: string,
  note: string,
): Promise<ActionResult> {
  const [row] = await tx<{ result: ActionResult }[]>`
    select app.challenge_by_support(${partnershipId}::uuid, ${reason}, ${note}) as result`
  return row!.result
}

export async function resendSchoolNotification(
  tx: Tx,
  partnershipId: string,
  email: string,
): Promise<ActionResult> {
  const [row] = await tx<{ result: ActionResult }[]>`
    select app.resend_school_notification(${partnershipId}::uuid, ${email}) as result`
  return row!.result
}

export type UndeliveredEmail = {
  notification_id: string
  urn: string
  school_name: string
  lead_provider_name: string
  cohort: number
  kind: string
  recipient_email: string | null
  recipient_kind: string
  status: string
  delivery_status: string | null
  last_error: string | null
  created_at: Date
  partnership_status: 'active' | 'challenged'
}

/**
 * Emails that did not reach anyone and still matter: failed for good, delivery failed (Notify's
 * permanent, temporary or technical failure), or never sent because there was no address; less
 * those a later email has put right and school emails of schools that have reported a mistake.
 * Newest first; in one cohort when `cohort` is given.
 */
export function undeliveredEmails(
  tx: Tx,
  limit: number,
  cohort: number | null = null,
): Promise<UndeliveredEmail[]> {
  return tx<UndeliveredEmail[]>`
    select n.notification_id, s.urn, s.name as school_name, lp.name as lead_provider_name,
      c.start_year as cohort, n.kind, n.recipient_email, n.recipient_kind,
      n.status, n.delivery_status, n.last_error, n.created_at,
      case when p.challenged_at is null then 'active' else 'challenged' end as partnership_status
    from public.notifications n
    join public.partnerships p on p.partnership_id = n.partnership_id
    join public.schools s on s.school_id = p.school_id
    join public.lead_providers lp on lp.lead_provider_id = p.lead_provider_id
    join public.cohorts c on c.cohort_id = p.cohort_id
    where (n.status in ('failed', 'no_address')
        or n.delivery_status in ('permanent-failure', 'temporary-failure', 'technical-failure'))
      and (${cohort}::int is null or c.start_year = ${cohort}::int)
      -- A school that has reported a mistake no longer needs its email.
      and (n.kind = 'provider_challenged' or p.challenged_at is null)
      -- Fixed, or being fixed: a later email of the same kind of message (to the school, or to
      -- the same provider user) that has not failed, such as support's resend or a re-report's.
      and not exists (
        select from public.notifications later
        where later.partnership_id = n.partnership_id
          and later.created_at > n.created_at
          and later.status in ('queued', 'sending', 'sent')
          and (later.delivery_status is null or later.delivery_status = 'delivered')
          and case
            when n.kind = 'provider_challenged' then
              later.kind = 'provider_challenged' and later.recipient_email = n.recipient_email
            else later.kind <> 'provider_challenged'
          end
      )
    order by n.created_at desc, n.notification_id
    limit ${limit}`
}

/** The cohorts, newest first, for filtering the undelivered emails. */
export async function cohortYears(tx: Tx): Promise<number[]> {
  const rows = await tx<{ start_year: number }[]>`
    select start_year from public.cohorts order by start_year desc`
  return rows.map((row) => row.start_year)
}
