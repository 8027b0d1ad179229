/** What the provider function accepts, as zod schemas: query strings, ids and report bodies. */
import { z } from 'zod'
import { maxLines } from './urn_list.ts'

/** A cohort by its start year: 2026 is the 2026 to 2027 academic year. */
const startYear = z.number().int().min(2000).max(9999)

export const cohortQuerySchema = z.object({
  cohort: z.coerce.number().pipe(startYear),
})
export type CohortQuery = z.infer<typeof cohortQuerySchema>

export const partnershipsQuerySchema = cohortQuerySchema.extend({
  q: z.string().trim().max(200).default(''),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
})
export type PartnershipsQuery = z.infer<typeof partnershipsQuerySchema>

export const partnershipParamSchema = z.object({ id: z.uuid() })

/**
 * A list of schools to check or report: either the URNs one per row (`urns`) or the text of an
 * uploaded or pasted CSV (`csv`), which the function reads with `parseUrnList`.
 */
export const reportSchoolsSchema = z.object({
  cohort: startYear,
  delivery_partner_id: z.uuid(),
  urns: z.array(z.string().max(100)).min(1).max(maxLines).optional(),
  csv: z.string().optional(),
}).refine((body) => (body.urns === undefined) !== (body.csv === undefined), {
  message: 'Send either urns or csv',
})
export type ReportSchools = z.infer<typeof reportSchoolsSchema>
