/**
 * Lead Provider API tokens for support: `GET /support/lead-providers` (to choose one),
 * `GET /support/lead-providers/:id/api-tokens`, `POST /support/lead-providers/:id/api-tokens`
 * (answers the new token's value, the only time anyone sees it) and
 * `POST /support/api-tokens/:id/revoke`. The rules are `app.create_api_token` and
 * `app.revoke_api_token`, which admit support users only.
 */
import { Hono } from 'hono'
import { listApiTokens } from '../_shared/api_tokens.ts'
import type { UserEnv } from '../_shared/auth.ts'
import type { Database } from '../_shared/db.ts'
import { AppError, fromSqlRefusal } from '../_shared/errors.ts'
import { validated } from '../_shared/http.ts'
import { apiTokenNameSchema, idParamSchema } from './schemas.ts'

const noProvider = () =>
  new AppError(404, 'lead_provider_not_found', 'We could not find that lead provider')

export const apiTokensRoutes = (database: Database) =>
  new Hono<UserEnv>()
    .get('/lead-providers', async (c) => {
      const leadProviders = await database.withSupportUser(
        c.var.claims,
        (tx) =>
          tx<{ id: string; name: string; active_tokens: number }[]>`
        select lp.lead_provider_id as id, lp.name,
          (select count(*)::int from app.list_api_tokens(lp.lead_provider_id) t
            where t.revoked_at is null) as active_tokens
        from public.lead_providers lp
        order by lp.name, lp.lead_provider_id`,
      )
      return c.json({ lead_providers: leadProviders })
    })
    .get('/lead-providers/:id/api-tokens', validated('param', idParamSchema), async (c) => {
      const { id } = c.req.valid('param')
      const found = await database.withSupportUser(c.var.claims, async (tx) => {
        const [leadProvider] = await tx<{ id: string; name: string }[]>`
        select lead_provider_id as id, name from public.lead_providers
        where lead_provider_id = ${id}`
        return leadProvider && { lead_provider: leadProvider, tokens: await listApiTokens(tx, id) }
      })
      if (!found) throw noProvider()
      return c.json(found)
    })
    .post(
      '/lead-providers/:id/api-tokens',
      validated('param', idParamSchema),
      validated('json', apiTokenNameSchema),
      async (c) => {
        const { id } = c.req.valid('param')
        const { name } = c.req.valid('json')
        try {
          const [created] = await database.withSupportUser(
            c.var.claims,
            (tx) =>
              tx<{ api_token_id: string; token: string }[]>`
            select api_token_id, token from app.create_api_token(${id}::uuid, ${name})`,
          )
          return c.json({ api_token_id: created!.api_token_id, name, token: created!.token }, 201)
        } catch (error) {
          throw fromSqlRefusal(error, { lead_provider_not_found: 404, not_a_support_user: 403 })
        }
      },
    )
    .post('/api-tokens/:id/revoke', validated('param', idParamSchema), async (c) => {
      const { id } = c.req.valid('param')
      const [revoked] = await database.withSupportUser(
        c.var.claims,
        (tx) =>
          tx<{ api_token_id: string; lead_provider_id: string; revoked_at: Date }[]>`
        select * from app.revoke_api_token(${id}::uuid)`,
      )
      if (!revoked) throw new AppError(404, 'api_token_not_found', 'We could not find that token')
      return c.json(revoked)
    })
