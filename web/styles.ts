/**
 * The site's stylesheets, compiled at build time from GOV.UK Frontend's own Sass: its base, core,
 * objects and utilities, and only the components a surface uses, then our few `app-` rules. The
 * whole GOV.UK Frontend stylesheet is 135 KB, most of it components the pages never show; the
 * report page must load in 100 KB all told.
 *
 * Two surfaces, two stylesheets: the public pages (the report page a school opens from its email,
 * "Get a new link", the service's own pages) and the signed-in portals, which need about a dozen
 * more components and GOV.UK's override classes. Schools and the portals' users are different
 * people on different pages, so one shared stylesheet would only make a school's first visit pay
 * for the portals' components. `web/styles_test.ts` fails when a page uses a component its
 * surface's list lacks.
 *
 * Text is set in Arial, not GDS Transport: GOV.UK licenses that typeface only to services on the
 * GOV.UK domain, and this site can be deployed on any static host; its two font files would also
 * be 65 KB of the report page's 100 KB.
 */
import * as sass from 'sass'
import { join } from 'node:path'
import { govukFrontendDist } from './src/render.ts'

export type Surface = {
  /** The stylesheet's file name starts with it: `<name>-<content hash>.css`. */
  name: string
  /** Folders of `govuk-frontend/dist/govuk/components/`. */
  components: readonly string[]
  /** GOV.UK's `govuk-!-` override classes (spacing, width, ...). */
  overrides: boolean
}

const publicComponents = [
  'skip-link',
  'header',
  'service-navigation',
  'phase-banner',
  'tag',
  'footer',
  'button',
  'error-summary',
  'error-message',
  'fieldset',
  'label',
  'hint',
  'input',
  'radios',
  'warning-text',
  'panel',
] as const

/** Every page that is not a portal's. */
export const publicSurface: Surface = {
  name: 'site',
  components: publicComponents,
  overrides: false,
}

/** The lead provider portal and DfE support's pages. */
export const portalSurface: Surface = {
  name: 'portal',
  components: [
    ...publicComponents,
    'back-link',
    'file-upload',
    'inset-text',
    'notification-banner',
    'pagination',
    'summary-list',
    'table',
    'textarea',
  ],
  overrides: true,
}

/** GOV.UK Frontend's Sass, told where its images are served and which typeface to use. */
export function surfaceSass(surface: Surface, imagesUrl: string): string {
  return [
    `@use "govuk/base" with (`,
    `  $govuk-font-family: (arial, sans-serif),`,
    `  $govuk-include-default-font-face: false,`,
    `  $govuk-images-path: ${JSON.stringify(`${imagesUrl}/`)}`,
    `);`,
    `@use "govuk/core";`,
    `@use "govuk/objects";`,
    ...surface.components.map((name) => `@use "govuk/components/${name}";`),
    `@use "govuk/utilities";`,
    ...(surface.overrides ? [`@use "govuk/overrides";`] : []),
  ].join('\n')
}

/** The surface's CSS: GOV.UK Frontend's compiled, minified, then `app.css`. */
export async function compileSurface(surface: Surface, imagesUrl: string): Promise<string> {
  const { css } = sass.compileString(surfaceSass(surface, imagesUrl), {
    loadPaths: [govukFrontendDist],
    style: 'compressed',
    // GOV.UK Frontend's own deprecation notices are theirs to act on, not ours.
    quietDeps: true,
  })
  const ours = await Deno.readTextFile(new URL('./src/app.css', import.meta.url))
  return `${css}\n${ours}`
}

/** The names `govuk-frontend` gives its components: the folders of its `components/`. */
export async function govukComponentNames(): Promise<string[]> {
  const names: string[] = []
  for await (const entry of Deno.readDir(join(govukFrontendDist, 'govuk/components'))) {
    if (entry.isDirectory) names.push(entry.name)
  }
  return names.sort()
}

/**
 * The GOV.UK components whose classes `text` (a page, or a script that builds pages) names:
 * `govuk-<component>`, `govuk-<component>__<element>` or `govuk-<component>--<modifier>`.
 */
export function componentsNamed(text: string, components: readonly string[]): Set<string> {
  const known = new Set(components)
  const found = new Set<string>()
  for (const [, block] of text.matchAll(/\bgovuk-([a-z0-9]+(?:-[a-z0-9]+)*)/g)) {
    if (block && known.has(block)) found.add(block)
  }
  return found
}
