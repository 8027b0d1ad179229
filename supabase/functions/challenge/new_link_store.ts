/**
 * "Get a new link": the database work behind a school's request for a fresh link, run as
 * `service_role`. The SQL function applies the limits, records the request and queues the emails
 * to the school's known addresses; its answer never says whether the URN matched.
 */
import { z } from 'zod'
import type { Database } from '../_shared/db.ts'

export const newLinkResultSchema = z.object({
  status: z.enum(['accepted', 'urn_limit', 'client_limit']),
})
export type NewLinkResult = z.infer<typeof newLinkResultSchema>

/** `clientHash` is the sha256 of the caller's address: the address itself is never stored. */
export function requestNewLink(
  database: Database,
  urn: string,
  clientHash: Uint8Array,
): Promise<NewLinkResult> {
  return database.withService(async (tx) => {
    const [row] = await tx`select app.request_new_link(${urn}, ${clientHash}) as result`
    return newLinkResultSchema.parse(row?.result)
  })
}
