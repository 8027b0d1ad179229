/**
 * A preview of every state of the portals' pages, like the report page's: for each page fixture
 * in `fixtures/<portal>/<state>.json` (the function's answers for that state, see
 * `src/portal_preview.ts`), the portal's page frame carrying the fixture, at
 * `preview/<portal>/<state>.html`, filled in by the portal's own script as a live page would be.
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Portal, type PortalAssets, renderPortalPage } from './portal_build.ts'
import type { PortalFixture } from './src/portal_preview.ts'
import type { Renderer } from './src/render.ts'

/** A preview page: its address on the site and what it shows. */
export type PreviewLink = { href: string; title: string }

const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url))

/** Output file -> HTML for each of `portal`'s fixtures, and the links to them. */
export async function renderPortalPreviews(
  render: Renderer,
  portal: Portal,
  assets: PortalAssets,
): Promise<{ pages: Map<string, string>; links: PreviewLink[] }> {
  const pages = new Map<string, string>()
  const links: PreviewLink[] = []
  for (const [state, fixture] of await readFixtures(portal.name)) {
    const frame = portal.pages.find((candidate) => candidate.page === fixture.page)
    if (!frame) throw new Error(`fixtures/${portal.name}/${state}.json: no page ${fixture.page}`)
    pages.set(
      `preview/${portal.name}/${state}.html`,
      renderPortalPage(render, portal, frame, assets, {
        previewFixture: JSON.stringify(fixture),
      }),
    )
    links.push({ href: `/preview/${portal.name}/${state}`, title: fixture.title })
  }
  return { pages, links }
}

async function readFixtures(folder: string): Promise<[string, PortalFixture][]> {
  const found: [string, PortalFixture][] = []
  for await (const entry of Deno.readDir(join(fixturesDir, folder))) {
    if (!entry.isFile || !entry.name.endsWith('.json')) continue
    const text = await Deno.readTextFile(join(fixturesDir, folder, entry.name))
    found.push([entry.name.slice(0, -'.json'.length), JSON.parse(text)])
  }
  return found.sort(([a], [b]) => a.localeCompare(b))
}
