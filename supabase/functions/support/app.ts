/**
 * The `support` function: what DfE support's pages call. Every route needs a signed-in user
 * (their access token is verified against the project's JWKS) who is a support user, and runs
 * under RLS as them.
 */
import { requireUser, type UserEnv } from '../_shared/auth.ts'
import { functionApp } from '../_shared/http.ts'
import { apiTokensRoutes } from './api_tokens_routes.ts'
import { emailsRoutes } from './emails_routes.ts'
import { meRoutes } from './me_routes.ts'
import { partnershipsRoutes } from './partnerships_routes.ts'
import { requireSupportUser } from './as_support.ts'
import { schoolsRoutes } from './schools_routes.ts'

export const app = functionApp<UserEnv>('support')
  .use(requireUser)
  .use(requireSupportUser)
  .route('/', meRoutes)
  .route('/', schoolsRoutes)
  .route('/', partnershipsRoutes)
  .route('/', emailsRoutes)
  .route('/', apiTokensRoutes)
