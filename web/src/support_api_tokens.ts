/// <reference lib="dom" />
/**
 * "Lead Provider API tokens" for DfE support: choose a lead provider, see its tokens, create one
 * (its value is shown once, here, to pass to the provider) and revoke one (it stops working at
 * once). The page's address names the provider (`?lead_provider=`).
 */
import { apiTokensList, type ApiTokenSummary } from './api_tokens_view.ts'
import { ApiError } from './portal_api.ts'
import {
  backLink,
  button,
  errorSummary,
  h,
  heading,
  inputField,
  link,
  notificationBanner,
  panel,
  paragraph,
  showPage,
  subheading,
  table,
  visuallyHidden,
  warningText,
} from './portal_dom.ts'
import { previewFixture } from './portal_preview.ts'
import { getJson, postJson } from './support_api.ts'
import { apiTokensWords as words, tokenNameRequired, tokenNameTooLong } from './support_words.ts'

type LeadProvider = { id: string; name: string; active_tokens: number }
type Tokens = { lead_provider: { id: string; name: string }; tokens: ApiTokenSummary[] }

const pageHref = '/support/api-tokens'

export async function showSupportApiTokens(root: HTMLElement): Promise<void> {
  const id = new URLSearchParams(location.search).get('lead_provider')
  if (!id) return await showLeadProviders(root)
  let found: Tokens
  try {
    found = await getJson<Tokens>(`/lead-providers/${encodeURIComponent(id)}/api-tokens`)
  } catch (failure) {
    if (failure instanceof ApiError && (failure.status === 404 || failure.status === 400)) {
      return showPage(root, words.notFound, [
        heading(words.notFound),
        paragraph(words.check, link(pageHref, words.choose), '.'),
      ])
    }
    throw failure
  }
  const preview = previewFixture()?.state as ApiTokensPreview | undefined
  if (preview?.step === 'created') return showCreated(root, found.lead_provider, preview)
  if (preview?.step === 'revoked') return showTokens(root, found, { notice: revoked(preview.name) })
  showTokens(root, found, preview ?? {})
}

/**
 * A step a preview of this page shows (its fixture's `state`): the ones support reach only by
 * acting, the name with an error, a token just created or just revoked. A live page has none.
 */
type ApiTokensPreview =
  | { step: 'form'; name: string; error: string }
  | { step: 'created'; name: string; token: string }
  | { step: 'revoked'; name: string }

/** The banner saying the token called `name` no longer works. */
function revoked(name: string): HTMLElement {
  return notificationBanner({
    success: true,
    heading: words.revoked(name),
    body: [words.noLongerWorks],
  })
}

async function showLeadProviders(root: HTMLElement): Promise<void> {
  const { lead_providers } = await getJson<{ lead_providers: LeadProvider[] }>('/lead-providers')
  showPage(root, words.title, [
    heading(words.title),
    paragraph(words.about),
    h(
      'div',
      { class: 'app-history' },
      table({
        caption: words.providersCaption,
        head: [...words.providersHead],
        rows: lead_providers.map((lp) => [
          link(`${pageHref}?lead_provider=${encodeURIComponent(lp.id)}`, lp.name),
          String(lp.active_tokens),
        ]),
      }),
    ),
  ])
}

function showTokens(
  root: HTMLElement,
  { lead_provider, tokens }: Tokens,
  { error, name = '', notice }: { error?: string; name?: string; notice?: HTMLElement } = {},
): void {
  const { group, control: input } = inputField({
    id: 'token-name',
    label: words.nameLabel,
    hint: words.nameHint,
    error,
    autocomplete: 'off',
    value: name,
  })
  const form = h(
    'form',
    { novalidate: true },
    subheading(words.create),
    group,
    button(words.createButton),
  )
  const reload = async (banner?: HTMLElement) =>
    showTokens(
      root,
      await getJson<Tokens>(`/lead-providers/${encodeURIComponent(lead_provider.id)}/api-tokens`),
      { notice: banner },
    )
  showPage(root, words.tokensTitle(lead_provider.name), [
    backLink(pageHref),
    errorSummary(error ? [{ field: 'token-name', text: error }] : []),
    notice,
    heading(words.tokens, 'l', lead_provider.name),
    apiTokensList(tokens, (token) =>
      revokeButton(token, async () => {
        await postJson(`/api-tokens/${encodeURIComponent(token.api_token_id)}/revoke`, {})
        await reload(revoked(token.name))
      })),
    form,
  ], { hasErrors: Boolean(error) })
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const given = input.value.trim()
    const problem = given === ''
      ? tokenNameRequired
      : [...given].length > 100
      ? tokenNameTooLong
      : undefined
    if (problem) return showTokens(root, { lead_provider, tokens }, { error: problem, name: given })
    const created = await postJson<{ name: string; token: string }>(
      `/lead-providers/${encodeURIComponent(lead_provider.id)}/api-tokens`,
      { name: given },
    )
    showCreated(root, lead_provider, created)
  })
}

function revokeButton(token: ApiTokenSummary, revoke: () => Promise<void>): HTMLElement {
  const revokeButton = button([words.revoke, visuallyHidden(` ${token.name}`)], {
    warning: true,
    type: 'button',
  })
  revokeButton.addEventListener('click', () => void revoke())
  return revokeButton
}

function showCreated(
  root: HTMLElement,
  leadProvider: { id: string; name: string },
  created: { name: string; token: string },
): void {
  showPage(root, words.createdTitle, [
    panel(words.createdTitle, h('span', {}, words.createdFor(created.name, leadProvider.name))),
    warningText(words.copyNow),
    inputField({
      id: 'token-value',
      label: words.token,
      readonly: true,
      spellcheck: false,
      value: created.token,
    }).group,
    paragraph(
      link(
        `${pageHref}?lead_provider=${encodeURIComponent(leadProvider.id)}`,
        words.back(leadProvider.name),
      ),
    ),
  ])
}
