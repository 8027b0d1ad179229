/**
 * What a client needs to resolve ids: `GET /schools?filter[urn]=` (any school, by URN) and
 * `GET /delivery-partners` (those the token's lead provider works with, with their cohorts).
 */
import { Hono } from 'hono'
import type { Database } from '../_shared/db.ts'
import { validated } from '../_shared/http.ts'
import { findSchools, listDeliveryPartners } from './api_data.ts'
import { jsonApi } from './json_api.ts'
import { schoolsQuerySchema } from './schemas.ts'
import type { TokenEnv } from './token_auth.ts'

export const lookupsRoutes = (database: Database) =>
  new Hono<TokenEnv>()
    .get('/schools', validated('query', schoolsQuerySchema), async (c) => {
      const urns = c.req.valid('query')['filter[urn]'].map((urn) => urn.replace(/^0+(?=\d)/, ''))
      const data = await database.withApiToken(
        c.var.apiTokenId,
        (tx) => findSchools(tx, { urns }),
      )
      return jsonApi(c, { data })
    })
    .get('/delivery-partners', async (c) => {
      const data = await database.withApiToken(
        c.var.apiTokenId,
        (tx) => listDeliveryPartners(tx),
      )
      return jsonApi(c, { data })
    })
