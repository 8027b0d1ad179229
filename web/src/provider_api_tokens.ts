/// <reference lib="dom" />
/**
 * "API tokens" for lead provider users: which Lead Provider API tokens their organisation has,
 * so they can tell whether a system's token still works. DfE support creates and revokes them.
 */
import { apiTokensList, type ApiTokenSummary } from './api_tokens_view.ts'
import { heading, paragraph, showPage } from './portal_dom.ts'
import { getJson } from './provider_api.ts'

export async function showApiTokens(root: HTMLElement): Promise<void> {
  const { tokens } = await getJson<{ tokens: ApiTokenSummary[] }>('/api-tokens')
  showPage(root, 'API tokens', [
    heading('API tokens'),
    paragraph(
      'Your systems can report schools and follow changes through the Lead Provider API, using a token. These are your organisation’s tokens. Nobody can see a token’s value after it is created.',
    ),
    paragraph(
      'To get a new token, or to stop one working, contact the Department for Education.',
    ),
    apiTokensList(tokens),
  ])
}
