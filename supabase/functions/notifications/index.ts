/** Serves the notifications function (the email outbox's sender). */
import { platformDeps } from '../_shared/function_deps.ts'
import { createNotificationsApp } from './app.ts'

Deno.serve(createNotificationsApp(platformDeps()).fetch)
