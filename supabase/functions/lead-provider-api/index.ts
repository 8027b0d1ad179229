/** Serves the `lead-provider-api` function (the app itself is in app.ts, so tests can build it). */
import { app } from './app.ts'

Deno.serve(app.fetch)
