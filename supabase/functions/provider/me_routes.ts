/** `GET /provider/me`: who is signed in, their lead provider, its cohorts and challenges. */
import { Hono } from 'hono'
import type { UserEnv } from '../_shared/auth.ts'
import type { Database } from '../_shared/db.ts'
import { asProvider } from './as_provider.ts'
import { listCohorts } from './provider_data.ts'

export const meRoutes = (database: Database) =>
  new Hono<UserEnv>().get('/me', async (c) => {
    const me = await asProvider(database, c.var.claims, async (tx, provider) => {
      const cohorts = await listCohorts(tx, provider.lead_provider_id)
      return {
        lead_provider: { id: provider.lead_provider_id, name: provider.lead_provider_name },
        user: { full_name: provider.full_name, email: provider.email },
        cohorts,
        challenged: cohorts.reduce((total, cohort) => total + cohort.challenged, 0),
      }
    })
    return c.json(me)
  })
