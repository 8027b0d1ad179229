/**
 * Faults the tests ask for, applied to the next send requests in order: a 500 or a 429 with
 * Notify's body, a 400 refusing the recipient (as Notify refuses an address a team-only key or a
 * service in trial mode may not send to), a slow answer, a dropped connection with no answer at
 * all, or a late answer (the email is accepted, and its receipt sent, at once; the answer saying
 * so comes after `delayMs`, as when the reply is held up on its way back). A fault given `to`
 * waits for a send to that address, so a test can aim at its own email while other emails flow.
 * Not part of Notify.
 */
import { z } from 'zod'

export const faultSchema = z.object({
  kind: z.enum(['500', '429', '400', 'slow', 'drop', 'late']),
  count: z.int().min(1).max(100_000).default(1),
  /** How long to wait before answering (or dropping); a slow or late answer waits 1 s unless told. */
  delayMs: z.int().min(0).max(120_000).optional(),
  /** Only a send to this address (compared without case) takes the fault. */
  to: z.string().min(1).max(320).optional(),
})

export type FaultRequest = z.infer<typeof faultSchema>
export type Fault = { kind: FaultRequest['kind']; delayMs: number }

export type Faults = {
  add(request: FaultRequest): void
  /** The fault for the send request to `to` now arriving, if any is queued for it. */
  next(to?: string): Fault | undefined
  reset(): void
  pending(): number
}

export function createFaults(): Faults {
  let queue: { fault: Fault; remaining: number; to: string | undefined }[] = []
  return {
    add({ kind, count, delayMs, to }) {
      queue.push({
        fault: { kind, delayMs: delayMs ?? (kind === 'slow' || kind === 'late' ? 1000 : 0) },
        remaining: count,
        to: to?.toLowerCase(),
      })
    },
    next(to) {
      const index = queue.findIndex((entry) => !entry.to || entry.to === to?.toLowerCase())
      const entry = queue[index]
      if (!entry) return undefined
      if (--entry.remaining === 0) queue.splice(index, 1)
      return entry.fault
    },
    reset() {
      queue = []
    },
    pending() {
      return queue.reduce((sum, entry) => sum + entry.remaining, 0)
    },
  }
}
