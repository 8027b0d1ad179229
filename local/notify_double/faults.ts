/**
 * Faults the tests ask for, applied to the next send requests in order: a 500 or a 429 with
 * Notify's body, a slow answer, a dropped connection with no answer at all, or a late answer
 * (the email is accepted, and its receipt sent, at once; the answer saying so comes after
 * `delayMs`, as when the reply is held up on its way back). Not part of Notify.
 */
import { z } from 'zod'

export const faultSchema = z.object({
  kind: z.enum(['500', '429', 'slow', 'drop', 'late']),
  count: z.int().min(1).max(100_000).default(1),
  /** How long to wait before answering (or dropping); a slow or late answer waits 1 s unless told. */
  delayMs: z.int().min(0).max(120_000).optional(),
})

export type FaultRequest = z.infer<typeof faultSchema>
export type Fault = { kind: FaultRequest['kind']; delayMs: number }

export type Faults = {
  add(request: FaultRequest): void
  /** The fault for the send request now arriving, if any is queued. */
  next(): Fault | undefined
  reset(): void
  pending(): number
}

export function createFaults(): Faults {
  let queue: { fault: Fault; remaining: number }[] = []
  return {
    add({ kind, count, delayMs }) {
      queue.push({
        fault: { kind, delayMs: delayMs ?? (kind === 'slow' || kind === 'late' ? 1000 : 0) },
        remaining: count,
      })
    },
    next() {
      const head = queue[0]
      if (!head) return undefined
      if (--head.remaining === 0) queue.shift()
      return head.fault
    },
    reset() {
      queue = []
    },
    pending() {
      return queue.reduce((sum, entry) => sum + entry.remaining, 0)
    },
  }
}
