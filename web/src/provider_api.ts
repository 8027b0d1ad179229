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
export type PartnershipDetail = Partnership & {
  cohort: number
  local_authority: string | null
  trust_name: string | null
}
export type PartnershipPage = {
  total: number
  page: number
  page_size: number
  partnerships: Partnership[]
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
  /** The multi-academy trusts of the valid schools (from the check). */
  trusts?: ListedTrust[]
}

export type ListedTrust = {
  trust_uid: string
  trust_name: string
  school_count: number
  listed_urns: string[]
}
