/**
 * The functions started in a process of their own (local/serve_functions.ts) with another shape
 * of the platform's environment, against the running stack's database, Notify double and site:
 * the configuration is read once per process, so each shape needs its own. The process has keys
 * of its own (a fresh data folder), so its Auth stand-in publishes its own JWKS and the test signs
 * access tokens with the matching private key. Its log is kept, to check what it says and what it
 * must never say.
 */
import { fileURLToPath } from 'node:url'
import { importJWK, SignJWT } from 'jose'
import { freePort } from '../local/config.ts'
import { loadOrCreateKeys, type LocalKeys } from '../local/keys.ts'
import { waitForReadyLine } from '../local/ready_line.ts'
import { stack } from './_stack.ts'

const repoRoot = fileURLToPath(new URL('..', import.meta.url))

export type FunctionsProcess = {
  /** The process's API: `/functions/v1/<name>` and its own `/auth/v1`. */
  url: string
  keys: LocalKeys
  /** An access token as this process's Auth would issue it to `sub`. */
  accessToken(sub: string): Promise<string>
  /** Everything the process wrote to stderr so far. */
  log(): string
  stop(): Promise<void>
}

/**
 * Starts the functions with the stack's usual environment changed by `envChanges(keys)`: a name
 * set to text takes that value, set to null it is unset, as a project of that shape would have.
 */
export async function startFunctionsProcess(
  envChanges: (keys: LocalKeys) => Record<string, string | null>,
): Promise<FunctionsProcess> {
  const dataDir = await Deno.makeTempDir({ prefix: 'ect-functions-' })
  const keys = await loadOrCreateKeys(dataDir)
  const port = freePort()
  const child = new Deno.Command(Deno.execPath(), {
    args: ['run', '-A', 'local/serve_functions.ts', '--stop-when-stdin-closes'],
    cwd: repoRoot,
    env: {
      DATABASE_URL: stack.databaseUrl,
      // The Auth stand-in keeps its tables as the platform does, not as postgres.
      DATABASE_ADMIN_URL: stack.databaseAdminUrl,
      LOCAL_DATA_DIR: dataDir,
      LOCAL_API_PORT: String(port),
      LOCAL_NOTIFY_PORT: new URL(stack.notifyUrl).port,
      LOCAL_WEB_PORT: new URL(stack.webUrl).port,
      LOCAL_FUNCTIONS_ENV: JSON.stringify(envChanges(keys)),
    },
    stdin: 'piped',
    stdout: 'piped',
    stderr: 'piped',
  }).spawn()
  let log = ''
  const logRead = child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({ write: (text) => void (log += text) }),
  )

  const stop = async () => {
    try {
      child.kill('SIGTERM')
    } catch {
      // already ended
    }
    await child.status
    await child.stdin.close().catch(() => {})
    await logRead.catch(() => {})
    await Deno.remove(dataDir, { recursive: true })
  }

  try {
    const ready = await waitForReadyLine<{ api: string }>(child, 'the functions process')
    const signingKey = await importJWK(keys.signingKey, 'ES256')
    return {
      url: ready.api,
      keys,
      accessToken: (sub) =>
        new SignJWT({ role: 'authenticated', email: `${sub}@example.test`, session_id: sub })
          .setProtectedHeader({ alg: 'ES256', kid: String(keys.signingKey.kid), typ: 'JWT' })
          .setIssuer(`${ready.api}/auth/v1`)
          .setSubject(sub)
          .setAudience('authenticated')
          .setIssuedAt()
          .setExpirationTime('10m')
          .sign(signingKey),
      log: () => log,
      stop,
    }
  } catch (error) {
    await stop()
    throw new Error(`${error instanceof Error ? error.message : error}\n${log}`)
  }
}
