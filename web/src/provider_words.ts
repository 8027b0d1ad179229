/// <reference lib="dom" />
/**
 * Every word the lead provider portal shows, one object per page or step of reporting, with
 * tiny functions for sentences that take values. Also how it puts a school's email into words:
 * its status as a GOV.UK tag, what to do when the school was not emailed or the email did not
 * arrive, and whom to contact; and the warning before reporting into an academic year that has
 * ended. One place for these sentences, so the list, the school page and the reporting pages
 * agree, and so content designers can review the portal's wording in one file.
 */
import { cohortLabel, link, plural, tag, warningText } from './portal_dom.ts'
import type { EmailStatus, ProviderCohort, SchoolEmail } from './provider_api.ts'

/** A provider with no delivery partner in any cohort has nothing to report yet. */
export const noDeliveryPartners =
  'You do not work with any delivery partners yet. Contact the Department for Education to set this up.'

/** The sign-in page, and the page for someone signed in who is not a lead provider's user. */
export const signInWords = {
  heading: 'Sign in to report schools',
  hint: 'Use the address your organisation gave the Department for Education',
  notAllowedTitle: 'You cannot use this service',
  notAllowed: 'Your account is not set up for a lead provider.',
  ifItShould: 'If you think it should be, contact the Department for Education. ',
  signOut: 'Sign out',
} as const

/** The portal's home. */
export const dashboardWords = {
  caption: 'Lead provider',
  challenged: (count: number) =>
    `${plural(count, 'school has', 'schools have')} reported a mistake`,
  contactSchool: 'Contact the school to find out what went wrong. ',
  seeChallenged: 'See which schools reported a mistake',
  year: (cohort: number) => `${cohortLabel(cohort)} academic year`,
  report: (cohort: number) => `Report schools for ${cohortLabel(cohort)}`,
  schools: (cohort: number) => `Your schools for ${cohortLabel(cohort)}`,
  schoolCount: (schools: number, challenged: number) =>
    ` (${plural(schools, 'school', 'schools')}` +
    (challenged ? `, ${challenged} reported a mistake)` : ')'),
} as const

/** "Your schools": one cohort's schools, searchable, a page at a time. */
export const schoolsWords = {
  title: 'Your schools',
  noneYet: 'You have not reported any schools yet.',
  searchLabel: (cohort: number) => `Search schools in the ${cohortLabel(cohort)} cohort`,
  searchHint: 'By school name, URN or delivery partner',
  search: 'Search',
  download: (cohort: number) => `Download schools for ${cohortLabel(cohort)} (CSV)`,
  years: 'Academic years',
  found: (total: number, q: string) =>
    q
      ? `${plural(total, 'school matches', 'schools match')} “${q}”`
      : plural(total, 'school', 'schools'),
  noMatches: 'There are no matching results.',
  noneThisYear: 'You have not reported any schools for this academic year.',
  caption: (cohort: number) => `Schools for ${cohortLabel(cohort)}`,
  head: ['School', 'URN', 'Delivery partner', 'Status', 'Email to the school'],
  pages: 'Pages of schools',
} as const

/** One of the provider's schools. */
export const schoolWords = {
  notFound: 'School not found',
  notFoundBody: 'We could not find that school in your list. Check the link, or go to ',
  yourSchools: 'your schools',
  challengedHeading: 'This school reported they did not confirm an agreement with you',
  reason: (label: string | null) => `They gave this reason: “${label}”.`,
  ifMistake: 'If you think this is a mistake, contact the school: ',
  ifResolved: '. If it is resolved, you can report the school again.',
  notEmailed: 'We have not emailed this school',
  notReached: 'Our email did not reach this school',
  year: (cohort: number) => `${cohortLabel(cohort)} academic year`,
  urn: 'URN',
  deliveryPartner: 'Delivery partner',
  localAuthority: 'Local authority',
  noLocalAuthority: 'No local authority assigned',
  trust: 'Trust',
  noTrust: 'Not in a trust',
  reportedOn: 'Reported on',
  status: 'Status',
  email: 'Email to the school',
  contact: 'Contact',
  challengedOn: 'Mistake reported on',
  deadline: 'School can report a mistake until',
  back: 'Back to your schools',
} as const

/** "API tokens": the organisation's Lead Provider API tokens. */
export const apiTokensWords = {
  title: 'API tokens',
  about:
    'Your systems can report schools and follow changes through the Lead Provider API, using a token. These are your organisation’s tokens. Nobody can see a token’s value after it is created.',
  newOrStop: 'To get a new token, or to stop one working, contact the Department for Education.',
} as const

