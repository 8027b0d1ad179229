/**
 * The lead provider portal's pages for the static site: one frame per page, filled in the
 * browser by one script (`src/provider_portal.ts`, with `@supabase/supabase-js` for sign-in).
 * `web/build.ts` renders them with the site's renderer and bundles the script beside the
 * report page's.
 */
import type { Renderer } from './src/render.ts'

/** The script to bundle for the browser. */
export const providerScriptEntry = new URL('./src/provider_portal.ts', import.meta.url).pathname

type PortalPage = { file: string; page: string; title: string; navigation: boolean }

export const providerPages: PortalPage[] = [
  { file: 'provider/index.html', page: 'dashboard', title: 'Your home page', navigation: true },
  { file: 'provider/sign-in.html', page: 'sign-in', title: 'Sign in', navigation: false },
  { file: 'provider/sign-out.html', page: 'sign-out', title: 'Signing out', navigation: false },
  {
    file: 'provider/report-schools.html',
    page: 'report-schools',
    title: 'Report schools',
    navigation: true,
  },
  { file: 'provider/schools.html', page: 'schools', title: 'Your schools', navigation: true },
  { file: 'provider/school.html', page: 'school', title: 'School', navigation: true },
]

/** Output file -> HTML for every portal page; `script` is the bundled script's file name. */
export function renderProviderPages(
  render: Renderer,
  { stylesheet, script, assetPath }: { stylesheet: string; script: string; assetPath: string },
): Map<string, string> {
  return new Map(providerPages.map(({ file, page, title, navigation }) => [
    file,
    render('provider/page.njk', {
      stylesheet,
      scripts: [{ src: '/config.js' }, { src: `${assetPath}/${script}`, module: true }],
      pageTitle: title,
      page,
      navigation,
    }),
  ]))
}
