/** Serves the notify-callback function (GOV.UK Notify's delivery receipts). */
import { platformDeps } from '../_shared/function_deps.ts'
import { createNotifyCallbackApp } from './app.ts'

Deno.serve(createNotifyCallbackApp(platformDeps()).fetch)
