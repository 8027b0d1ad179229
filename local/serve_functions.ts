/**
 * Runs only the gateway (every function and the Auth stand-in) as a process of its own, against
 * a stack whose other parts run elsewhere (`startStack({ functionsElsewhere: true })`), so a
 * fault test can kill the functions mid-run and start them again, as the platform restarts a
 * crashed worker. It reads what local/serve.ts reads: `DATABASE_URL` (required), the ports of
 * the API (its own), the Notify double and the site, `DATABASE_ADMIN_URL` (for the Auth
 * stand-in; defaults to `DATABASE_URL`), `LOCAL_DATA_DIR` (the stack's keys),
 * `LOCAL_NOTIFY_RATE_PER_MINUTE`, and `LOCAL_FUNCTIONS_ENV` (changes to the functions' own
 * environment: tests start them with each shape of it the platform may give). When up it prints
 * `{"ready":{"api","functions"}}`; it stops on SIGINT or SIGTERM, or when its stdin closes with
 * `--stop-when-stdin-closes`.
 */
import { localSettings } from './config.ts'
import { startFunctions } from './stack.ts'

const settings = localSettings()
if (!settings.databaseUrl) throw new Error('DATABASE_URL is required: the stack runs elsewhere')
const local = (port: number) => `http://127.0.0.1:${port}`
const functions = await startFunctions({
  port: settings.ports.api,
  dataDir: settings.dataDir,
  db: settings.databaseUrl,
  dbAdmin: settings.databaseAdminUrl ?? settings.databaseUrl,
  notifyUrl: local(settings.ports.notify),
  webUrl: local(settings.ports.web),
  notifyRatePerMinute: settings.notifyRatePerMinute,
  envChanges: settings.functionsEnv,
})

let stopping: Promise<void> | undefined
function shutdown(): Promise<void> {
  return stopping ??= functions.stop()
    .catch((error) =>
      console.error(`[functions] ${error instanceof Error ? error.message : error}`)
    )
    .finally(() => Deno.exit(0))
}
Deno.addSignalListener('SIGINT', shutdown)
Deno.addSignalListener('SIGTERM', shutdown)

console.log(JSON.stringify({ ready: { api: functions.url, functions: functions.functions } }))

if (Deno.args.includes('--stop-when-stdin-closes')) {
  // Nothing is ever written to stdin: the read ends only when the parent closes it or dies.
  for await (const _ of Deno.stdin.readable) {
    // discard
  }
  await shutdown()
}
