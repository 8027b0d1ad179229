/// <reference lib="dom" />
/**
 * GOV.UK Frontend markup built in the browser for the signed-in portals (lead providers, DfE
 * support). Everything from the service goes in as text nodes, never as markup, so a school name
 * can never inject anything.
 */
import { serviceName } from './site.ts'

export type Child = Node | string | number | null | undefined | false
type Attributes = Record<string, string | number | boolean | undefined>

/** `h('p', { class: 'govuk-body' }, 'text', otherNode)`. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue
    element.setAttribute(name, value === true ? '' : String(value))
  }
  element.append(...nodes(children))
  return element
}

function nodes(children: Child[]): (Node | string)[] {
  return children.filter((child) => child !== null && child !== undefined && child !== false)
    .map((child) => typeof child === 'number' ? String(child) : child as Node | string)
}

/**
 * Replaces what the page shows, sets its title (with GOV.UK's "Error: " prefix when the page
 * shows errors) and moves focus to the error summary or the heading, so screen reader users hear
 * what changed.
 */
export function showPage(
  root: HTMLElement,
  title: string,
  children: Child[],
  { hasErrors = false }: { hasErrors?: boolean } = {},
): void {
  root.replaceChildren(...nodes(children))
  document.title = `${hasErrors ? 'Error: ' : ''}${title} - ${serviceName} - GOV.UK`
  const target = root.querySelector<HTMLElement>('.govuk-error-summary') ??
    root.querySelector<HTMLElement>('h1')
  if (target) {
    target.tabIndex = -1
    target.focus()
  }
}

export function heading(text: Child, size: 'xl' | 'l' | 'm' = 'l', caption?: string): HTMLElement {
  return h(
    'h1',
    { class: `govuk-heading-${size}` },
    caption ? h('span', { class: `govuk-caption-${size === 'xl' ? 'l' : size}` }, caption) : null,
    text,
  )
}

export function paragraph(...children: Child[]): HTMLElement {
  return h('p', { class: 'govuk-body' }, ...children)
}

export function link(href: string, ...children: Child[]): HTMLElement {
  return h('a', { class: 'govuk-link', href }, ...children)
}

/** GOV.UK back link: to an address, or to an earlier step of the same page. */
export function backLink(to: string | (() => void)): HTMLElement {
  const back = h('a', { href: typeof to === 'string' ? to : '#', class: 'govuk-back-link' }, 'Back')
  if (typeof to !== 'string') {
    back.addEventListener('click', (event) => {
      event.preventDefault()
      to()
    })
  }
  return back
}

export function bulletList(items: Child[]): HTMLElement {
  return h(
    'ul',
    { class: 'govuk-list govuk-list--bullet' },
    ...items.map((item) => h('li', {}, item)),
  )
}

export function visuallyHidden(text: string): HTMLElement {
  return h('span', { class: 'govuk-visually-hidden' }, text)
}

export function button(
  text: Child,
  { secondary = false, type = 'submit' }: { secondary?: boolean; type?: string } = {},
): HTMLButtonElement {
  return h('button', {
    type,
    class: `govuk-button${secondary ? ' govuk-button--secondary' : ''}`,
    'data-module': 'govuk-button',
  }, text)
}

export function buttonGroup(...buttons: Child[]): HTMLElement {
  return h('div', { class: 'govuk-button-group' }, ...buttons)
}

export type FieldError = { field?: string; text: string }

/** GOV.UK error summary; each message links to its field, if it has one. */
export function errorSummary(errors: FieldError[]): HTMLElement | null {
  if (errors.length === 0) return null
  return h(
    'div',
    { class: 'govuk-error-summary', 'data-module': 'govuk-error-summary' },
    h(
      'div',
      { role: 'alert' },
      h('h2', { class: 'govuk-error-summary__title' }, 'There is a problem'),
      h(
        'div',
        { class: 'govuk-error-summary__body' },
        h(
          'ul',
          { class: 'govuk-list govuk-error-summary__list' },
          ...errors.map((error) =>
            h('li', {}, error.field ? h('a', { href: `#${error.field}` }, error.text) : error.text)
          ),
        ),
      ),
    ),
  )
}

