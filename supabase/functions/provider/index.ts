/** Serves the `provider` function (the app itself is in app.ts, so tests can build it). */
import { platformDeps } from '../_shared/function_deps.ts'
import { createProviderApp } from './app.ts'

Deno.serve(createProviderApp(platformDeps()).fetch)
