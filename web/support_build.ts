/**
 * DfE support's pages and menu (`src/support_portal.ts` fills them); `web/build.ts` builds them
 * as every portal is built.
 */
import type { Portal } from './portal_build.ts'

export const supportPortal: Portal = {
  name: 'support',
  scriptEntry: new URL('./src/support_portal.ts', import.meta.url).pathname,
  menuLabel: 'Support menu',
  menu: [
    {
      href: '/support',
      text: 'Find a school',
      pages: ['find-school', 'school', 'report-mistake', 'resend'],
    },
    {
      href: '/support/undelivered-emails',
      text: 'Emails not delivered',
      pages: ['undelivered-emails'],
    },
    { href: '/support/api-tokens', text: 'API tokens', pages: ['api-tokens'] },
    { href: '/support/sign-out', text: 'Sign out' },
  ],
  pages: [
    { file: 'support/index.html', page: 'find-school', title: 'Find a school', navigation: true },
    { file: 'support/sign-in.html', page: 'sign-in', title: 'Sign in', navigation: false },
    { file: 'support/sign-out.html', page: 'sign-out', title: 'Signing out', navigation: false },
    { file: 'support/school.html', page: 'school', title: 'School', navigation: true },
    {
      file: 'support/report-a-mistake.html',
      page: 'report-mistake',
      title: 'Report a mistake for the school',
      navigation: true,
    },
    {
      file: 'support/resend-email.html',
      page: 'resend',
      title: 'Send the email to a corrected address',
      navigation: true,
    },
    {
      file: 'support/undelivered-emails.html',
      page: 'undelivered-emails',
      title: 'Emails that could not be delivered',
      navigation: true,
    },
    {
      file: 'support/api-tokens.html',
      page: 'api-tokens',
      title: 'Lead Provider API tokens',
      navigation: true,
    },
  ],
}
