/**
 * `GET /support/emails/undelivered[?cohort=2026]`: emails that failed, were not delivered or had
 * no address, and that no later email has put right, with the cohorts to filter by.
 */
import { Hono } from 'hono'
import type { UserEnv } from '../_shared/auth.ts'
import type { Database } from '../_shared/db.ts'
import { validated } from '../_shared/http.ts'
import { undeliveredQuerySchema } from './schemas.ts'
import { cohortYears, undeliveredEmails } from './support_data.ts'

/** The newest this many; support works through the list and it shrinks as schools are fixed. */
export const undeliveredLimit = 500

export const emailsRoutes = (database: Database) =>
  new Hono<UserEnv>().get(
    '/emails/undelivered',
    validated('query', undeliveredQuerySchema),
    async (c) => {
      const { cohort = null } = c.req.valid('query')
      const { emails, cohorts } = await database.withSupportUser(c.var.claims, async (tx) => ({
        emails: await undeliveredEmails(tx, undeliveredLimit, cohort),
        cohorts: await cohortYears(tx),
      }))
      return c.json({ limit: undeliveredLimit, cohort, cohorts, emails })
    },
  )
