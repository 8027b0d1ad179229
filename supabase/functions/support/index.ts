/** Serves the `support` function (the app itself is in app.ts, so tests can build it). */
import { platformDeps } from '../_shared/function_deps.ts'
import { createSupportApp } from './app.ts'

Deno.serve(createSupportApp(platformDeps()).fetch)
