/**
 * The `from` clause both of a lead provider's surfaces read partnerships through (the portal's
 * `provider` function and the Lead Provider API): each partnership with its school, delivery
 * partner, cohort and challenge reason, under the aliases their column lists use (p, s, dp, c, cr).
 * RLS, or the caller's `where`, decides whose partnerships they are.
 */
import type { Tx } from './db.ts'

export function fromPartnerships(tx: Tx) {
  return tx`
    from public.partnerships p
    join public.schools s on s.school_id = p.school_id
    join public.delivery_partners dp on dp.delivery_partner_id = p.delivery_partner_id
    join public.cohorts c on c.cohort_id = p.cohort_id
    left join public.challenge_reasons cr on cr.code = p.challenge_reason`
}
