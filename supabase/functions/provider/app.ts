/**
 * The `provider` function: what the lead provider portal calls. Every route needs a signed-in
 * user (their access token is verified against the project's JWKS) and runs under RLS as them.
 */
import { requireUser, type UserEnv } from '../_shared/auth.ts'
import type { FunctionDeps } from '../_shared/function_deps.ts'
import { functionApp } from '../_shared/http.ts'
import { apiTokensRoutes } from './api_tokens_routes.ts'
import { meRoutes } from './me_routes.ts'
import { partnershipsRoutes } from './partnerships_routes.ts'
import { reportsRoutes } from './reports_routes.ts'
import { maxUploadBytes } from './urn_list.ts'

/** The configuration and database the provider function needs. */
export type ProviderDeps = FunctionDeps<'webOrigin' | 'jwks' | 'supabaseUrl'>

export function createProviderApp({ config, database }: ProviderDeps) {
  // A 2MB CSV grows when sent as a JSON string (quotes and line ends are escaped).
  return functionApp<UserEnv>('provider', config, { maxBodyBytes: 3 * maxUploadBytes })
    .use(requireUser(config))
    .route('/', meRoutes(database))
    .route('/', partnershipsRoutes(database))
    .route('/', reportsRoutes(database))
    .route('/', apiTokensRoutes(database))
}

/** The app's type, from which the portal's typed client knows each route's answers. */
export type ProviderApp = ReturnType<typeof createProviderApp>
