/// <reference lib="dom" />
/**
 * The long pages of reporting schools, built to stay usable at 10,000 rows: the check page
 * counts errors by kind, shows the rows with errors a page at a time and offers them all as a
 * CSV; the confirm page shows the schools a page at a time (Remove on each); the success page
 * lists schools we cannot email. Each page of a list is its own history entry.
 */
import { ApiError } from './portal_api.ts'
import { download as downloadFile, type ReportResult, type ReportRow } from './provider_api.ts'
import {
  bulletList,
  button,
  buttonGroup,
  cohortLabel,
  errorSummary,
  h,
  heading,
  link,
  notificationBanner,
  pagination,
  panel,
  paragraph,
  plural,
  showPage,
  subheading,
  table,
  visuallyHidden,
  warningText,
} from './portal_dom.ts'
import {
  type Choice,
  type Flow,
  onPage,
  pageCount,
  type School,
  type Step,
} from './provider_report_steps.ts'
import { trustNotices } from './provider_trusts.ts'
import { emailNextStep, pastYearWarning, supportEmailOf } from './provider_words.ts'

type CheckStep = Extract<Step, { step: 'check' }>
type ConfirmStep = Extract<Step, { step: 'confirm' }>

/** What the confirm page says when confirming failed, by whether the service answered. */
const confirmFailed = {
  not_saved: 'Your schools have not been reported. Nothing was saved. Try again.',
  unknown:
    'We could not reach the service, so we cannot tell whether your schools were reported. Try again: a school that was already reported will not be reported twice.',
}

function validSchools(rows: ReportRow[]): School[] {
  return rows.filter((row) => row.error === null && row.urn !== null)
    .map((row) => ({ urn: row.urn!, school_name: row.school_name ?? '' }))
}

