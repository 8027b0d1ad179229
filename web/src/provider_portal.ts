/// <reference lib="dom" />
/**
 * The lead provider portal's one script: every portal page names itself in
 * `data-app-provider-page` and this shows it. A failure ends on a page that says what to do.
 */
import { ApiError } from './provider_api.ts'
import { showDashboard } from './provider_dashboard.ts'
import { heading, link, paragraph, showPage } from './provider_dom.ts'
import { showReportSchools } from './provider_report.ts'
import { showSchool } from './provider_school.ts'
import { showSchools } from './provider_schools.ts'
import { signOut } from './provider_session.ts'
import { showSignIn } from './provider_sign_in.ts'

const pages: Record<string, (root: HTMLElement) => void | Promise<void>> = {
  'sign-in': showSignIn,
  'sign-out': () => signOut(),
  dashboard: showDashboard,
  'report-schools': showReportSchools,
  schools: showSchools,
  school: showSchool,
}

const root = document.querySelector<HTMLElement>('[data-app-provider-page]')
if (root) void show(root)

async function show(root: HTMLElement): Promise<void> {
  const page = pages[root.dataset.appProviderPage ?? '']
  try {
    if (!page) throw new Error('unknown portal page')
    await page(root)
  } catch (failure) {
    if (failure instanceof ApiError && failure.code === 'not_a_provider_user') {
      showPage(root, 'You cannot use this service', [
        heading('You cannot use this service'),
        paragraph('Your account is not set up for a lead provider.'),
        paragraph(
          'If you think it should be, contact the Department for Education. ',
          link('/provider/sign-out', 'Sign out'),
        ),
      ])
      return
    }
    showPage(root, 'Sorry, there is a problem with the service', [
      heading('Sorry, there is a problem with the service'),
      paragraph('Try again later.'),
      paragraph('Nothing you confirmed before this message has been lost.'),
    ])
  }
}
