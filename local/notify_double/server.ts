/**
 * A local stand-in for GOV.UK Notify, faithful to its documented REST API and driven by the
 * real `notifications-node-client`:
 *
 * - `POST /v2/notifications/email`, `GET /v2/notifications/{id}`, `GET /v2/notifications`, with
 *   Notify's JWT check, rate limit, templates, `Missing personalisation` and error bodies;
 * - delivery receipts POSTed to `callbackUrl` with `Authorization: Bearer <callbackBearerToken>`;
 *   `temp-fail@simulator.notify` and `perm-fail@simulator.notify` fail as Notify's do;
 * - a mailbox: `GET /messages` (JSON, newest first, `?to=`, `?reference=`, `?template_id=`) and
 *   `GET /` (a page that shows each email as a person would read it);
 * - test controls, not Notify's: `POST /_double/faults` `{ "kind": "500" | "429" | "400" |
 *   "slow" | "drop" | "late", "count": 1, "delayMs": 0, "to": "..." }` for the next send
 *   requests, or the next to one address (see faults.ts),
 *   `DELETE /_double/faults`,
 *   `POST /_double/outage` `{ "seconds": 120 }` (every connection refused, as when Notify is
 *   down, then back on the same port with its mailbox), `PUT /_double/rate-limit`
 *   `{ "perMinute": 6000 }`, `GET /_double/state`.
 */
import { createNotifyDoubleApp } from './app.ts'
import { createAuthenticator } from './auth.ts'
import { createDelivery } from './delivery.ts'
import { createFaults } from './faults.ts'
import { type FetchHandler, type HttpServer, listen } from './http_server.ts'
import { createNotifications } from './notifications.ts'
import { createRateLimiter } from './rate_limit.ts'
import { createEmailStore, DEFAULT_CAPACITY } from './store.ts'
import { loadTemplates } from './templates.ts'

export { generateApiKey } from './api_keys.ts'

export type NotifyDoubleOptions = {
  /** 0 picks a free port. */
  port: number
  hostname?: string
  /** Full Notify API keys (`<key name>-<service id>-<secret>`) the double accepts. */
  apiKeys: string[]
  /** Folders each holding a `templates.json` manifest and the body files it names. */
  templatesDirs: string[]
  callbackUrl?: string
  callbackBearerToken?: string
  /** Requests each API key may make in any 60 seconds; Notify's default is 3,000. */
  ratePerMinute?: number
  /** How long after acceptance an email reaches its final status and its receipt is sent. */
  callbackDelayMs?: number
  /** How many emails the mailbox keeps before forgetting the oldest. */
  mailboxCapacity?: number
  now?: () => Date
}

export type NotifyDouble = { url: string; stop(): Promise<void> }

export async function startNotifyDouble(options: NotifyDoubleOptions): Promise<NotifyDouble> {
  const now = options.now ?? (() => new Date())
  const hostname = options.hostname ?? '127.0.0.1'
  const templates = await loadTemplates(options.templatesDirs)
  const store = createEmailStore(options.mailboxCapacity ?? DEFAULT_CAPACITY)
  const rateLimiter = createRateLimiter(options.ratePerMinute ?? 3000, now)
  const delivery = createDelivery({
    callbackUrl: options.callbackUrl,
    callbackBearerToken: options.callbackBearerToken,
    callbackDelayMs: options.callbackDelayMs ?? 100,
    now,
  })
  const stopping = new AbortController()
  /** Undefined while an outage lasts. */
  let server: HttpServer | undefined
  let outageEnds: ReturnType<typeof setTimeout> | undefined
  const app = createNotifyDoubleApp({
    authenticate: createAuthenticator(options.apiKeys, now),
    notifications: createNotifications({ templates, store, rateLimiter, delivery, now }),
    store,
    faults: createFaults(),
    rateLimiter,
    stopping: stopping.signal,
    outage(ms) {
      const down = server
      if (!down) return
      server = undefined
      const closed = down.close()
      // The same port again, with the mailbox and everything else the double holds.
      outageEnds = setTimeout(async () => {
        await closed
        if (stopping.signal.aborted) return
        server = await listen(handler, { port: down.port, hostname }).catch((error) => {
          console.error(`[notify double] cannot listen again: ${error}`)
          return undefined
        })
      }, ms)
    },
  })
  const handler: FetchHandler = (request, env) => app.fetch(request, env)
  server = await listen(handler, { port: options.port, hostname })
  return {
    url: `http://${hostname}:${server.port}`,
    async stop() {
      stopping.abort()
      clearTimeout(outageEnds)
      await Promise.all([server?.close(), delivery.stop()])
    },
  }
}
