/// <reference lib="dom" />
/**
 * DfE support's session and its calls to the `support` function, with the shapes that function
 * answers (supabase/functions/support).
 */
import { ApiError, portalApi } from './portal_api.ts'
import { portalSession } from './portal_session.ts'

export const supportSession = portalSession('/support')

export const { getJson, postJson } = portalApi('support', supportSession)

export type SupportUser = { full_name: string; email: string }

export type SchoolMatch = {
  urn: string
  name: string
  status: string
  local_authority: string | null
  trust_name: string | null
  partnerships: number
}

export type School = {
  urn: string
  name: string
  status: string
  establishment_type: string
  local_authority: string | null
  trust_name: string | null
  gias_email: string | null
  induction_tutor: { full_name: string; email: string } | null
}

export type Reason = { code: string; label: string }

export type PartnershipEvent = {
  kind: string
  channel: string | null
  created_at: string
  by: { name: string; role: 'support' | 'provider' } | null
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

export type SchoolPartnership = {
  partnership_id: string
  cohort: number
  lead_provider_name: string
  delivery_partner_name: string
  reported_at: string
  school_notified_at: string | null
  /** YYYY-MM-DD, the last day the school could report a mistake itself. */
  deadline: string
  window_closed: boolean
  status: 'active' | 'challenged'
  challenged_at: string | null
  challenge_reason: string | null
  challenge_reason_label: string | null
  challenge_channel: string | null
  challenge_note: string | null
  events: PartnershipEvent[]
  emails: PartnershipEmail[]
}

export type SchoolRecord = {
  school: School
  partnerships: SchoolPartnership[]
  reasons: Reason[]
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
  created_at: string
  partnership_status: 'active' | 'challenged'
}

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
