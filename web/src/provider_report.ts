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
} from './portal_dom.ts'
import { rememberTrusts, trustNotices } from './provider_trusts.ts'

/** As the function allows: 2MB. */
const maxFileBytes = 2 * 1024 * 1024

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
    rememberTrusts(result.trusts)
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
    removed ? notificationBanner({ heading: `${removed} has been removed`, success: true }) : null,
    heading(title, 'l', `${choice.partner.name}, ${cohortLabel(choice.cohort.start_year)}`),
    ...trustNotices(schools),
    table({
      head: ['School', 'URN', 'Delivery partner', 'Action'],
      rows: schools.map((school, index) => [
        school.school_name,
        school.urn,
        choice.partner.name,
        removeButtons[index],
      ]),
    }),
    paragraph('Once you have confirmed, we will email each school.'),
    paragraph(
      'Schools can tell the Department for Education and you if they think this is incorrect.',
    ),
    buttonGroup(confirm, again),
  ])
  again.addEventListener('click', uploadAgain)
  confirm.addEventListener('click', async () => {
    confirm.setAttribute('disabled', '')
    const result = await postJson<ReportResult>('/reports', {
      cohort: choice.cohort.start_year,
      delivery_partner_id: choice.partner.id,
      urns: schools.map((school) => school.urn),
    })
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
          head: ['School', 'URN', 'Error'],
          rows: refused.map((row) => [row.school_name ?? '', row.urn ?? row.given, row.error]),
        }),
      )
      : null,
    h('h2', { class: 'govuk-heading-m' }, 'What happens next'),
    paragraph(
      'We will email each school to tell them you have confirmed an agreement with them and ',
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
