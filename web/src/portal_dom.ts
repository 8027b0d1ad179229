/// <reference lib="dom" />
/**
 * GOV.UK components for the signed-in portals (lead providers, DfE support), each rendered in the
 * browser from `templates/portal/<name>.njk`, that is from govuk-frontend's own macros, by
 * `portal_templates.ts`; this module only turns the portals' data into their parameters and wires
 * up events. Everything from the service goes in as text, never as markup, so a school name can
 * never inject anything. `h()` makes plain elements (forms, containers) that carry no GOV.UK
 * styling of their own.
 */
import { type Child, html, renderElement } from './portal_templates.ts'
import { serviceName } from './site.ts'
import { pageWords } from './portal_words.ts'

export type { Child }
type Attributes = Record<string, string | number | boolean | undefined>

/** `h('form', { novalidate: true }, child, otherChild)`. */
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
  document.title = pageWords.title(title, serviceName, hasErrors)
  const target = root.querySelector<HTMLElement>('[data-module="govuk-error-summary"]') ??
    root.querySelector<HTMLElement>('h1')
  if (target) {
    target.tabIndex = -1
    target.focus()
  }
}

/** The page's heading (an `h1`), with a caption above it if given. */
export function heading(text: Child, size: 'xl' | 'l' | 'm' = 'l', caption?: string): HTMLElement {
  return renderElement('heading', { level: 1, size, caption, html: html(text) })
}

/** A heading within the page: `h2` (or `h3`) in GOV.UK's medium size unless told. */
export function subheading(
  text: Child,
  { level = 2, size = 'm' }: { level?: 2 | 3; size?: 'l' | 'm' | 's' } = {},
): HTMLElement {
  return renderElement('heading', { level, size, html: html(text) })
}

/** A caption on its own, above a heading that a component makes (a radios legend). */
export function caption(text: string): HTMLElement {
  return renderElement('caption', { text })
}

export function paragraph(...children: Child[]): HTMLElement {
  return renderElement('paragraph', { html: html(...children) })
}

/** A paragraph read out by screen readers when it changes: progress, counts of results. */
export function statusParagraph(...children: Child[]): HTMLElement {
  return renderElement('paragraph', { html: html(...children), status: true })
}

export function link(href: string, ...children: Child[]): HTMLElement {
  return renderElement('link', { href, html: html(...children) })
}

/** GOV.UK back link: to an address, or to an earlier step of the same page. */
export function backLink(to: string | (() => void)): HTMLElement {
  const back = renderElement('back_link', { href: typeof to === 'string' ? to : '#' })
  if (typeof to !== 'string') onClick(back, to)
  return back
}

/** A bulleted list; each item is one child or several (left out when there are none). */
export function bulletList(items: (Child | Child[])[]): HTMLElement {
  return renderElement('list', { items: listItems(items), bullet: true })
}

/** A list without bullets: links to pages, one per line. */
export function plainList(items: (Child | Child[])[]): HTMLElement {
  return renderElement('list', { items: listItems(items) })
}

function listItems(items: (Child | Child[])[]): string[] {
  return items.map((item) => Array.isArray(item) ? nodes(item) : nodes([item]))
    .filter((item) => item.length > 0).map((item) => html(...item))
}

export function visuallyHidden(text: string): HTMLElement {
  return renderElement('visually_hidden', { text })
}

/** A block of the page with space below it (a `nav` of links to pages if told); `label` names it. */
export function section(
  { label, space, element }: { label?: string; space?: 6 | 9; element?: 'nav' },
  ...children: Child[]
): HTMLElement {
  return renderElement('section', { label, space, element, html: html(...children) })
}

/** A GOV.UK button; `inline` leaves no space below it, for one in a table row. */
export function button(
  text: Child | Child[],
  { secondary = false, warning = false, type = 'submit', inline = false }: {
    secondary?: boolean
    warning?: boolean
    type?: 'submit' | 'button'
    inline?: boolean
  } = {},
): HTMLButtonElement {
  const variant = warning ? 'warning' : secondary ? 'secondary' : undefined
  const content = Array.isArray(text) ? html(...text) : html(text)
  return renderElement('button', { html: content, type, variant, inline }) as HTMLButtonElement
}

export function buttonGroup(...buttons: Child[]): HTMLElement {
  return renderElement('button_group', { html: html(...buttons) })
}

