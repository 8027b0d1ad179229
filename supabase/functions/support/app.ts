/**
 * The `support` function: what DfE support's pages call. Every route needs a signed-in user
 * (their access token is verified against the project's JWKS) who is a support user, and runs
 * under RLS as them.
 */
import { requireUser, type UserEnv } from '../_shared/auth.ts'
import type { FunctionDeps } from '../_shared/function_deps.ts'
import { functionApp } from '../_shared/http.ts'
import { apiTokensRoutes } from './api_tokens_routes.ts'
import { emailsRoutes } from './emails_routes.ts'
import { meRoutes } from './me_routes.ts'
import { partnershipsRoutes } from './partnerships_routes.ts'
import { requireSupportUser } from './as_support.ts'
import { schoolsRoutes } from './schools_routes.ts'

/** The configuration and database the support function needs. */
export type SupportDeps = FunctionDeps<'webOrigin' | 'jwks' | 'supabaseUrl'>

export function createSupportApp({ config, database }: SupportDeps) {
  return functionApp<UserEnv>('support', config)
    .use(requireUser(config))
    .use(requireSupportUser(database))
    .route('/', meRoutes(database))
    .route('/', schoolsRoutes(database))
    .route('/', partnershipsRoutes(database))
    .route('/', emailsRoutes(database))
    .route('/', apiTokensRoutes(database))
}

/** The app's type, from which the support pages' typed client knows each route's answers. */
export type SupportApp = ReturnType<typeof createSupportApp>