/** Each kind of error with its number of rows, most common first. */
function errorsByKind(rows: ReportRow[]): [string, number][] {
  const counts = new Map<string, number>()
  for (const row of rows) {
    if (row.error !== null) counts.set(row.error, (counts.get(row.error) ?? 0) + 1)
  }
  return [...counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
}

export function showCheck(root: HTMLElement, choice: Choice, step: CheckStep, flow: Flow): void {
  const { result } = step
  const chosen = { cohort: step.cohort, partnerId: step.partnerId }
  const withErrors = result.rows.filter((row) => row.error !== null)
  const valid = validSchools(result.rows)
  const pages = pageCount(withErrors.length)
  const page = Math.min(Math.max(1, step.page), pages)
  const proceed = valid.length > 0
    ? button(`Continue with ${plural(valid.length, 'school', 'schools')}`, { type: 'button' })
    : null
  const again = button('Upload again', { secondary: proceed !== null, type: 'button' })
  const download = button('Download the rows with errors (CSV)', {
    secondary: true,
    type: 'button',
  })
  showPage(root, 'Your CSV has errors', [
    heading(
      'Your CSV has errors',
      'l',
      `${choice.partner.name}, ${cohortLabel(choice.cohort.start_year)}`,
    ),
    paragraph(`We have found ${plural(result.counts.rows, 'row', 'rows')} in your CSV:`),
    bulletList([
      `${plural(withErrors.length, 'row has', 'rows have')} errors`,
      `${plural(valid.length, 'row matches', 'rows match')} available schools`,
    ]),
    table({
      caption: 'Errors by kind',
      head: ['Error', 'Rows'],
      rows: errorsByKind(result.rows).map((
        [error, count],
      ) => [error, count.toLocaleString('en-GB')]),
    }),
    download,
    table({
      caption: pages > 1 ? `Rows with errors (page ${page} of ${pages})` : 'Rows with errors',
      head: ['Row', 'Your data', 'School', 'Error'],
      rows: onPage(withErrors, page).map((row) => [
        row.row_number,
        row.given,
        row.school_name ?? '',
        row.error,
      ]),
    }),
    pages > 1
      ? pagination(
        page,
        pages,
        () => location.href,
        'Pages of rows with errors',
        (to) => flow.go({ ...step, page: to }),
      )
      : null,
    buttonGroup(proceed, again),
  ])
  // Made by the service with the one CSV writer, from the same list: the page holds no copy.
  download.addEventListener(
    'click',
    () =>
      void downloadFile('/reports/check/errors.csv', 'rows-with-errors.csv', {
        cohort: step.cohort,
        delivery_partner_id: step.partnerId,
        csv: step.csv,
      }),
  )
  proceed?.addEventListener(
    'click',
    () =>
      flow.go({ ...chosen, step: 'confirm', schools: valid, page: 1, trusts: step.result.trusts }),
  )
  again.addEventListener('click', () => flow.go({ ...chosen, step: 'upload' }))
}

export function showConfirm(
  root: HTMLElement,
  choice: Choice,
  step: ConfirmStep,
  flow: Flow,
  confirm: (root: HTMLElement, choice: Choice, urns: string[]) => Promise<ReportResult>,
  failed?: keyof typeof confirmFailed,
): void {
  const { schools } = step
  const chosen = { cohort: step.cohort, partnerId: step.partnerId }
  const uploadAgain = () => flow.go({ ...chosen, step: 'upload' })
  if (schools.length === 0) {
    const again = button('Upload again', { type: 'button' })
    showPage(root, 'All schools removed', [
      heading('You have removed all schools from the list'),
      again,
    ])
    again.addEventListener('click', uploadAgain)
    return
  }
  const pages = pageCount(schools.length)
  const page = Math.min(Math.max(1, step.page), pages)
  const confirmButton = button('Confirm', { type: 'button' })
  const again = button('Upload again', { secondary: true, type: 'button' })
  const shown = onPage(schools, page)
  const removeButtons = shown.map((school) => {
    const remove = button(['Remove', visuallyHidden(` ${school.school_name}`)], {
      secondary: true,
      type: 'button',
      inline: true,
    })
    remove.addEventListener('click', () => {
      flow.go({
        ...step,
        schools: schools.filter((other) => other.urn !== school.urn),
        removed: school.school_name,
      })
    })
    return remove
  })
  const title = `Confirm that you have an agreement with ${
    plural(schools.length, 'school', 'schools')
  }`
  showPage(root, 'Confirm or remove schools', [
    failed ? errorSummary([{ text: confirmFailed[failed] }]) : null,
    step.removed
      ? notificationBanner({ heading: `${step.removed} has been removed`, success: true })
      : null,
    heading(title, 'l', `${choice.partner.name}, ${cohortLabel(choice.cohort.start_year)}`),
    ...trustNotices(step.trusts, schools),
    table({
      label: pages > 1 ? `Schools to confirm (page ${page} of ${pages})` : 'Schools to confirm',
      head: ['School', 'URN', 'Delivery partner', 'Action'],
      rows: shown.map((school, index) => [
        school.school_name,
        school.urn,
        choice.partner.name,
        removeButtons[index],
      ]),
    }),
    pages > 1
      ? pagination(
        page,
        pages,
        () => location.href,
        'Pages of schools to confirm',
        (to) => flow.go({ ...step, page: to, removed: undefined }),
      )
      : null,
    pastYearWarning(choice.cohort),
    paragraph('Once you have confirmed, we will email each school.'),
    paragraph(
      'Schools can tell the Department for Education and you if they think this is incorrect.',
    ),
    warningText(
      'When you confirm, each school is recorded as working with you and ',
      choice.partner.name,
      ' for the ',
      cohortLabel(choice.cohort.start_year),
      ' academic year, and no other lead provider can report it.',
    ),
    buttonGroup(confirmButton, again),
  ], { hasErrors: Boolean(failed) })
  again.addEventListener('click', uploadAgain)
  confirmButton.addEventListener('click', async () => {
    confirmButton.setAttribute('disabled', '')
    confirmButton.setAttribute('aria-disabled', 'true')
    let result: ReportResult
    try {
      result = await confirm(root, choice, schools.map((school) => school.urn))
    } catch (failure) {
      // A refusal (4xx) means the service's transaction was rolled back: nothing was saved. No
      // answer (offline, timed out) or a 5xx (it may have died after committing) means we cannot
      // know; trying again is safe either way, as a school already reported is refused, never
      // reported twice.
      const refused = failure instanceof ApiError && failure.status < 500
      return showConfirm(root, choice, step, flow, confirm, refused ? 'not_saved' : 'unknown')
    }
    flow.replace({ ...chosen, step: 'done', result })
  })
}

export function showDone(root: HTMLElement, choice: Choice, result: ReportResult): void {
  const refused = result.rows.filter((row) => row.error !== null)
  const title = `${
    plural(result.counts.confirmed, 'school', 'schools')
  } confirmed for ${result.delivery_partner.name}`
  showPage(root, 'Schools confirmed', [
    panel(title),
    refused.length > 0
      ? h(
        'div',
        {},
        subheading('Schools we could not confirm'),
        paragraph('These schools changed while you were checking the list:'),
        table({
          label: 'Schools we could not confirm',
          head: ['School', 'URN', 'Error'],
          rows: refused.map((row) => [row.school_name ?? '', row.urn ?? row.given, row.error]),
        }),
      )
      : null,
    result.not_emailed.length > 0
      ? h(
        'div',
        {},
        subheading(`We cannot email ${plural(result.not_emailed.length, 'school', 'schools')}`),
        paragraph(...emailNextStep('no_address', supportEmailOf(root))!),
        table({
          caption: 'Schools we have not emailed',
          head: ['School', 'URN'],
          rows: result.not_emailed.map((school) => [
            link(`/provider/school?id=${school.partnership_id}`, school.school_name ?? ''),
            school.urn ?? '',
          ]),
        }),
      )
      : null,
    subheading('What happens next'),
    paragraph(
      result.not_emailed.length > 0
        ? 'We will email each of the other schools to tell them you have confirmed an agreement with them and '
        : 'We will email each school to tell them you have confirmed an agreement with them and ',
      result.delivery_partner.name,
      '.',
    ),
    paragraph(
      'If a school tells us this is a mistake, we will email you and show it in your list of schools.',
    ),
    paragraph(
      link(`/provider/schools?cohort=${choice.cohort.start_year}`, 'View your schools'),
      ' or ',
      link(`/provider/report-schools?cohort=${choice.cohort.start_year}`, 'confirm more schools'),
      '.',
    ),
  ])
}