function errorMessage(id: string, text: string | undefined): HTMLElement | null {
  return text
    ? h('p', { id: `${id}-error`, class: 'govuk-error-message' }, visuallyHidden('Error: '), text)
    : null
}

function describedBy(id: string, hint: string | undefined, error: string | undefined) {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') ||
    undefined
}

/** GOV.UK radios in a fieldset whose legend is the page heading. */
export function radios({ name, legend, hint, items, error, checked }: {
  name: string
  legend: string
  hint?: string
  items: { value: string; text: string }[]
  error?: string
  checked?: string
}): HTMLElement {
  return h(
    'div',
    { class: `govuk-form-group${error ? ' govuk-form-group--error' : ''}` },
    h(
      'fieldset',
      { class: 'govuk-fieldset', 'aria-describedby': describedBy(name, hint, error) },
      h(
        'legend',
        { class: 'govuk-fieldset__legend govuk-fieldset__legend--l' },
        h('h1', { class: 'govuk-fieldset__heading' }, legend),
      ),
      hint ? h('div', { id: `${name}-hint`, class: 'govuk-hint' }, hint) : null,
      errorMessage(name, error),
      h(
        'div',
        { class: 'govuk-radios', 'data-module': 'govuk-radios' },
        ...items.map((item, index) => {
          const id = index === 0 ? name : `${name}-${index + 1}`
          return h(
            'div',
            { class: 'govuk-radios__item' },
            h('input', {
              class: 'govuk-radios__input',
              id,
              name,
              type: 'radio',
              value: item.value,
              checked: item.value === checked,
            }),
            h('label', { class: 'govuk-label govuk-radios__label', for: id }, item.text),
          )
        }),
      ),
    ),
  )
}

/** A labelled input, textarea or file upload with GOV.UK's hint and error. */
export function field({ id, label, hint, error, control }: {
  id: string
  label: string
  hint?: string
  error?: string
  control: HTMLElement
}): HTMLElement {
  control.id = id
  control.setAttribute('name', id)
  const described = describedBy(id, hint, error)
  if (described) control.setAttribute('aria-describedby', described)
  if (error) control.classList.add(`${control.classList[0]}--error`)
  return h(
    'div',
    { class: `govuk-form-group${error ? ' govuk-form-group--error' : ''}` },
    h('label', { class: 'govuk-label govuk-label--s', for: id }, label),
    hint ? h('div', { id: `${id}-hint`, class: 'govuk-hint' }, hint) : null,
    errorMessage(id, error),
    control,
  )
}

/**
 * A GOV.UK table inside a region that scrolls sideways when the table is wider than the screen,
 * so the page itself reflows at 320px; the region is named by the caption, else by `label`.
 */
export function table({ caption, label, head, rows }: {
  caption?: string
  label?: string
  head: string[]
  rows: Child[][]
}): HTMLElement {
  return h(
    'div',
    { class: 'app-table-scroll', role: 'region', 'aria-label': caption ?? label, tabindex: 0 },
    govukTable({ caption, head, rows }),
  )
}

function govukTable({ caption, head, rows }: {
  caption?: string
  head: string[]
  rows: Child[][]
}): HTMLElement {
  return h(
    'table',
    { class: 'govuk-table' },
    caption
      ? h('caption', { class: 'govuk-table__caption govuk-table__caption--m' }, caption)
      : null,
    h(
      'thead',
      { class: 'govuk-table__head' },
      h(
        'tr',
        { class: 'govuk-table__row' },
        ...head.map((text) => h('th', { scope: 'col', class: 'govuk-table__header' }, text)),
      ),
    ),
    h(
      'tbody',
      { class: 'govuk-table__body' },
      ...rows.map((cells) =>
        h(
          'tr',
          { class: 'govuk-table__row' },
          ...cells.map((cell) => h('td', { class: 'govuk-table__cell' }, cell)),
        )
      ),
    ),
  )
}

export function summaryList(rows: [string, Child][]): HTMLElement {
  return h(
    'dl',
    { class: 'govuk-summary-list' },
    ...rows.map(([key, value]) =>
      h(
        'div',
        { class: 'govuk-summary-list__row' },
        h('dt', { class: 'govuk-summary-list__key' }, key),
        h('dd', { class: 'govuk-summary-list__value' }, value),
      )
    ),
  )
}

