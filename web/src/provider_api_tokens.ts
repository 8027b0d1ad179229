/// <reference lib="dom" />
/**
 * "API tokens" for lead provider users: which Lead Provider API tokens their organisation has,
 * so they can tell whether a system's token still works. DfE support creates and revokes them.
 */
import { apiTokensList, type ApiTokenSummary } from './api_tokens_view.ts'
import { heading, paragraph, showPage } from './portal_dom.ts'
import { getJson } from './provider_api.ts'
import { apiTokensWords as words } from './provider_words.ts'

export async function showApiTokens(root: HTMLElement): Promise<void> {
  const { tokens } = await getJson<{ tokens: ApiTokenSummary[] }>('/api-tokens')
  showPage(root, words.title, [
    heading(words.title),
    paragraph(words.about),
    paragraph(words.newOrStop),
    apiTokensList(tokens),
  ])
}
