/// <reference lib="dom" />
/**
 * DfE support's session and its calls to the `support` function. The shapes of its answers come
 * from the function's own routes (`hono/client`'s types, imported for types only), so a change
 * to what the function answers fails `deno check` on the page code that reads it.
 */
import type { hc, InferResponseType } from 'hono/client'
import type { SupportApp } from '../../supabase/functions/support/app.ts'
import { ApiError, portalApi } from './portal_api.ts'
import { portalSession } from './portal_session.ts'

export const supportSession = portalSession('/support')

export const { getJson, postJson } = portalApi('support', supportSession)

type Routes = ReturnType<typeof hc<SupportApp>>['support']
type Answer<Route> = InferResponseType<Route, 200>

/** `GET /support/me`. */
export type SupportUser = Answer<Routes['me']['$get']>['user']
/** `GET /support/schools?q=`. */
export type SchoolSearch = Answer<Routes['schools']['$get']>
export type SchoolMatch = SchoolSearch['schools'][number]
/** `GET /support/schools/:urn`. */
export type SchoolRecord = Answer<Routes['schools'][':urn']['$get']>
export type School = SchoolRecord['school']
export type Reason = SchoolRecord['reasons'][number]
export type SchoolPartnership = SchoolRecord['partnerships'][number]
export type PartnershipEvent = SchoolPartnership['events'][number]
export type PartnershipEmail = SchoolPartnership['emails'][number]
/** `GET /support/emails/undelivered`. */
export type UndeliveredEmails = Answer<Routes['emails']['undelivered']['$get']>
export type UndeliveredEmail = UndeliveredEmails['emails'][number]

/** A school's record by URN, or null when there is no such school (or the URN is not one). */
export async function schoolRecord(urn: string): Promise<SchoolRecord | null> {
  try {
    return await getJson<SchoolRecord>(`/schools/${encodeURIComponent(urn)}`)
  } catch (failure) {
    if (failure instanceof ApiError && (failure.status === 404 || failure.status === 400)) {
      return null
    }
    throw failure
  }
}
