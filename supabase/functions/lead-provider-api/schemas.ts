/**
 * What the Lead Provider API accepts, as zod schemas: the list's filters, sort and page, and the
 * bodies of create, bulk create and change of delivery partner. docs/api.md and openapi.json
 * describe the same shapes for people and for clients.
 */
import { z } from 'zod'

/** The most partnerships one bulk request may report. */
export const maxBulkItems = 10_000

/** A cohort by its start year, as a number or a string of digits ("2026"). */
const cohort = z.union([
  z.number(),
  z.string().regex(/^\d{4}$/).transform(Number),
])
  .pipe(z.number().int().min(2000).max(9999))

function commaList<T extends z.ZodType<unknown, string>>(item: T) {
  return z.string().max(4000).transform((value) => value.split(',').map((part) => part.trim()))
    .pipe(z.array(item).min(1).max(100))
}

export const sortKeys = [
  'created_at',
  '-created_at',
  'updated_at',
  '-updated_at',
] as const

export const listQuerySchema = z.strictObject({
  'filter[cohort]': commaList(z.string().regex(/^\d{4}$/).transform(Number))
    .optional(),
  'filter[delivery_partner_id]': commaList(z.uuid()).optional(),
  'filter[updated_since]': z.iso.datetime({ offset: true }).optional(),
  sort: z.enum(sortKeys).default('created_at'),
  'page[size]': z.coerce.number().int().min(1).max(3000).default(100),
  'page[cursor]': z.string().max(200).optional(),
})
export type ListQuery = z.infer<typeof listQuerySchema>

export const idParamSchema = z.object({ id: z.uuid() })

export const partnershipAttributesSchema = z.object({
  cohort,
  delivery_partner_id: z.uuid(),
  urn: z.string().max(100).optional(),
  school_id: z.uuid().optional(),
}).refine(
  (attributes) => (attributes.urn === undefined) !== (attributes.school_id === undefined),
  {
    message: 'Give either urn or school_id',
  },
)
export type PartnershipAttributes = z.infer<typeof partnershipAttributesSchema>

const partnershipResourceSchema = z.object({
  type: z.literal('partnership'),
  attributes: partnershipAttributesSchema,
})

export const createBodySchema = z.object({ data: partnershipResourceSchema })

export const bulkBodySchema = z.object({
  data: z.array(partnershipResourceSchema).min(1).max(maxBulkItems),
})

export const updateBodySchema = z.object({
  data: z.object({
    type: z.literal('partnership'),
    attributes: z.object({ delivery_partner_id: z.uuid() }),
  }),
})

export const schoolsQuerySchema = z.strictObject({
  'filter[urn]': commaList(z.string().regex(/^\d{1,12}$/)),
})

/** An Idempotency-Key: printable ASCII, as the IETF draft's examples. */
export const idempotencyKeySchema = z.string().regex(/^[\x21-\x7e]{1,255}$/)
