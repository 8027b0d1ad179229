/** `GET /support/emails/undelivered`: emails that failed, were not delivered or had no address. */
import { Hono } from 'hono'
import type { UserEnv } from '../_shared/auth.ts'
import { withUser } from '../_shared/db.ts'
import { undeliveredEmails } from './support_data.ts'

/** The newest this many; support works through the list and it shrinks as schools are fixed. */
export const undeliveredLimit = 500

export const emailsRoutes = new Hono<UserEnv>().get(
  '/emails/undelivered',
  async (c) => {
    const emails = await withUser(
      c.var.claims,
      (tx) => undeliveredEmails(tx, undeliveredLimit),
    )
    return c.json({ limit: undeliveredLimit, emails })
  },
)
