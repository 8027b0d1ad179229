/** Serves the auth-email-hook function (Supabase Auth's Send Email Hook). */
import { app } from './app.ts'

Deno.serve(app.fetch)
