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
  errorSummary,
  h,
  heading,
  link,
  notificationBanner,
  pagination,
  panel,
  paragraph,
  showPage,
  subheading,
  table,
  visuallyHidden,
  warningText,
} from './portal_dom.ts'
import {
  type Choice,
  type ConfirmFailure,
  type Flow,
  onPage,
  pageCount,
  type School,
  type Step,
} from './provider_report_steps.ts'
import { trustNotices } from './provider_trusts.ts'
import {
  checkWords,
  confirmWords,
  doneWords,
  emailNextStep,
  pastYearWarning,
  reportWords,
  supportEmailOf,
} from './provider_words.ts'

type CheckStep = Extract<Step, { step: 'check' }>
type ConfirmStep = Extract<Step, { step: 'confirm' }>

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
    ? button(checkWords.proceed(valid.length), { type: 'button' })
    : null
  const again = button(checkWords.again, { secondary: proceed !== null, type: 'button' })
  const download = button(checkWords.download, {
    secondary: true,
    type: 'button',
  })
  showPage(root, checkWords.title, [
    heading(
      checkWords.title,
      'l',
      reportWords.chosen(choice.partner.name, choice.cohort.start_year),
    ),
    paragraph(checkWords.found(result.counts.rows)),
    bulletList([checkWords.withErrors(withErrors.length), checkWords.valid(valid.length)]),
    table({
      caption: checkWords.byKind,
      head: [...checkWords.byKindHead],
      rows: errorsByKind(result.rows).map((
        [error, count],
      ) => [error, count.toLocaleString('en-GB')]),
    }),
    download,
    table({
      caption: checkWords.rowsCaption(page, pages),
      head: [...checkWords.rowsHead],
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
        checkWords.pages,
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
  failed?: ConfirmFailure,
): void {
  const { schools } = step
  const chosen = { cohort: step.cohort, partnerId: step.partnerId }
  const uploadAgain = () => flow.go({ ...chosen, step: 'upload' })
  if (schools.length === 0) {
    const again = button(confirmWords.again, { type: 'button' })
    showPage(root, confirmWords.allRemovedTitle, [
      heading(confirmWords.allRemoved),
      again,
    ])
    again.addEventListener('click', uploadAgain)
    return
  }
  const pages = pageCount(schools.length)
  const page = Math.min(Math.max(1, step.page), pages)
  const confirmButton = button(confirmWords.confirm, { type: 'button' })
  const again = button(confirmWords.again, { secondary: true, type: 'button' })
  const shown = onPage(schools, page)
  const removeButtons = shown.map((school) => {
    const remove = button([confirmWords.remove, visuallyHidden(` ${school.school_name}`)], {
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
  showPage(root, confirmWords.title, [
    failed ? errorSummary([{ text: confirmWords.failed[failed] }]) : null,
    step.removed
      ? notificationBanner({ heading: confirmWords.removed(step.removed), success: true })
      : null,
    heading(
      confirmWords.heading(schools.length),
      'l',
      reportWords.chosen(choice.partner.name, choice.cohort.start_year),
    ),
    ...trustNotices(step.trusts, schools),
    table({
      label: confirmWords.label(page, pages),
      head: [...confirmWords.head],
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
        confirmWords.pages,
        (to) => flow.go({ ...step, page: to, removed: undefined }),
      )
      : null,
    pastYearWarning(choice.cohort),
    paragraph(confirmWords.willEmail),
    paragraph(confirmWords.canTell),
    warningText(...confirmWords.warning(choice.partner.name, choice.cohort.start_year)),
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
  showPage(root, doneWords.title, [
    panel(doneWords.panel(result.counts.confirmed, result.delivery_partner.name)),
    refused.length > 0
      ? h(
        'div',
        {},
        subheading(doneWords.refused),
        paragraph(doneWords.changed),
        table({
          label: doneWords.refused,
          head: [...doneWords.refusedHead],
          rows: refused.map((row) => [row.school_name ?? '', row.urn ?? row.given, row.error]),
        }),
      )
      : null,
    result.not_emailed.length > 0
      ? h(
        'div',
        {},
        subheading(doneWords.cannotEmail(result.not_emailed.length)),
        paragraph(...emailNextStep('no_address', supportEmailOf(root))!),
        table({
          caption: doneWords.notEmailed,
          head: [...doneWords.notEmailedHead],
          rows: result.not_emailed.map((school) => [
            link(`/provider/school?id=${school.partnership_id}`, school.school_name ?? ''),
            school.urn ?? '',
          ]),
        }),
      )
      : null,
    subheading(doneWords.next),
    paragraph(
      doneWords.willEmail(result.not_emailed.length > 0),
      result.delivery_partner.name,
      '.',
    ),
    paragraph(doneWords.ifMistake),
    paragraph(
      link(`/provider/schools?cohort=${choice.cohort.start_year}`, doneWords.view),
      doneWords.or,
      link(`/provider/report-schools?cohort=${choice.cohort.start_year}`, doneWords.more),
      '.',
    ),
  ])
}
