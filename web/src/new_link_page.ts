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
  const input = form.querySelector<HTMLInputElement>('#urn')!
  const pageTitle = document.title
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const button = form.querySelector('button') as HTMLButtonElement
    if (button.disabled) return
    const urn = input.value.trim()
    if (urn === '') {
      return showError(root, input, newLinkWords.urnRequired, pageTitle)
    }
    button.disabled = true
    const answer = await ask(urn)
    button.disabled = false
    switch (answer) {
      case 'sent':
      case 'problem':
        clearError(root, input, pageTitle)
        formPart.hidden = true
        show(root, answer)
        break
      case 'urn_limit':
        showError(root, input, newLinkWords.urnLimit, pageTitle)
        break
      case 'client_limit':
        showError(root, input, newLinkWords.clientLimit, pageTitle)
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

/** GOV.UK's error pattern: "Error: " in the title, a summary linking to the field, the field's message. */
function showError(
  root: HTMLElement,
  input: HTMLInputElement,
  message: string,
  title: string,
) {
  clearError(root, input, title)
  document.title = `Error: ${title}`
  const summary = element('div', 'govuk-error-summary')
  summary.dataset.module = 'govuk-error-summary'
  const body = element('div', 'govuk-error-summary__body')
  const alert = element('div')
  alert.setAttribute('role', 'alert')
  const heading = element(
    'h2',
    'govuk-error-summary__title',
    newLinkWords.errorSummaryTitle,
  )
  const list = element('ul', 'govuk-list govuk-error-summary__list')
  const item = element('li')
  const link = element('a', '', message) as HTMLAnchorElement
  link.href = '#urn'
  item.append(link)
  list.append(item)
  body.append(list)
  alert.append(heading, body)
  summary.append(alert)
  part(root, 'errors').append(summary)

  const group = input.closest('.govuk-form-group')!
  group.classList.add('govuk-form-group--error')
  const fieldError = element('p', 'govuk-error-message')
  fieldError.id = 'urn-error'
  const hidden = element('span', 'govuk-visually-hidden', 'Error:')
  fieldError.append(hidden, ` ${message}`)
  input.before(fieldError)
  input.classList.add('govuk-input--error')
  input.setAttribute('aria-describedby', `urn-hint urn-error`)
  // GOV.UK's error summary moves focus to itself and makes its link focus the field.
  new ErrorSummary(summary)
}

function clearError(
  root: HTMLElement,
  input: HTMLInputElement,
  title: string,
): void {
  document.title = title
  part(root, 'errors').replaceChildren()
  input.closest('.govuk-form-group')?.classList.remove(
    'govuk-form-group--error',
  )
  input.parentElement?.querySelector('#urn-error')?.remove()
  input.classList.remove('govuk-input--error')
  input.setAttribute('aria-describedby', 'urn-hint')
}

function element(tag: string, className = '', text?: string): HTMLElement {
  const made = document.createElement(tag)
  if (className) made.className = className
  if (text !== undefined) made.textContent = text
  return made
}
