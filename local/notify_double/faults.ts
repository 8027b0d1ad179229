/**
 * Faults the tests ask for, applied to the next send requests in order: a 500 or a 429 with
 * Notify's body, a slow answer, or a dropped connection with no answer at all. Not part of Notify.
 */
import { z } from 'zod'

export const faultSchema = z.object({
  kind: z.enum(['500', '429', 'slow', 'drop']),
  count: z.int().min(1).max(100_000).default(1),
  /** How long to wait before answering (or dropping); a slow answer waits 1 s unless told. */
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
        fault: { kind, delayMs: delayMs ?? (kind === 'slow' ? 1000 : 0) },
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
