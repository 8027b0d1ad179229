/**
 * The `lead-provider-api` function: the Lead Provider API, for lead providers' own systems.
 * JSON:API shaped, authenticated by per-provider API tokens (`Authorization: Bearer`), rate
 * limited per token, described by openapi.json (served at `/openapi.json`, no token needed) and
 * for people by docs/api.md. Every rule is the portal's own SQL, run as the token's provider.
 */
import { Hono } from 'hono'
import type { FunctionDeps } from '../_shared/function_deps.ts'
import { functionApp } from '../_shared/http.ts'
import { jsonApiNotFound, jsonApiOnError } from './json_api.ts'
import { lookupsRoutes } from './lookups_routes.ts'
import openApi from './openapi.json' with { type: 'json' }
import { partnershipsRoutes } from './partnerships_routes.ts'
import { requireApiToken, type TokenEnv } from './token_auth.ts'

/** 10,000 partnerships in one bulk request, each about 150 bytes of JSON. */
const maxBodyBytes = 4 * 1024 * 1024

/** The configuration and database the Lead Provider API needs. */
export type LeadProviderApiDeps = FunctionDeps<'webOrigin'>

export function createLeadProviderApiApp({ config, database }: LeadProviderApiDeps) {
  const authenticated = new Hono<TokenEnv>()
    .use(requireApiToken(database))
    .route('/', partnershipsRoutes(database))
    .route('/', lookupsRoutes(database))

  const app = functionApp<TokenEnv>('lead-provider-api', config, {
    maxBodyBytes,
    bodyTypes: /^application\/(vnd\.api\+)?json\s*(;|$)/i,
  })
    .get('/openapi.json', (c) => c.json(openApi))
    .route('/', authenticated)

  app.onError(jsonApiOnError)
  app.notFound(jsonApiNotFound)
  return app
}
