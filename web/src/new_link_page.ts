/// <reference lib="dom" />
/**
 * The "Get a new link" page's script: sends the URN to the challenge function and shows the
 * confirmation, which is the same whether or not the URN matched a school, so the page never
 * says which URNs have a partnership. A met limit shows its message as a GOV.UK error.
 */
import { ErrorSummary } from 'govuk-frontend'
import { challengeApiUrl, postToChallenge } from './report_api.ts'
import { newLinkWords } from './new_link_words.ts'

type Answer = 'sent' | 'urn_limit' | 'client_limit' | 'problem'

const root = document.querySelector<HTMLElement>('[data-app-new-link]')
if (root) start(root)

function start(root: HTMLElement): void {
  root.querySelector('.app-new-link__fallback')?.remove()
  const formPart = part(root, 'form')
  formPart.hidden = false
  const form = formPart.querySelector('form') as HTMLFormElement
  // Found afresh each time: an error shows the field again, with its message.
  const field = () => form.querySelector<HTMLInputElement>('#urn')!
  const pageTitle = document.title
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const button = form.querySelector('button') as HTMLButtonElement
    if (button.disabled) return
    const urn = field().value.trim()
    if (urn === '') {
      return showError(root, newLinkWords.urnRequired, pageTitle)
    }
    button.disabled = true
    const answer = await ask(urn)
    button.disabled = false
    switch (answer) {
      case 'sent':
      case 'problem':
        clearError(root, pageTitle)
        formPart.hidden = true
        show(root, answer)
        break
      case 'urn_limit':
        showError(root, newLinkWords.urnLimit, pageTitle)
        break
      case 'client_limit':
        showError(root, newLinkWords.clientLimit, pageTitle)
        break
    }
  })
}

async function ask(urn: string): Promise<Answer> {
  const apiUrl = challengeApiUrl()
  if (!apiUrl) return 'problem'
  try {
    const response = await postToChallenge(apiUrl, 'new-link', { urn })
    const body = await response.json() as { error?: { code?: string } }
    if (response.ok) return 'sent'
    const code = body.error?.code
    return code === 'urn_limit' || code === 'client_limit' ? code : 'problem'
  } catch {
    return 'problem'
  }
}

function part(root: HTMLElement, name: string): HTMLElement {
  return root.querySelector<HTMLElement>(`[data-app-new-link-${name}]`)!
}

function show(root: HTMLElement, which: 'sent' | 'problem'): void {
  const shown = part(root, which)
  shown.hidden = false
  shown.querySelector<HTMLElement>('h1')?.focus()
}

/**
 * GOV.UK's error pattern: "Error: " in the title, a summary linking to the field, the field's
 * message; the summary and the field with its error are the page's own templates, rendered by
 * the build with govuk-frontend's macros, with `message` put in as text.
 */
function showError(root: HTMLElement, message: string, title: string) {
  clearError(root, title)
  document.title = `Error: ${title}`
  const summary = fromTemplate(root, 'error-summary', message)
  part(root, 'errors').append(summary)
  swapField(root, fromTemplate(root, 'error-field', message))
  // GOV.UK's error summary moves focus to itself and makes its link focus the field.
  new ErrorSummary(summary)
}

function clearError(root: HTMLElement, title: string): void {
  document.title = title
  part(root, 'errors').replaceChildren()
  if (part(root, 'field').querySelector('[data-app-new-link-error]')) swapField(root, withoutError)
}

/** The field as the page first showed it, kept to put back once the error is cleared. */
let withoutError: Element

/** Shows `field` in place of the URN field, keeping what the person typed. */
function swapField(root: HTMLElement, field: Element): void {
  const slot = part(root, 'field')
  const typed = slot.querySelector<HTMLInputElement>('#urn')?.value ?? ''
  withoutError ??= slot.firstElementChild!
  slot.replaceChildren(field)
  field.querySelector<HTMLInputElement>('#urn')!.value = typed
}

/** A copy of the page's `data-app-new-link-<name>` template with `message` in its slots. */
function fromTemplate(root: HTMLElement, name: string, message: string): HTMLElement {
  const template = root.querySelector<HTMLTemplateElement>(`template[data-app-new-link-${name}]`)!
  const copy = template.content.cloneNode(true) as DocumentFragment
  for (const slot of copy.querySelectorAll('[data-app-message]')) slot.textContent = message
  const element = copy.firstElementChild as HTMLElement
  element.dataset.appNewLinkError = ''
  return element
}
