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
import { signInWords as words } from './support_words.ts'

startPortal({
  pages: {
    'sign-in': signInPage(supportSession, {
      heading: words.heading,
      hint: words.hint,
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
    title: words.notAllowedTitle,
    body: [
      paragraph(words.notAllowed),
      paragraph(words.ifItShould, link('/support/sign-out', words.signOut)),
    ],
  },
})
