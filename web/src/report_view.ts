/**
 * Shows one report state: copies its `<template>` into the page, fills the slots with text (never
 * markup, so a school name can never inject anything) and sets the page title.
 */
import type { Reason } from './link_details.ts'
import type { ReportStateId } from './report_states.ts'

export type SlotValues = Record<string, string>

export function showState(root: HTMLElement, id: ReportStateId, values: SlotValues): HTMLElement {
  const template = document.getElementById(`app-state-${id}`)
  if (!(template instanceof HTMLTemplateElement)) throw new Error(`No template for state ${id}`)
  const content = template.content.cloneNode(true) as DocumentFragment
  for (const slot of content.querySelectorAll<HTMLElement>('[data-slot]')) {
    slot.replaceWith(values[slot.dataset.slot ?? ''] ?? '')
  }
  root.replaceChildren(content)
  document.title = template.dataset.title ?? document.title
  return root
}

/**
 * The form's radios come from the service, so the reasons' order and words are the database's.
 * The build renders one GOV.UK radio item; each reason gets a copy with GOV.UK's id pattern
 * (`reason`, `reason-2`, ...), so the error summary's `#reason` link reaches the first radio.
 */
export function fillReasons(form: HTMLFormElement, reasons: Reason[]): void {
  const model = form.querySelector('.govuk-radios__item')
  if (!model) throw new Error('The report form has no radio item')
  const items = reasons.map((reason, index) => {
    const item = model.cloneNode(true) as HTMLElement
    const input = item.querySelector('input') as HTMLInputElement
    const label = item.querySelector('label') as HTMLLabelElement
    input.id = index === 0 ? 'reason' : `reason-${index + 1}`
    input.value = reason.code
    label.htmlFor = input.id
    label.textContent = reason.label
    return item
  })
  model.replaceWith(...items)
}

/** Moves focus to the new state's heading, so screen readers announce what happened. */
export function focusHeading(root: HTMLElement): void {
  const heading = root.querySelector<HTMLElement>('h1')
  if (!heading) return
  heading.tabIndex = -1
  heading.focus()
}