/** GOV.UK warning text: what will happen that cannot be undone, or needs checking first. */
export function warningText(...children: Child[]): HTMLElement {
  return h(
    'div',
    { class: 'govuk-warning-text' },
    h('span', { class: 'govuk-warning-text__icon', 'aria-hidden': 'true' }, '!'),
    h('strong', { class: 'govuk-warning-text__text' }, visuallyHidden('Warning'), ...children),
  )
}

export type TagColour = 'red' | 'grey' | 'green' | 'blue' | 'yellow' | 'orange'

export function tag(text: string, colour: TagColour): HTMLElement {
  return h('strong', { class: `govuk-tag govuk-tag--${colour}` }, text)
}

export function panel(title: string, body?: Child): HTMLElement {
  return h(
    'div',
    { class: 'govuk-panel govuk-panel--confirmation' },
    h('h1', { class: 'govuk-panel__title' }, title),
    body ? h('div', { class: 'govuk-panel__body' }, body) : null,
  )
}

/** GOV.UK notification banner; `success` for something that just happened. */
export function notificationBanner(
  { title = 'Important', heading: text, body = [], success = false }: {
    title?: string
    heading: string
    body?: Child[]
    success?: boolean
  },
): HTMLElement {
  const titleId = `banner-title-${Math.random().toString(36).slice(2, 8)}`
  return h(
    'div',
    {
      class: `govuk-notification-banner${success ? ' govuk-notification-banner--success' : ''}`,
      role: success ? 'alert' : 'region',
      'aria-labelledby': titleId,
      'data-module': 'govuk-notification-banner',
    },
    h(
      'div',
      { class: 'govuk-notification-banner__header' },
      h(
        'h2',
        { class: 'govuk-notification-banner__title', id: titleId },
        success ? 'Success' : title,
      ),
    ),
    h(
      'div',
      { class: 'govuk-notification-banner__content' },
      h('p', { class: 'govuk-notification-banner__heading' }, text),
      ...body.map((child) => h('p', { class: 'govuk-body' }, child)),
    ),
  )
}

/** "2026 to 2027" for the cohort starting in 2026. */
export function cohortLabel(startYear: number): string {
  return `${startYear} to ${startYear + 1}`
}

const longDate = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
})

/** "29 November 2026", as people in England saw the day. */
export function formatDate(iso: string): string {
  return longDate.format(new Date(iso))
}

const time = new Intl.DateTimeFormat('en-GB', {
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
  timeZone: 'Europe/London',
})

/** "29 November 2026 at 9:05am", GOV.UK's style for a moment in time, in England's time. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso)
  return `${longDate.format(date)} at ${time.format(date).replace(/\s/g, '').toLowerCase()}`
}

export function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString('en-GB')} ${count === 1 ? one : many}`
}

/**
 * GOV.UK pagination (block style: previous and next, with "2 of 5"). `href` gives each page's
 * address; with `go`, a click shows that page in place instead (pages of one step of a journey).
 */
export function pagination(
  page: number,
  pages: number,
  href: (page: number) => string,
  label: string,
  go?: (page: number) => void,
): HTMLElement {
  const pageLink = (to: number, direction: 'prev' | 'next', text: string) => {
    const anchor = h(
      'a',
      { class: 'govuk-link govuk-pagination__link', href: href(to), rel: direction },
      h('span', { class: 'govuk-pagination__link-title' }, text, visuallyHidden(' page')),
      visuallyHidden(':'),
      h('span', { class: 'govuk-pagination__link-label' }, `${to} of ${pages}`),
    )
    if (go) {
      anchor.addEventListener('click', (event) => {
        event.preventDefault()
        go(to)
      })
    }
    return h('div', { class: `govuk-pagination__${direction}` }, anchor)
  }
  return h(
    'nav',
    { class: 'govuk-pagination govuk-pagination--block', 'aria-label': label },
    page > 1 ? pageLink(page - 1, 'prev', 'Previous') : null,
    page < pages ? pageLink(page + 1, 'next', 'Next') : null,
  )
}
