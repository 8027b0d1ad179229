/**
 * Precompiles the portals' components for the browser: every template in `templates/portal/`
 * and the govuk-frontend templates they reach (their `from`, `import` and `include` tags,
 * followed), and nothing else, so a portal's script carries only the components it uses. The
 * result is an ES module that `src/portal_templates.ts` runs with nunjucks' slim runtime: the
 * portals and the static pages render GOV.UK markup from the same templates.
 */
import nunjucks from 'nunjucks'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { govukFrontendDist } from './src/render.ts'

const templatesDir = fileURLToPath(new URL('./templates/', import.meta.url))
const portalFolder = 'portal/'

/** `{% from "x" import ... %}`, `{% import 'x' as ... %}`, `{% include "x" %}`, `{% extends "x" %}`. */
const reference = /\{%-?\s*(?:from|import|include|extends)\s+(["'])([^"']+)\1/g

/** The portal templates' names (`portal/button.njk`...) and every template they need. */
export async function portalTemplateNames(): Promise<string[]> {
  const names = new Set<string>()
  const pending: string[] = []
  for await (const entry of Deno.readDir(join(templatesDir, portalFolder))) {
    if (entry.isFile && entry.name.endsWith('.njk')) pending.push(portalFolder + entry.name)
  }
  while (pending.length > 0) {
    const name = pending.pop()!
    if (names.has(name)) continue
    names.add(name)
    for (const [, , target] of (await readTemplate(name)).matchAll(reference)) {
      pending.push(resolveTemplate(name, target!))
    }
  }
  return [...names].sort()
}

/**
 * What nunjucks' loader does with a relative name ("../hint/macro.njk" from
 * "govuk/components/radios/template.njk"); the browser side resolves the same way.
 */
export function resolveTemplate(from: string, name: string): string {
  return name.startsWith('./') || name.startsWith('../')
    ? new URL(name, `file:///${from}`).pathname.slice(1)
    : name
}

/** The ES module of precompiled templates: `export default { "<name>": { root }, ... }`. */
export async function precompilePortalTemplates(): Promise<string> {
  const env = new nunjucks.Environment([], { autoescape: true })
  const entries = []
  for (const name of await portalTemplateNames()) {
    const code = nunjucks.precompileString(await readTemplate(name), {
      name,
      env,
      wrapper: (templates: { template: string }[]) => templates[0]!.template,
    })
    entries.push(`${JSON.stringify(name)}: (function () {${code}})()`)
  }
  return `export default {\n${entries.join(',\n')}\n}\n`
}

/**
 * Writes, into `dir`, an entry module for `scriptEntry` that first hands the precompiled
 * templates to `src/portal_templates.ts` (modules run in import order), then runs the portal.
 * Returns the entry's path, for the bundler.
 */
export async function writePortalEntry(dir: string, scriptEntry: string): Promise<string> {
  const runtime = new URL('./src/portal_templates.ts', import.meta.url).href
  await Deno.mkdir(dir, { recursive: true })
  await Deno.writeTextFile(join(dir, 'templates.js'), await precompilePortalTemplates())
  await Deno.writeTextFile(
    join(dir, 'install.js'),
    `import templates from './templates.js'\nimport { useTemplates } from '${runtime}'\n` +
      'useTemplates(templates)\n',
  )
  const entry = join(dir, 'entry.js')
  await Deno.writeTextFile(
    entry,
    `import './install.js'\nimport '${new URL(`file://${scriptEntry}`).href}'\n`,
  )
  return entry
}

function readTemplate(name: string): Promise<string> {
  return Deno.readTextFile(
    name.startsWith(portalFolder) ? join(templatesDir, name) : join(govukFrontendDist, name),
  )
}
