/// <reference lib="dom" />
/**
 * The lead provider portal's session and its calls to the `provider` function. The shapes of its
 * answers are not written here: they come from the function's own routes (`hono/client`'s types,
 * imported for types only, so nothing of the function reaches the browser), so a change to what
 * the function answers fails `deno check` on the page code that reads it.
 */
import type { hc, InferResponseType } from 'hono/client'
import type { ProviderApp } from '../../supabase/functions/provider/app.ts'
import { portalApi } from './portal_api.ts'
import { portalSession } from './portal_session.ts'

export const providerSession = portalSession('/provider')

export const { getJson, postJson, download } = portalApi('provider', providerSession)

type Routes = ReturnType<typeof hc<ProviderApp>>['provider']
type Answer<Route> = InferResponseType<Route, 200>

/** `GET /provider/me`. */
export type Me = Answer<Routes['me']['$get']>
export type ProviderCohort = Me['cohorts'][number]
export type DeliveryPartner = ProviderCohort['delivery_partners'][number]
/** `GET /provider/partnerships`. */
export type PartnershipPage = Answer<Routes['partnerships']['$get']>
export type Partnership = PartnershipPage['partnerships'][number]
/** `GET /provider/partnerships/:id`. */
export type PartnershipDetail = Answer<Routes['partnerships'][':id']['$get']>
/** `POST /provider/reports` and `/provider/reports/check`. */
export type ReportResult = Answer<Routes['reports']['$post']>
export type ReportRow = ReportResult['rows'][number]
export type EmailStatus = Partnership['email_status']
export type SchoolEmail = Pick<
  Partnership,
  'email_status' | 'contact_email' | 'contact_kind' | 'deadline'
>
/** A multi-academy trust among the checked schools (`trusts` of the check's answer). */
export type ListedTrust = ReportResult['trusts'][number]
