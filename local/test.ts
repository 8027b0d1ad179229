/**
 * `deno task test`: starts one whole local stack (local/serve.ts) on free ports with a fresh data
 * folder, runs `deno test -A` over the repo with the TEST_* variables of docs/architecture.md
 * (extra arguments, such as a path, pass through to `deno test`), then stops the stack and
 * removes the folder, also when the tests fail or on Ctrl-C. Exits with deno test's code.
 */
import { fileURLToPath } from 'node:url'
import { freePort } from './config.ts'
import { waitForReadyLine } from './ready_line.ts'

const repoRoot = fileURLToPath(new URL('..', import.meta.url))
const dataDir = await Deno.makeTempDir({ prefix: 'ect-stack-' })

const serve = new Deno.Command(Deno.execPath(), {
  args: ['run', '-A', 'local/serve.ts', '--stop-when-stdin-closes', '--remove-data'],
  cwd: repoRoot,
  env: {
    LOCAL_DB_PORT: String(freePort()),
    LOCAL_API_PORT: String(freePort()),
    LOCAL_NOTIFY_PORT: String(freePort()),
    LOCAL_WEB_PORT: String(freePort()),
    LOCAL_DATA_DIR: dataDir,
  },
  stdin: 'piped',
  stdout: 'piped',
  stderr: 'inherit',
}).spawn()

let tests: Deno.ChildProcess | undefined
let cleaning: Promise<void> | undefined

/** Stops the tests and the stack and removes the data; safe to call more than once. */
function cleanUp(): Promise<void> {
  return cleaning ??= (async () => {
    try {
      tests?.kill('SIGTERM')
    } catch {
      // already ended
    }
    try {
      serve.kill('SIGTERM')
    } catch {
      // already ended
    }
    await serve.status
    await serve.stdin.close().catch(() => {})
    await Deno.remove(dataDir, { recursive: true }).catch(() => {})
  })()
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  Deno.addSignalListener(signal, async () => {
    await cleanUp()
    Deno.exit(130)
  })
}

let code = 1
try {
  const ready = await waitForReadyLine<Ready>(serve, 'the local stack', console.error)
  console.error(`[test] stack ready: functions ${ready.functions.join(', ') || '(none)'}`)
  tests = new Deno.Command(Deno.execPath(), {
    args: ['test', '-A', ...Deno.args],
    cwd: repoRoot,
    env: {
      TEST_DATABASE_URL: ready.db,
      TEST_DATABASE_ADMIN_URL: ready.dbAdmin,
      TEST_API_URL: ready.api,
      TEST_NOTIFY_URL: ready.notify,
      TEST_WEB_URL: ready.web,
      TEST_PUBLISHABLE_KEY: ready.publishableKey,
      TEST_SECRET_KEY: ready.secretKey,
      TEST_SEND_EMAIL_HOOK_SECRET: ready.sendEmailHookSecret,
    },
    stdin: 'null',
  }).spawn()
  code = (await tests.status).code
} catch (error) {
  console.error(`[test] ${error instanceof Error ? error.message : error}`)
} finally {
  await cleanUp()
}
Deno.exit(code)

type Ready = {
  api: string
  db: string
  dbAdmin: string
  notify: string
  web: string
  publishableKey: string
  secretKey: string
  sendEmailHookSecret: string
  functions: string[]
}