/** "Liverpool Academy Trust" and its schools on the list, on the confirm step. */
export const trustNoticeWords = {
  share: (listed: number, total: number) =>
    listed === total
      ? `all ${total === 1 ? '1 school' : `${total} schools`} in this trust`
      : `${listed} of the ${total} schools in this trust`,
  isTrust: (share: string) => ` is a multi-academy trust. You are reporting ${share}.`,
  makeSure: (trust: string) =>
    `Before you confirm, make sure ${trust} has told each of these schools that you ` +
    'will deliver their early career teacher training. A school that did not know may report ' +
    'a mistake.',
} as const

/** Reporting schools: the steps before the list is checked, and the pages while it works. */
export const reportWords = {
  progressTitle: 'Reporting your schools',
  progress: (count: number) =>
    `Reporting ${
      plural(count, 'school', 'schools')
    }. This can take up to a minute for a long list. Do not close this page.`,
  checkingTitle: 'Checking your schools',
  checking:
    'Checking each row of your list. This can take up to a minute for a long list. Do not close this page.',
  cannotTitle: 'You cannot report schools yet',
  home: 'Back to your home page',
  cohortLegend: 'Which academic year are these schools for?',
  cohortRequired: 'Select an academic year',
  continue: 'Continue',
  partnerLegend: 'Choose the delivery partner',
  partnerHint: 'Select the delivery partner that these schools have confirmed an agreement with.',
  partnerRequired: 'Choose a delivery partner',
  year: (cohort: number) => `${cohortLabel(cohort)} academic year`,
  chosen: (partner: string, cohort: number) => `${partner}, ${cohortLabel(cohort)}`,
  fileLabel: 'CSV file',
  fileHint: 'Maximum file size: 2MB',
  pasteLabel: 'Or paste the URNs',
  pasteHint: 'One URN on each line, or a column copied from a spreadsheet',
  uploadTitle: 'Upload a CSV of school URNs',
  mustHave: 'Your CSV must have:',
  rules: [
    'one column with the school URNs only (column A)',
    'every school on a new row',
    'only schools that work with this delivery partner',
  ],
  ignored: 'A header row and empty rows are ignored.',
  fileTooBig: 'The selected file must be smaller than 2MB',
  nothingGiven: 'Select a CSV file to upload, or paste the URNs',
  checkFailed: 'We could not check your list. Nothing has been saved. Try again.',
} as const

/** The check page: a list with errors. */
export const checkWords = {
  proceed: (valid: number) => `Continue with ${plural(valid, 'school', 'schools')}`,
  again: 'Upload again',
  download: 'Download the rows with errors (CSV)',
  title: 'Your CSV has errors',
  found: (rows: number) => `We have found ${plural(rows, 'row', 'rows')} in your CSV:`,
  withErrors: (rows: number) => `${plural(rows, 'row has', 'rows have')} errors`,
  valid: (rows: number) => `${plural(rows, 'row matches', 'rows match')} available schools`,
  byKind: 'Errors by kind',
  byKindHead: ['Error', 'Rows'],
  rowsCaption: (page: number, pages: number) =>
    pages > 1 ? `Rows with errors (page ${page} of ${pages})` : 'Rows with errors',
  rowsHead: ['Row', 'Your data', 'School', 'Error'],
  pages: 'Pages of rows with errors',
} as const

/** The confirm page: the schools to report, with Remove on each. */
export const confirmWords = {
  /** What the page says when confirming failed, by whether the service answered. */
  failed: {
    not_saved: 'Your schools have not been reported. Nothing was saved. Try again.',
    unknown:
      'We could not reach the service, so we cannot tell whether your schools were reported. Try again: a school that was already reported will not be reported twice.',
  },
  again: 'Upload again',
  allRemovedTitle: 'All schools removed',
  allRemoved: 'You have removed all schools from the list',
  confirm: 'Confirm',
  remove: 'Remove',
  title: 'Confirm or remove schools',
  heading: (count: number) =>
    `Confirm that you have an agreement with ${plural(count, 'school', 'schools')}`,
  removed: (school: string) => `${school} has been removed`,
  label: (page: number, pages: number) =>
    pages > 1 ? `Schools to confirm (page ${page} of ${pages})` : 'Schools to confirm',
  head: ['School', 'URN', 'Delivery partner', 'Action'],
  pages: 'Pages of schools to confirm',
  // A school with no address cannot be emailed; the check does not know which, so the page says
  // when it will be told rather than promising every school an email.
  willEmail:
    'Once you have confirmed, we will email each school we have an address for. We will tell you which schools we cannot email.',
  canTell: 'Schools can tell the Department for Education and you if they think this is incorrect.',
  warning: (partner: string, cohort: number) => [
    'When you confirm, each school is recorded as working with you and ',
    partner,
    ' for the ',
    cohortLabel(cohort),
    ' academic year, and no other lead provider can report it.',
  ],
} as const

