/// <reference lib="dom" />
/** The lead provider portal's one script: its pages, and what it says to someone it refuses. */
import { link, paragraph } from './portal_dom.ts'
import { signInPage } from './portal_sign_in.ts'
import { startPortal } from './portal_start.ts'
import { providerSession } from './provider_api.ts'
import { showApiTokens } from './provider_api_tokens.ts'
import { showDashboard } from './provider_dashboard.ts'
import { showReportSchools } from './provider_report.ts'
import { showSchool } from './provider_school.ts'
import { showSchools } from './provider_schools.ts'
import { signInWords as words } from './provider_words.ts'

startPortal({
  pages: {
    'sign-in': signInPage(providerSession, {
      heading: words.heading,
      hint: words.hint,
    }),
    'sign-out': () => providerSession.signOut(),
    dashboard: showDashboard,
    'report-schools': showReportSchools,
    schools: showSchools,
    school: showSchool,
    'api-tokens': showApiTokens,
  },
  notAllowedCode: 'not_a_provider_user',
  notAllowed: {
    title: words.notAllowedTitle,
    body: [
      paragraph(words.notAllowed),
      paragraph(words.ifItShould, link('/provider/sign-out', words.signOut)),
    ],
  },
})
