/**
 * The reasons a mistake can be reported for, in the order a school's page shows them: what the
 * challenge function offers a school and what support's form offers support, read one way.
 */
import type { Query } from './db.ts'

export type Reason = { code: string; label: string }

export async function readChallengeReasons(sql: Query): Promise<Reason[]> {
  const rows = await sql<Reason[]>`
    select r.code, r.label from public.challenge_reasons r order by r.position`
  return rows.map(({ code, label }) => ({ code, label }))
}
