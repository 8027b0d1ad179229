/**
 * The reasons list an open link's answer carries, read at most once a minute rather than on every
 * check (issue 16): under load each of thousands of checks a second read, sorted and encoded the
 * same five rows. The list changes only by migration, so a school's page shows a change within a
 * minute; a report checks the reason given against the table itself, so a reason withdrawn in that
 * minute is refused (422 `invalid_reason`), never recorded.
 */
import { readChallengeReasons, type Reason } from '../_shared/challenge_reasons.ts'
import type { Database } from '../_shared/db.ts'

export type ReasonListOptions = {
  maxAgeMs?: number
  /** Milliseconds on a clock that only goes forward. */
  now?: () => number
}

export function reasonList(
  database: Database,
  { maxAgeMs = 60_000, now = () => performance.now() }: ReasonListOptions = {},
): () => Promise<Reason[]> {
  let kept: { reasons: Promise<Reason[]>; readAt: number } | undefined
  return () => {
    const at = now()
    if (!kept || at - kept.readAt >= maxAgeMs) {
      const reasons = readChallengeReasons(database.sql())
      kept = { reasons, readAt: at }
      // A failed read is not kept: the next check reads again.
      reasons.catch(() => {
        if (kept?.reasons === reasons) kept = undefined
      })
    }
    return kept.reasons
  }
}
