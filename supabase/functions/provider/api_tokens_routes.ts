/**
 * `GET /provider/api-tokens`: which Lead Provider API tokens the signed-in user's lead provider
 * has (name, who made it, when, last used, revoked), never their values. DfE support makes and
 * revokes them.
 */
import { Hono } from 'hono'
import { listApiTokens } from '../_shared/api_tokens.ts'
import type { UserEnv } from '../_shared/auth.ts'
import type { Database } from '../_shared/db.ts'
import { asProvider } from './as_provider.ts'

export const apiTokensRoutes = (database: Database) =>
  new Hono<UserEnv>().get('/api-tokens', async (c) => {
    const tokens = await asProvider(
      database,
      c.var.claims,
      (tx, provider) => listApiTokens(tx, provider.lead_provider_id),
    )
    return c.json({ tokens })
  })
