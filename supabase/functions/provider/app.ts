/**
 * The `provider` function: what the lead provider portal calls. Every route needs a signed-in
 * user (their access token is verified against the project's JWKS) and runs under RLS as them.
 */
import { requireUser, type UserEnv } from '../_shared/auth.ts'
import { functionApp } from '../_shared/http.ts'
import { apiTokensRoutes } from './api_tokens_routes.ts'
import { meRoutes } from './me_routes.ts'
import { partnershipsRoutes } from './partnerships_routes.ts'
import { reportsRoutes } from './reports_routes.ts'
import { maxUploadBytes } from './urn_list.ts'

// A 2MB CSV grows when sent as a JSON string (quotes and line ends are escaped).
export const app = functionApp<UserEnv>('provider', { maxBodyBytes: 3 * maxUploadBytes })
  .use(requireUser)
  .route('/', meRoutes)
  .route('/', partnershipsRoutes)
  .route('/', reportsRoutes)
  .route('/', apiTokensRoutes)
