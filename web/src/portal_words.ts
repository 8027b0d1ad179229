/**
 * Wording both portals (lead providers, DfE support) say, in one place, one object per page or
 * part of a page: signing in, the page for a problem on our side (GOV.UK's words for it, which
 * the functions send too: `supabase/functions/_shared/wording.ts`), page titles, pagination and
 * the list of Lead Provider API tokens both portals show.
 */
import { serviceProblem } from '../../supabase/functions/_shared/wording.ts'

export { serviceProblem }

/** An email address that is not one. */
export const emailFormatWrong =
  'Enter an email address in the correct format, like name@example.com'

/** The sign-in page's two steps: the email address, then the code emailed to it. */
export const signInWords = {
  title: 'Sign in',
  emailLabel: 'Email address',
  continue: 'Continue',
  signedOut: 'You have signed out',
  willEmail: 'We will email you a code to sign in.',
  stillNotWorking: [
    'If it still does not work, email the Department for Education at the address under ',
    '‘Get help’ at the bottom of this page.',
  ],
  emailRequired: 'Enter your email address',
  tooMany: 'You have asked for too many codes. Wait an hour, then try again',
  notSent: 'We could not send a code to that email address. Try again in a few minutes',
  codeLabel: 'Code',
  codeHint: 'This is 6 numbers',
  sendAgain: 'Send a new code',
  signIn: 'Sign in',
  checkTitle: 'Check your email',
  ifCanUse: ['If ', ' can use this service, we have sent a code to it.'],
  expires: 'The code expires after 1 hour.',
  notArrived: ' if it has not arrived after a few minutes.',
  codeRequired: 'Enter the code from the email',
  codeFormat: 'The code must be 6 numbers',
  codeWrong: 'The code is wrong or has expired. Check the email or send a new code',
} as const

/** The page for a problem on our side. */
export const problemWords = {
  title: serviceProblem,
  tryLater: 'Try again later.',
  nothingLost: 'Nothing you confirmed before this message has been lost.',
} as const

/** Every portal page's title, GOV.UK style, and pagination's "2 of 5". */
export const pageWords = {
  title: (title: string, serviceName: string, hasErrors: boolean) =>
    `${hasErrors ? 'Error: ' : ''}${title} - ${serviceName} - GOV.UK`,
  pageOf: (page: number, pages: number) => `${page} of ${pages}`,
} as const

/** A lead provider's API tokens, as support and the provider's own users see them. */
export const apiTokensListWords = {
  none: 'There are no API tokens yet.',
  status: 'Status',
  revoked: (when: string) => `Revoked ${when}`,
  active: 'Active',
  created: 'Created',
  createdBy: 'Created by',
  notKnown: 'Not known',
  lastUsed: 'Last used',
  notUsed: 'Not used yet',
} as const
