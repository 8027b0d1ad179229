/**
 * The notifications function: the sender of the email outbox. Called by pg_net when outbox rows
 * are committed and by the pg_cron sweep every minute, with the project's secret key; each call
 * is one run (see dispatcher.ts) and answers with what it did.
 *
 *   POST /notifications {timeBudgetSeconds?, cpuBudgetMs?, handover?}
 *     -> 200 {outcome, counts, cpuMs, handedOver}
 */
import { z } from 'zod'
import { requireSecretKey } from '../_shared/auth.ts'
import type { FunctionDeps } from '../_shared/function_deps.ts'
import { functionApp, validated } from '../_shared/http.ts'
import { notifySender } from '../_shared/notify_client.ts'
import { notifyPacer, systemClock } from '../_shared/notify_pacing.ts'
import { defaultDispatchOptions, type DispatchDeps, runDispatch } from './dispatcher.ts'
import { processCpuClock } from './cpu_clock.ts'
import { composeEmail } from './email.ts'
import { createSqlOutbox } from './outbox.ts'

export const runRequestSchema = z.object({
  /** A shorter run than the default; never longer, so a caller cannot hold the lock for long. */
  timeBudgetSeconds: z.number().int().min(1).max(
    defaultDispatchOptions.timeBudgetMs / 1000,
  )
    .optional(),
  /**
   * Woken by a run about to stop (`app.hand_over_notifications()`): wait for its lock rather
   * than answer `busy`.
   */
  handover: z.boolean().optional(),
  /** A smaller CPU budget than the default, likewise never larger (tests use it to see a handover). */
  cpuBudgetMs: z.number().int().min(1).max(defaultDispatchOptions.cpuBudgetMs)
    .optional(),
}).strict()
export type RunRequest = z.infer<typeof runRequestSchema>

/** The configuration and database the sender needs. */
export type NotificationsDeps = FunctionDeps<
  'webOrigin' | 'secretKeys' | 'notifyConfig' | 'supportEmail'
>

export function createNotificationsApp({ config, database }: NotificationsDeps) {
  const outbox = createSqlOutbox(database.sql)
  const cpu = processCpuClock()

  function productionDeps(): DispatchDeps {
    const notify = config.notifyConfig()
    const settings = {
      templateIds: notify.templateIds,
      webOrigin: config.webOrigin(),
      supportEmail: config.supportEmail(),
    }
    return {
      outbox,
      notify: notifySender({
        apiKey: notify.apiKey,
        baseUrl: notify.baseUrl,
        timeoutMs: defaultDispatchOptions.notifyTimeoutMs,
      }),
      compose: (email) => composeEmail(email, settings),
      pacer: notifyPacer(notify.ratePerMinute, systemClock),
      clock: systemClock,
      cpu,
    }
  }

  return functionApp('notifications', config, { maxBodyBytes: 1024 }).post(
    '/',
    requireSecretKey(config),
    validated('json', runRequestSchema),
    async (c) => {
      const { timeBudgetSeconds, cpuBudgetMs, handover } = c.req.valid('json')
      const { ratePerMinute } = config.notifyConfig()
      const result = await runDispatch(productionDeps(), {
        ...defaultDispatchOptions,
        ...(timeBudgetSeconds ? { timeBudgetMs: timeBudgetSeconds * 1000 } : {}),
        ...(cpuBudgetMs ? { cpuBudgetMs } : {}),
        // Long enough for the run that woke this one to finish its last sends and let go.
        ...(handover ? { awaitLockMs: 15_000 } : {}),
        batchSize: Math.max(
          2 * defaultDispatchOptions.concurrency,
          Math.ceil(ratePerMinute / 60),
        ),
      })
      return c.json(result)
    },
  )
}
