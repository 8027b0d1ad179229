/** Serves the auth-email-hook function (Supabase Auth's Send Email Hook). */
import { environmentConfig } from '../_shared/config.ts'
import { createAuthEmailHookApp } from './app.ts'

Deno.serve(createAuthEmailHookApp({ config: environmentConfig() }).fetch)
