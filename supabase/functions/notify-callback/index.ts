/** Serves the notify-callback function (GOV.UK Notify's delivery receipts). */
import { app } from './app.ts'

Deno.serve(app.fetch)
