/** Serves the notifications function (the email outbox's sender). */
import { app } from './app.ts'

Deno.serve(app.fetch)
