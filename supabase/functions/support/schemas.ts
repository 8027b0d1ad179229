/** What the support function accepts, as zod schemas: searches, URNs, ids and action bodies. */
import { z } from 'zod'
import {
  noteTooLong,
  reasonRequired,
  tokenNameRequired,
  tokenNameTooLong,
} from '../_shared/wording.ts'

export const schoolSearchSchema = z.object({
  q: z.string().trim().min(1, 'Enter a school URN or name').max(200),
})

/** A URN as people type it: digits, leading zeros tolerated (`0100001` is `100001`). */
export const urnParamSchema = z.object({
  urn: z.string().regex(/^\d{1,10}$/, 'Enter a URN in digits').transform((
    urn,
  ) => urn.replace(/^0+(?=\d)/, '')),
})

export const partnershipParamSchema = z.object({ id: z.uuid() })

export const challengeSchema = z.object({
  reason: z.string().min(1, reasonRequired),
  note: z.string().max(2000, noteTooLong).default(''),
})

export const resendSchema = z.object({
  email: z.string().trim().max(320).pipe(
    z.email('Enter an email address in the correct format'),
  ),
})

export const idParamSchema = z.object({ id: z.uuid() })

/** A name for an API token, so support and the provider can tell tokens apart. */
export const apiTokenNameSchema = z.object({
  name: z.string().trim().min(1, tokenNameRequired).max(100, tokenNameTooLong),
})

/** `?cohort=2026` narrows the undelivered emails to one cohort; absent, every cohort. */
export const undeliveredQuerySchema = z.object({
  cohort: z.coerce.number().int().min(2000, 'Choose a cohort').max(9999, 'Choose a cohort')
    .optional(),
})
