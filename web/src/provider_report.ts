/// <reference lib="dom" />
/**
 * Reporting schools, one step at a time on one page: the cohort, the delivery partner (only
 * those the lead provider works with in that cohort), the URNs (a CSV file or pasted), the rows
 * with errors as the database rules word them, the schools to confirm (any can be removed), and
 * the success panel. Nothing is recorded until "Confirm".
 */
import { ApiError } from './portal_api.ts'
import {
  getJson,
  type Me,
  postJson,
  type ProviderCohort,
  type ReportResult,
  type ReportRow,
} from './provider_api.ts'
import {
  backLink,
  bulletList,
  button,
  buttonGroup,
  cohortLabel,
  errorSummary,
  field,
  h,
  heading,
  link,
  notificationBanner,
  panel,
  paragraph,
  plural,
  radios,
  showPage,
  table,
  visuallyHidden,
  warningText,
} from './portal_dom.ts'
import { emailNextStep, supportEmailOf } from './provider_words.ts'

/** As the function allows: 2MB. */
const maxFileBytes = 2 * 1024 * 1024

/** What the confirm page says when confirming failed, by whether the service answered. */
const confirmFailed = {
  not_saved: 'Your schools have not been reported. Nothing was saved. Try again.',
  unknown:
    'We could not reach the service, so we cannot tell whether your schools were reported. Try again: a school that was already reported will not be reported twice.',
}

type Choice = { cohort: ProviderCohort; partner: { id: string; name: string } }
type School = { urn: string; school_name: string }

export async function showReportSchools(root: HTMLElement): Promise<void> {
  const me = await getJson<Me>('/me')
  const reportable = me.cohorts.filter((cohort) => cohort.delivery_partners.length > 0)
  const wanted = Number(new URLSearchParams(location.search).get('cohort'))
  const cohort = reportable.find((c) => c.start_year === wanted) ??
    (reportable.length === 1 ? reportable[0] : undefined)
  if (reportable.length === 0) return showNothingToReport(root)
  if (cohort) return showPartnerStep(root, reportable, cohort)
  showCohortStep(root, reportable)
}

/**
 * Academic years run from September to August: once one has ended, reporting into it is almost
 * always a slip of the radio button, so the page says so before anything is recorded.
 */
function pastYearWarning(cohort: ProviderCohort, today = new Date()): HTMLElement | null {
  const ended = today > new Date(Date.UTC(cohort.start_year + 1, 7, 31, 23, 0))
  return ended
    ? warningText(
      `The ${
        cohortLabel(cohort.start_year)
      } academic year has ended. Check these schools are not for a later academic year.`,
    )
    : null
}

function showNothingToReport(root: HTMLElement): void {
  showPage(root, 'You cannot report schools yet', [
    heading('You cannot report schools yet'),
    paragraph(
      'You do not work with any delivery partners yet. Contact the Department for Education to set this up.',
    ),
    paragraph(link('/provider', 'Back to your home page')),
  ])
}

function showCohortStep(root: HTMLElement, cohorts: ProviderCohort[], error?: string): void {
  const form = h(
    'form',
    { novalidate: true },
    radios({
      name: 'cohort',
      legend: 'Which academic year are these schools for?',
      items: cohorts.map((c) => ({ value: String(c.start_year), text: cohortLabel(c.start_year) })),
      error,
    }),
    button('Continue'),
  )
  showPage(root, 'Which academic year are these schools for?', [
    errorSummary(error ? [{ field: 'cohort', text: error }] : []),
    form,
  ], { hasErrors: Boolean(error) })
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const chosen = cohorts.find((c) => String(c.start_year) === new FormData(form).get('cohort'))
    if (!chosen) return showCohortStep(root, cohorts, 'Select an academic year')
    showPartnerStep(root, cohorts, chosen)
  })
}

