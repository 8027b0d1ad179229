/// <reference lib="dom" />
/** DfE support's one script: its pages, and what it says to someone who is not a support user. */
import { link, paragraph } from './portal_dom.ts'
import { signInPage } from './portal_sign_in.ts'
import { startPortal } from './portal_start.ts'
import { supportSession } from './support_api.ts'
import { showSupportApiTokens } from './support_api_tokens.ts'
import { showReportMistake } from './support_challenge.ts'
import { showFindSchool } from './support_find.ts'
import { showResend } from './support_resend.ts'
import { showSchool } from './support_school.ts'
import { showUndelivered } from './support_undelivered.ts'

startPortal({
  pages: {
    'sign-in': signInPage(supportSession, {
      heading: 'Sign in to the DfE support tools',
      hint: 'Use your Department for Education email address',
    }),
    'sign-out': () => supportSession.signOut(),
    'find-school': showFindSchool,
    school: showSchool,
    'report-mistake': showReportMistake,
    resend: showResend,
    'undelivered-emails': showUndelivered,
    'api-tokens': showSupportApiTokens,
  },
  notAllowedCode: 'not_support_user',
  notAllowed: {
    title: 'You do not have access',
    body: [
      paragraph('Your account is not set up for the Department for Education’s support tools.'),
      paragraph(
        'If you think it should be, ask the service team to add you. ',
        link('/support/sign-out', 'Sign out'),
      ),
    ],
  },
})
