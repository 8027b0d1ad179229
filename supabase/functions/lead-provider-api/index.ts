/** Serves the `lead-provider-api` function (the app itself is in app.ts, so tests can build it). */
import { platformDeps } from '../_shared/function_deps.ts'
import { createLeadProviderApiApp } from './app.ts'

Deno.serve(createLeadProviderApiApp(platformDeps()).fetch)
