/// <reference lib="dom" />
/**
 * A lead provider's Lead Provider API tokens, as support and the provider's own users see them:
 * each token's name, whether it still works, who created it and when, and when it was last used.
 * Never a token's value, which nobody can see after it is created. One summary list per token
 * (rather than a table), so the page reads at 320 px. `action` adds something under each token
 * that still works (support's "Revoke").
 */
import {
  type Child,
  formatDateTime,
  h,
  paragraph,
  section,
  subheading,
  summaryList,
  tag,
} from './portal_dom.ts'
import { apiTokensListWords as words } from './portal_words.ts'

/** What `GET /provider/api-tokens` and support's token list answer for each token. */
export type ApiTokenSummary = {
  api_token_id: string
  name: string
  created_by_email: string | null
  created_at: string
  last_used_at: string | null
  revoked_at: string | null
}

export function apiTokensList(
  tokens: ApiTokenSummary[],
  action?: (token: ApiTokenSummary) => Child,
): HTMLElement {
  if (tokens.length === 0) return paragraph(words.none)
  return h(
    'div',
    {},
    ...tokens.map((token) =>
      section(
        { label: token.name },
        subheading(token.name),
        summaryList([
          [
            words.status,
            token.revoked_at
              ? tag(words.revoked(formatDateTime(token.revoked_at)), 'grey')
              : tag(words.active, 'green'),
          ],
          [words.created, formatDateTime(token.created_at)],
          [words.createdBy, token.created_by_email ?? words.notKnown],
          [
            words.lastUsed,
            token.last_used_at ? formatDateTime(token.last_used_at) : words.notUsed,
          ],
        ]),
        token.revoked_at || !action ? null : action(token),
      )
    ),
  )
}
