/**
 * The signed-in portals' pages for the static site (lead providers, DfE support): one frame per
 * page, filled in the browser by the portal's one script. `web/build.ts` renders them with the
 * site's renderer and bundles each portal's script beside the report page's.
 */
import type { Renderer } from './src/render.ts'

export type Portal = {
  /** Bundle name and template folder: `templates/<name>/page.njk`. */
  name: string
  /** The script to bundle for the browser. */
  scriptEntry: string
  menuLabel: string
  /** The menu shown once signed in; an item is current on the `pages` it lists. */
  menu: { href: string; text: string; pages?: string[] }[]
  pages: PortalPageFrame[]
}

export type PortalPageFrame = { file: string; page: string; title: string; navigation: boolean }

/** What every page of a portal links to: the stylesheet, and the portal's bundled script. */
export type PortalAssets = { stylesheet: string; script: string; assetPath: string }

/** Output file -> HTML for every page of `portal`. */
export function renderPortalPages(
  render: Renderer,
  portal: Portal,
  assets: PortalAssets,
): Map<string, string> {
  return new Map(
    portal.pages.map((frame) => [frame.file, renderPortalPage(render, portal, frame, assets)]),
  )
}

/** One page's frame; `extra` adds to what its template is given (a preview's fixture). */
export function renderPortalPage(
  render: Renderer,
  portal: Portal,
  { page, title, navigation }: PortalPageFrame,
  { stylesheet, script, assetPath }: PortalAssets,
  extra: Record<string, unknown> = {},
): string {
  return render(`${portal.name}/page.njk`, {
    stylesheet,
    scripts: [{ src: '/config.js' }, { src: `${assetPath}/${script}`, module: true }],
    pageTitle: title,
    page,
    menuLabel: portal.menuLabel,
    menuItems: navigation &&
      portal.menu.map(({ href, text, pages = [] }) => ({
        href,
        text,
        active: pages.includes(page),
      })),
    ...extra,
  })
}
