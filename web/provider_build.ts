/**
 * The lead provider portal's pages and menu (`src/provider_portal.ts` fills them, with
 * `@supabase/auth-js` for sign-in); `web/build.ts` builds them as every portal is built.
 */
import type { Portal } from './portal_build.ts'

export const providerPortal: Portal = {
  name: 'provider',
  scriptEntry: new URL('./src/provider_portal.ts', import.meta.url).pathname,
  menuLabel: 'Lead provider menu',
  menu: [
    { href: '/provider', text: 'Home', pages: ['dashboard'] },
    { href: '/provider/report-schools', text: 'Report schools', pages: ['report-schools'] },
    { href: '/provider/schools', text: 'Your schools', pages: ['schools', 'school'] },
    { href: '/provider/api-tokens', text: 'API tokens', pages: ['api-tokens'] },
    { href: '/provider/sign-out', text: 'Sign out' },
  ],
  pages: [
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
    { file: 'provider/api-tokens.html', page: 'api-tokens', title: 'API tokens', navigation: true },
  ],
}
