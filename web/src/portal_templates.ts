/**
 * The signed-in portals' one way to make GOV.UK markup: the templates in `templates/portal/`,
 * which call govuk-frontend's own Nunjucks macros, precompiled at build time
 * (`web/portal_templates_build.ts`) and run here by nunjucks' slim runtime, the same templates
 * the static pages are rendered with. Autoescape is on: a value from the service goes in as text.
 * Markup passed in goes through `html()`, which escapes every string and keeps each DOM node
 * (with its event listeners) as a slot that `renderElement()` puts back in place.
 */
import slim from 'nunjucks/browser/nunjucks-slim.js'

/** A DOM node, some text, or nothing (left out). */
export type Child = Node | string | number | null | undefined | false

/** Markup made by `html()`: every string in it escaped. Nothing else produces this type. */
export type Html = string & { readonly safeHtml: unique symbol }

type Template = { root: unknown }
type Environment = { render(name: string, context: Record<string, unknown>): string }
type Slim = {
  Environment: new (loader: unknown, options: { autoescape: boolean }) => Environment
  PrecompiledLoader: new (templates: Record<string, Template>) => {
    resolve?: (from: string, name: string) => string
  }
  lib: { escape(text: string): string }
}

const runtime = slim as Slim
let environment: Environment | null = null

/** Called once, before the portal runs, with the build's precompiled templates. */
export function useTemplates(templates: Record<string, Template>): void {
  const loader = new runtime.PrecompiledLoader(templates)
  // As the build resolves them: "../hint/macro.njk" relative to the template that names it.
  loader.resolve = (from, name) => new URL(name, `file:///${from}`).pathname.slice(1)
  environment = new runtime.Environment(loader, { autoescape: true })
}

/** `templates/portal/<name>.njk` rendered with `params`, as a string of markup. */
export function renderHtml(name: string, params: Record<string, unknown>): Html {
  if (!environment) throw new Error('useTemplates() has not been called')
  return environment.render(`portal/${name}.njk`, { params }) as Html
}

const slots = new Map<string, Node>()
let nextSlot = 0

/** Text (escaped) and nodes (kept as slots) as markup to pass to a template. */
export function html(...children: Child[]): Html {
  return children.map((child) => {
    if (child === null || child === undefined || child === false) return ''
    if (typeof child === 'string' || typeof child === 'number') {
      return runtime.lib.escape(String(child))
    }
    const id = String(nextSlot++)
    slots.set(id, child)
    return `<template data-app-slot="${id}"></template>`
  }).join('') as Html
}

/** `templates/portal/<name>.njk` rendered with `params`, as an element, its slots filled. */
export function renderElement(name: string, params: Record<string, unknown>): HTMLElement {
  const template = document.createElement('template')
  template.innerHTML = renderHtml(name, params)
  for (const slot of template.content.querySelectorAll('template[data-app-slot]')) {
    const id = slot.getAttribute('data-app-slot')!
    const node = slots.get(id)
    slots.delete(id)
    if (node) slot.replaceWith(node)
    else slot.remove()
  }
  const element = template.content.firstElementChild
  if (!(element instanceof HTMLElement)) throw new Error(`portal/${name}.njk made no element`)
  return element
}