function showPartnerStep(
  root: HTMLElement,
  cohorts: ProviderCohort[],
  cohort: ProviderCohort,
  error?: string,
): void {
  const form = h(
    'form',
    { novalidate: true },
    radios({
      name: 'delivery-partner',
      legend: 'Choose the delivery partner',
      hint: 'Select the delivery partner that these schools have confirmed an agreement with.',
      items: cohort.delivery_partners.map((p) => ({ value: p.id, text: p.name })),
      error,
    }),
    button('Continue'),
  )
  const back = cohorts.length > 1 ? backLink(() => showCohortStep(root, cohorts)) : null
  showPage(root, 'Choose the delivery partner', [
    back,
    errorSummary(error ? [{ field: 'delivery-partner', text: error }] : []),
    h('span', { class: 'govuk-caption-l' }, `${cohortLabel(cohort.start_year)} academic year`),
    pastYearWarning(cohort),
    form,
  ], { hasErrors: Boolean(error) })
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const id = new FormData(form).get('delivery-partner')
    const partner = cohort.delivery_partners.find((p) => p.id === id)
    if (!partner) return showPartnerStep(root, cohorts, cohort, 'Choose a delivery partner')
    showUploadStep(root, { cohort, partner }, () => showPartnerStep(root, cohorts, cohort))
  })
}

function showUploadStep(
  root: HTMLElement,
  choice: Choice,
  goBack: () => void,
  error?: { field: 'csv-file' | 'urns'; text: string },
): void {
  const file = h('input', { class: 'govuk-file-upload', type: 'file', accept: '.csv,text/csv' })
  const pasted = h('textarea', { class: 'govuk-textarea', rows: 8, spellcheck: 'false' })
  const form = h(
    'form',
    { novalidate: true },
    field({
      id: 'csv-file',
      label: 'CSV file',
      hint: 'Maximum file size: 2MB',
      error: error?.field === 'csv-file' ? error.text : undefined,
      control: file,
    }),
    field({
      id: 'urns',
      label: 'Or paste the URNs',
      hint: 'One URN on each line, or a column copied from a spreadsheet',
      error: error?.field === 'urns' ? error.text : undefined,
      control: pasted,
    }),
    button('Continue'),
  )
  showPage(root, 'Upload a CSV of school URNs', [
    backLink(goBack),
    errorSummary(error ? [error] : []),
    heading(
      'Upload a CSV of school URNs',
      'l',
      `${choice.partner.name}, ${cohortLabel(choice.cohort.start_year)}`,
    ),
    paragraph('Your CSV must have:'),
    bulletList([
      'one column with the school URNs only (column A)',
      'every school on a new row',
      'only schools that work with this delivery partner',
    ]),
    paragraph('A header row and empty rows are ignored.'),
    form,
  ], { hasErrors: Boolean(error) })
  const retry = () => showUploadStep(root, choice, goBack)
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const chosen = file.files?.[0]
    const text = pasted.value
    if (chosen && chosen.size > maxFileBytes) {
      return showUploadStep(root, choice, goBack, {
        field: 'csv-file',
        text: 'The selected file must be smaller than 2MB',
      })
    }
    if (!chosen && !text.trim()) {
      return showUploadStep(root, choice, goBack, {
        field: 'csv-file',
        text: 'Select a CSV file to upload, or paste the URNs',
      })
    }
    const csv = chosen ? await chosen.text() : text
    const errorField = chosen ? 'csv-file' : 'urns'
    let result: ReportResult
    try {
      result = await postJson<ReportResult>('/reports/check', {
        cohort: choice.cohort.start_year,
        delivery_partner_id: choice.partner.id,
        csv,
      })
    } catch (failure) {
      if (failure instanceof ApiError && failure.status < 500) {
        return showUploadStep(root, choice, goBack, { field: errorField, text: failure.message })
      }
      throw failure
    }
    const valid = validSchools(result.rows)
    if (result.counts.errors > 0) showCheckStep(root, choice, result, valid, retry)
    else showConfirmStep(root, choice, valid, retry)
  })
}

function validSchools(rows: ReportRow[]): School[] {
  return rows.filter((row) => row.error === null && row.urn !== null)
    .map((row) => ({ urn: row.urn!, school_name: row.school_name ?? '' }))
}

