/**
 * Lead Provider API tokens as people see them (support's pages and the provider's own): never
 * their values. Read through `app.list_api_tokens`, which answers support users for any lead
 * provider and a provider's own users for theirs, and nobody else.
 */
import type { Tx } from './db.ts'

export type ApiTokenSummary = {
  api_token_id: string
  name: string
  created_by_email: string | null
  created_at: Date
  last_used_at: Date | null
  revoked_at: Date | null
}

export function listApiTokens(tx: Tx, leadProviderId: string): Promise<ApiTokenSummary[]> {
  return tx<ApiTokenSummary[]>`
    select api_token_id, name, created_by_email, created_at, last_used_at, revoked_at
    from app.list_api_tokens(${leadProviderId}::uuid)`
}
