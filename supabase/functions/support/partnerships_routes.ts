/**
 * Acting for a school: `POST /support/partnerships/:id/challenge` reports a mistake on its
 * behalf (also after its window, never twice; the lead provider is emailed) and
 * `POST /support/partnerships/:id/resend` sends its first email again to a corrected address
 * (its 14 days restart once Notify accepts it).
 */
import { Hono } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { UserEnv } from '../_shared/auth.ts'
import type { Database } from '../_shared/db.ts'
import { AppError } from '../_shared/errors.ts'
import { validated } from '../_shared/http.ts'
import { type ActionResult, challengeBySupport, resendSchoolNotification } from './support_data.ts'
import { challengeSchema, partnershipParamSchema, resendSchema } from './schemas.ts'
import { noteTooLong, reasonRequired } from '../_shared/wording.ts'

/** The refusals the SQL functions answer with, as HTTP errors. */
const refusals: Record<
  string,
  { status: ContentfulStatusCode; message: string }
> = {
  not_found: { status: 404, message: 'We could not find that partnership' },
  already_challenged: {
    status: 409,
    message: 'A mistake has already been reported for this partnership',
  },
  invalid_reason: {
    status: 422,
    message: reasonRequired,
  },
  invalid_note: {
    status: 422,
    message: noteTooLong,
  },
}

function answered(result: ActionResult, done: string): ActionResult {
  if (result.status === done) return result
  const refusal = refusals[result.status]
  if (!refusal) {
    throw new Error(`unexpected status from the database: ${result.status}`)
  }
  const message = result.status === 'already_challenged' && result.school_name
    ? `A mistake has already been reported for ${result.school_name}`
    : refusal.message
  throw new AppError(refusal.status, result.status, message)
}

export const partnershipsRoutes = (database: Database) =>
  new Hono<UserEnv>()
    .post(
      '/partnerships/:id/challenge',
      validated('param', partnershipParamSchema),
      validated('json', challengeSchema),
      async (c) => {
        const { id } = c.req.valid('param')
        const { reason, note } = c.req.valid('json')
        const result = await database.withSupportUser(
          c.var.claims,
          (tx) => challengeBySupport(tx, id, reason, note),
        )
        return c.json(answered(result, 'challenged'))
      },
    )
    .post(
      '/partnerships/:id/resend',
      validated('param', partnershipParamSchema),
      validated('json', resendSchema),
      async (c) => {
        const { id } = c.req.valid('param')
        const { email } = c.req.valid('json')
        const result = await database.withSupportUser(
          c.var.claims,
          (tx) => resendSchoolNotification(tx, id, email),
        )
        return c.json(answered(result, 'queued'), 202)
      },
    )
