/**
 * A school's link for challenge tests, made by the world builder (tests/world.ts): a school, lead
 * provider, delivery partner and partnership with names unique to the call, and a fresh token whose
 * sha256 is in `link_tokens`, as the notification sender would leave them after emailing the school.
 */
import type postgres from 'postgres'
import { stack } from './_stack.ts'
import * as insert from './world.ts'
import { daysFromNow, randomToken } from './_made_up.ts'

/** A token as the sender makes them, for links no partnership has. */
export { randomToken as newToken }

/** Our own cohort, with no earliest deadline, so a link's deadline is 14 days from its email. */
const testCohortStartYear = 2090

export type SchoolLink = {
  token: string
  partnershipId: string
  schoolName: string
  urn: string
  leadProviderId: string
  leadProviderName: string
  deliveryPartnerId: string
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
  const schoolName = `Brookfield Primary School ${label}`
  const leadProviderName = `Lead Provider ${label}`
  const deliveryPartnerName = `Delivery Partner ${label}`
  const [school] = await insert.schools(sql, [{
    name: schoolName,
    giasEmail: `office-${label}@school.example.test`,
  }])
  const emailed = daysFromNow(-emailedDaysAgo)
  const leadProviderId = await insert.leadProvider(sql, leadProviderName)
  const deliveryPartnerId = await insert.deliveryPartner(sql, deliveryPartnerName)
  const partnershipId = await insert.partnership(sql, {
    schoolId: school!.id,
    leadProviderId,
    deliveryPartnerId,
    cohortId: (await insert.cohort(sql, { startYear: testCohortStartYear }, 'reuse'))!,
    reportedAt: emailed,
    schoolNotifiedAt: emailed,
  })
  return {
    token: await insert.linkToken(sql, partnershipId),
    partnershipId,
    schoolName,
    urn: school!.urn,
    leadProviderId,
    leadProviderName,
    deliveryPartnerId,
    deliveryPartnerName,
    cohort: `${testCohortStartYear} to ${testCohortStartYear + 1}`,
  }
}

/** Reports a mistake through the `challenge` function, as the school's page does. */
export async function reportMistake(token: string, reason: string): Promise<Response> {
  return await fetch(`${stack.apiUrl}/functions/v1/challenge/report`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', apikey: stack.publishableKey },
    body: JSON.stringify({ token, reason }),
  })
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
