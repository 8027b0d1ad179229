/// <reference lib="dom" />
/**
 * The lead provider portal's session and its calls to the `provider` function, with the shapes
 * that function answers.
 */
import { portalApi } from './portal_api.ts'
import { portalSession } from './portal_session.ts'

export const providerSession = portalSession('/provider')

export const { getJson, postJson, download } = portalApi('provider', providerSession)

/** What the function answers; the shapes of supabase/functions/provider. */
export type DeliveryPartner = { id: string; name: string }
export type ProviderCohort = {
  start_year: number
  delivery_partners: DeliveryPartner[]
  schools: number
  challenged: number
}
export type Me = {
  lead_provider: { id: string; name: string }
  user: { full_name: string; email: string }
  cohorts: ProviderCohort[]
  challenged: number
}
export type Partnership = {
  partnership_id: string
  urn: string
  school_name: string
  delivery_partner_name: string
  reported_at: string
  status: 'active' | 'challenged'
  challenged_at: string | null
  challenge_reason_label: string | null
}
export type EmailStatus =
  | 'not_sent'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'not_delivered'
  | 'no_address'
export type SchoolEmail = {
  email_status: EmailStatus
  contact_email: string | null
  contact_kind: 'induction_tutor' | 'school' | null
  deadline: string
}
export type PartnershipDetail = Partnership & SchoolEmail & {
  cohort: number
  local_authority: string | null
  trust_name: string | null
}
export type PartnershipPage = {
  total: number
  page: number
  page_size: number
  partnerships: (Partnership & SchoolEmail)[]
}
export type ReportRow = {
  row_number: number
  given: string
  urn: string | null
  school_name: string | null
  error: string | null
  partnership_id: string | null
}
export type ReportResult = {
  delivery_partner: DeliveryPartner
  counts: { rows: number; errors: number; valid: number; confirmed: number }
  rows: ReportRow[]
  not_emailed: { partnership_id: string; urn: string | null; school_name: string | null }[]
}