export type FieldError = { field?: string; text: string }

/** GOV.UK error summary; each message links to its field, if it has one. */
export function errorSummary(errors: FieldError[]): HTMLElement | null {
  if (errors.length === 0) return null
  return renderElement('error_summary', {
    errors: errors.map(({ field, text }) => ({ text, href: field ? `#${field}` : undefined })),
  })
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
  return renderElement('radios', {
    name,
    legend,
    hint,
    error,
    items: items.map(({ value, text }) => ({ value, text, checked: value === checked })),
  })
}

type FieldOptions = { id: string; label: string; hint?: string; error?: string }

/** A field and its control, to read the person's answer from. */
export type Field<Control> = { group: HTMLElement; control: Control }

/** A labelled GOV.UK text input with its hint and error. */
export function inputField(
  options: FieldOptions & {
    type?: 'text' | 'email' | 'search'
    value?: string
    autocomplete?: string
    inputmode?: 'numeric'
    spellcheck?: boolean
    readonly?: boolean
    width?: '5' | 'two-thirds'
  },
): Field<HTMLInputElement> {
  return field<HTMLInputElement>({ kind: 'input', type: 'text', ...options })
}

/** A labelled GOV.UK textarea with its hint and error. */
export function textareaField(
  options: FieldOptions & { rows: number; spellcheck: boolean; value?: string },
): Field<HTMLTextAreaElement> {
  return field<HTMLTextAreaElement>({ kind: 'textarea', ...options })
}

/** A labelled GOV.UK file upload with its hint and error. */
export function fileField(options: FieldOptions & { accept: string }): Field<HTMLInputElement> {
  return field<HTMLInputElement>({ kind: 'file', ...options })
}

function field<Control extends HTMLElement>(
  params: FieldOptions & Record<string, unknown>,
): Field<Control> {
  const group = renderElement('field', params)
  return { group, control: group.querySelector<Control>(`#${params.id}`)! }
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
  return renderElement('table', {
    caption,
    label,
    head: head.map((text) => ({ text })),
    rows: rows.map((cells) => cells.map((cell) => ({ html: html(cell) }))),
  })
}

export function summaryList(rows: [string, Child][]): HTMLElement {
  return renderElement('summary_list', {
    rows: rows.map(([key, value]) => ({ key: { text: key }, value: { html: html(value) } })),
  })
}

/** GOV.UK warning text: what will happen that cannot be undone, or needs checking first. */
export function warningText(...children: Child[]): HTMLElement {
  return renderElement('warning_text', { html: html(...children) })
}

/** GOV.UK inset text: something the person should notice, set apart from the text around it. */
export function insetText(...children: Child[]): HTMLElement {
  return renderElement('inset_text', { html: html(...children) })
}

export type TagColour = 'red' | 'grey' | 'green' | 'blue' | 'yellow' | 'orange'

export function tag(text: string, colour: TagColour): HTMLElement {
  return renderElement('tag', { text, colour })
}

export function panel(title: string, body?: Child): HTMLElement {
  return renderElement('panel', { title, html: body ? html(body) : undefined })
}

/** GOV.UK notification banner; `success` for something that just happened. */
export function notificationBanner(
  { title, heading: text, body = [], success = false }: {
    title?: string
    heading: string
    body?: Child[]
    success?: boolean
  },
): HTMLElement {
  return renderElement('notification_banner', {
    title,
    heading: text,
    body: body.map((child) => html(child)),
    success,
    titleId: `banner-title-${Math.random().toString(36).slice(2, 8)}`,
  })
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
  const to = (target: number) => ({
    href: href(target),
    labelText: pageWords.pageOf(target, pages),
  })
  const nav = renderElement('pagination', {
    previous: page > 1 ? to(page - 1) : undefined,
    next: page < pages ? to(page + 1) : undefined,
    label,
  })
  if (go) {
    const previous = nav.querySelector('a[rel="prev"]')
    const next = nav.querySelector('a[rel="next"]')
    if (previous) onClick(previous, () => go(page - 1))
    if (next) onClick(next, () => go(page + 1))
  }
  return nav
}

/** A link or button that acts in the page instead of following its address. */
function onClick(element: Element, act: () => void): void {
  element.addEventListener('click', (event) => {
    event.preventDefault()
    act()
  })
}
