/**
 * Runs the local stack as a process of its own, for `local/test.ts` and anything else that
 * drives it from outside. When everything is up it prints one JSON line,
 * `{"ready":{"api","db","dbAdmin","notify","web","publishableKey","secretKey",
 * "sendEmailHookSecret","functions"}}` (`db` as `postgres`, `dbAdmin` as the platform superuser),
 * and it stops
 * everything on SIGINT or SIGTERM. With `--stop-when-stdin-closes` it also stops when its parent
 * goes away, so a killed test run never leaves a database behind; with `--remove-data` it deletes
 * its data folder once stopped (for a test run's temporary one).
 */
import { localSettings } from './config.ts'
import { startStack } from './stack.ts'

const settings = localSettings()
const removeData = Deno.args.includes('--remove-data')
const stack = await startStack({
  ports: settings.ports,
  dataDir: settings.dataDir,
  databaseUrl: settings.databaseUrl,
  databaseAdminUrl: settings.databaseAdminUrl,
  notifyRatePerMinute: settings.notifyRatePerMinute,
  quiet: true,
})

let stopping: Promise<void> | undefined
function shutdown(): Promise<void> {
  return stopping ??= (async () => {
    try {
      await stack.stop()
      if (removeData) await Deno.remove(settings.dataDir, { recursive: true })
    } catch (error) {
      console.error(`[serve] ${error instanceof Error ? error.message : error}`)
    } finally {
      Deno.exit(0)
    }
  })()
}
Deno.addSignalListener('SIGINT', shutdown)
Deno.addSignalListener('SIGTERM', shutdown)

console.log(JSON.stringify({
  ready: {
    ...stack.urls,
    publishableKey: stack.keys.publishable,
    secretKey: stack.keys.secret,
    sendEmailHookSecret: stack.keys.sendEmailHookSecret,
    functions: stack.functions,
  },
}))

if (Deno.args.includes('--stop-when-stdin-closes')) {
  // Nothing is ever written to stdin: the read ends only when the parent closes it or dies.
  for await (const _ of Deno.stdin.readable) {
    // discard
  }
  await shutdown()
}
