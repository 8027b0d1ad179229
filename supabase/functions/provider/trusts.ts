/**
 * The multi-academy trusts among the schools a provider is about to report, for its check page:
 * each trust's name, how many open schools it has, and which of the listed URNs are in it. The
 * page uses these to ask the provider to make sure the trust has told each school.
 */
import type { Tx } from '../_shared/db.ts'

export type ListedTrust = {
  trust_uid: string
  trust_name: string
  school_count: number
  listed_urns: string[]
}

export async function trustsOfUrns(tx: Tx, urns: string[]): Promise<ListedTrust[]> {
  if (urns.length === 0) return []
  const rows = await tx<ListedTrust[]>`
    select trust_uid, trust_name, school_count, listed_urns from app.trusts_of_urns(${urns})`
  return [...rows]
}