function showCheckStep(
  root: HTMLElement,
  choice: Choice,
  result: ReportResult,
  valid: School[],
  uploadAgain: () => void,
): void {
  const withErrors = result.rows.filter((row) => row.error !== null)
  const proceed = valid.length > 0
    ? button(`Continue with ${plural(valid.length, 'school', 'schools')}`, { type: 'button' })
    : null
  const again = button('Upload again', { secondary: proceed !== null, type: 'button' })
  showPage(root, 'Your CSV has errors', [
    heading('Your CSV has errors'),
    paragraph(`We have found ${plural(result.counts.rows, 'row', 'rows')} in your CSV:`),
    bulletList([
      `${plural(withErrors.length, 'row has', 'rows have')} errors`,
      `${plural(valid.length, 'row matches', 'rows match')} available schools`,
    ]),
    table({
      caption: 'Rows with errors',
      head: ['Row', 'Your data', 'School', 'Error'],
      rows: withErrors.map((row) => [row.row_number, row.given, row.school_name ?? '', row.error]),
    }),
    buttonGroup(proceed, again),
  ])
  proceed?.addEventListener('click', () => showConfirmStep(root, choice, valid, uploadAgain))
  again.addEventListener('click', uploadAgain)
}

function showConfirmStep(
  root: HTMLElement,
  choice: Choice,
  schools: School[],
  uploadAgain: () => void,
  removed?: string,
  failed?: 'not_saved' | 'unknown',
): void {
  if (schools.length === 0) {
    const again = button('Upload again', { type: 'button' })
    showPage(root, 'All schools removed', [
      heading('You have removed all schools from the list'),
      again,
    ])
    again.addEventListener('click', uploadAgain)
    return
  }
  const confirm = button('Confirm', { type: 'button' })
  const again = button('Upload again', { secondary: true, type: 'button' })
  const removeButtons = schools.map((school) => {
    const remove = h(
      'button',
      { type: 'button', class: 'govuk-button govuk-button--secondary govuk-!-margin-bottom-0' },
      'Remove',
      visuallyHidden(` ${school.school_name}`),
    )
    remove.addEventListener('click', () => {
      showConfirmStep(
        root,
        choice,
        schools.filter((other) => other.urn !== school.urn),
        uploadAgain,
        school.school_name,
      )
    })
    return remove
  })
  const title = `Confirm that you have an agreement with ${
    plural(schools.length, 'school', 'schools')
  }`
  showPage(root, 'Confirm or remove schools', [
    failed ? errorSummary([{ text: confirmFailed[failed] }]) : null,
    removed ? notificationBanner({ heading: `${removed} has been removed`, success: true }) : null,
    heading(title, 'l', `${choice.partner.name}, ${cohortLabel(choice.cohort.start_year)}`),
    table({
      label: 'Schools to confirm',
      head: ['School', 'URN', 'Delivery partner', 'Action'],
      rows: schools.map((school, index) => [
        school.school_name,
        school.urn,
        choice.partner.name,
        removeButtons[index],
      ]),
    }),
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
    buttonGroup(confirm, again),
  ], { hasErrors: Boolean(failed) })
  again.addEventListener('click', uploadAgain)
  confirm.addEventListener('click', async () => {
    confirm.setAttribute('disabled', '')
    confirm.setAttribute('aria-disabled', 'true')
    let result: ReportResult
    try {
      result = await postJson<ReportResult>('/reports', {
        cohort: choice.cohort.start_year,
        delivery_partner_id: choice.partner.id,
        urns: schools.map((school) => school.urn),
      })
    } catch (failure) {
      // A refusal (4xx) means the service's transaction was rolled back: nothing was saved. No
      // answer (offline, timed out) or a 5xx (it may have died after committing) means we cannot
      // know; trying again is safe either way, as a school already reported is refused, never
      // reported twice.
      const refused = failure instanceof ApiError && failure.status < 500
      return showConfirmStep(
        root,
        choice,
        schools,
        uploadAgain,
        undefined,
        refused ? 'not_saved' : 'unknown',
      )
    }
    showSuccess(root, choice, result)
  })
}

function showSuccess(root: HTMLElement, choice: Choice, result: ReportResult): void {
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
        h('h2', { class: 'govuk-heading-m' }, 'Schools we could not confirm'),
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
        h(
          'h2',
          { class: 'govuk-heading-m' },
          `We cannot email ${plural(result.not_emailed.length, 'school', 'schools')}`,
        ),
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
    h('h2', { class: 'govuk-heading-m' }, 'What happens next'),
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