/** The success page. */
export const doneWords = {
  title: 'Schools confirmed',
  panel: (count: number, partner: string) =>
    `${plural(count, 'school', 'schools')} confirmed for ${partner}`,
  refused: 'Schools we could not confirm',
  changed: 'These schools changed while you were checking the list:',
  refusedHead: ['School', 'URN', 'Error'],
  cannotEmail: (count: number) => `We cannot email ${plural(count, 'school', 'schools')}`,
  notEmailed: 'Schools we have not emailed',
  notEmailedHead: ['School', 'URN'],
  next: 'What happens next',
  willEmail: (someNotEmailed: boolean) =>
    someNotEmailed
      ? 'We will email each of the other schools to tell them you have confirmed an agreement with them and '
      : 'We will email each school to tell them you have confirmed an agreement with them and ',
  ifMistake:
    'If a school tells us this is a mistake, we will email you and show it in your list of schools.',
  view: 'View your schools',
  or: ' or ',
  more: 'confirm more schools',
} as const

const statusTags: Record<EmailStatus, [string, Parameters<typeof tag>[1]]> = {
  not_sent: ['Not sent yet', 'grey'],
  sending: ['Sending', 'grey'],
  sent: ['Sent', 'blue'],
  delivered: ['Delivered', 'green'],
  not_delivered: ['Not delivered', 'red'],
  no_address: ['Not emailed: no address', 'orange'],
}

/** The school's email status as a tag: "Delivered", "Not emailed: no address" and so on. */
export function emailStatusTag(status: EmailStatus): HTMLElement {
  const [text, colour] = statusTags[status]
  return tag(text, colour)
}

/** The school's status in the list and on its page: "Reported a mistake" or "Confirmed". */
export function partnershipStatusTag(status: string): HTMLElement {
  return status === 'challenged' ? tag('Reported a mistake', 'red') : tag('Confirmed', 'green')
}

/** What the provider should do when the school has not heard from us; null when it has. */
export function emailNextStep(status: EmailStatus, supportEmail: string): (Node | string)[] | null {
  if (status === 'no_address') {
    return [
      'We have no email address for this school, so we have not told them you reported them and they cannot report a mistake. Contact the school to let them know, and ask them to add their email address to Get Information about Schools (GIAS). If you have an address for the school, email ',
      link(`mailto:${supportEmail}`, supportEmail),
      ' and we will send it there.',
    ]
  }
  if (status === 'not_delivered') {
    return [
      'Our email to this school did not arrive. Contact the school to check their address, then email ',
      link(`mailto:${supportEmail}`, supportEmail),
      ' so we can send it again.',
    ]
  }
  return null
}

const contactKinds = {
  induction_tutor: 'induction tutor',
  school: 'school’s address in GIAS',
}

/** "tutor@school.example (induction tutor)" as a mailto link, or what to do without one. */
export function schoolContact(school: SchoolEmail): (Node | string)[] {
  if (!school.contact_email || !school.contact_kind) {
    return ['No email address. Find the school’s phone number on Get Information about Schools.']
  }
  return [
    link(`mailto:${school.contact_email}`, school.contact_email),
    ` (${contactKinds[school.contact_kind]})`,
  ]
}

/** The address people email for help, as the page's frame was built with it. */
export function supportEmailOf(root: HTMLElement): string {
  return root.dataset.appSupportEmail ?? ''
}

/**
 * Academic years run from September to August: once one has ended, reporting into it is almost
 * always a slip of the radio button, so the page says so before anything is recorded.
 */
export function pastYearWarning(cohort: ProviderCohort, today = new Date()): HTMLElement | null {
  const ended = today > new Date(Date.UTC(cohort.start_year + 1, 7, 31, 23, 0))
  return ended
    ? warningText(
      `The ${
        cohortLabel(cohort.start_year)
      } academic year has ended. Check these schools are not for a later academic year.`,
    )
    : null
}
