/** `GET /support/me`: the signed-in support user, so the pages can say who is signed in. */
import { Hono } from 'hono'
import type { UserEnv } from '../_shared/auth.ts'
import type { Database } from '../_shared/db.ts'
import { currentSupportUser } from './support_data.ts'

export const meRoutes = (database: Database) =>
  new Hono<UserEnv>().get('/me', async (c) => {
    const user = await database.withSupportUser(c.var.claims, (tx) => currentSupportUser(tx))
    return c.json({ user })
  })
