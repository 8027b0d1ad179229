/**
 * Nunjucks set up for GOV.UK Frontend: our templates first, then govuk-frontend's `dist/` so
 * `{% from "govuk/components/..." %}` finds the official macros. Autoescaping is on: every value
 * from a fixture is text, never markup. The site's content module (`site_words.ts`) is every
 * template's globals, beside what the build passes.
 */
import nunjucks from 'nunjucks'
import { fileURLToPath } from 'node:url'
import type { Reason } from './link_details.ts'
import { siteWords } from './site_words.ts'

/** `.../govuk-frontend/dist/`, found through the pinned package rather than a guessed path. */
export const govukFrontendDist = fileURLToPath(
  new URL('../', import.meta.resolve('govuk-frontend')),
)

const templatesDir = fileURLToPath(new URL('../templates/', import.meta.url))

export type Renderer = (template: string, context: Record<string, unknown>) => string

export function createRenderer(globals: Record<string, unknown>): Renderer {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([templatesDir, govukFrontendDist]),
    { autoescape: true, throwOnUndefined: false },
  )
  for (const [name, value] of Object.entries({ ...siteWords, ...globals })) {
    env.addGlobal(name, value)
  }
  env.addFilter(
    'radioItems',
    (reasons: Reason[]) => reasons.map(({ code, label }) => ({ value: code, text: label })),
  )
  return (template, context) => env.render(template, context)
}
