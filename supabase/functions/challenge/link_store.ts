/**
 * The challenge function's database work: the two `app.*` SQL functions behind a school's link.
 * Their answers are checked against the shapes promised in docs/database.md, so a change there
 * fails loudly here rather than reaching the page.
 *
 * Each is one statement in one round trip (issue 16): no transaction around it and no role set,
 * so it runs as the connection's own role, which owns these `security definer` functions (they
 * run as their owner whoever calls them, and each is a transaction of its own). `withService`
 * would add three round trips (begin, settings, commit) to every check and report: under load,
 * most of a check's time was those and the wait for a connection they held.
 */
import { z } from 'zod'
import { inlineText, type Query } from '../_shared/db.ts'

export const linkStatusSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('open'),
    school_name: z.string(),
    urn: z.string(),
    lead_provider_name: z.string(),
    delivery_partner_name: z.string(),
    cohort: z.string(),
    deadline: z.iso.date(),
  }),
  z.object({ status: z.literal('challenged'), school_name: z.string() }),
  z.object({ status: z.literal('expired'), school_name: z.string() }),
  z.object({ status: z.literal('superseded'), school_name: z.string() }),
  z.object({ status: z.literal('not_found') }),
])
export type LinkStatus = z.infer<typeof linkStatusSchema>

export const challengeResultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('challenged'), school_name: z.string() }),
  z.object({
    status: z.literal('already_challenged'),
    school_name: z.string(),
  }),
  z.object({ status: z.literal('expired'), school_name: z.string() }),
  z.object({ status: z.literal('superseded'), school_name: z.string() }),
  z.object({ status: z.literal('not_found') }),
  z.object({ status: z.literal('invalid_reason') }),
])
export type ChallengeResult = z.infer<typeof challengeResultSchema>

/** What the link behind `token` points at, and whether it can still be used. */
export async function linkStatus(sql: Query, token: string): Promise<LinkStatus> {
  const [row] = await sql`select app.challenge_link_status(${inlineText(sql, token)}) as result`
  return linkStatusSchema.parse(row?.result)
}

/** Records the school's report; the SQL function locks the partnership, so only one can win. */
export async function challengeByToken(
  sql: Query,
  token: string,
  reason: string,
): Promise<ChallengeResult> {
  const [row] = await sql`
    select app.challenge_by_token(${inlineText(sql, token)}, ${inlineText(sql, reason)}) as result`
  return challengeResultSchema.parse(row?.result)
}
