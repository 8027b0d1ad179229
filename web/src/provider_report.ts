/// <reference lib="dom" />
/**
 * Reporting schools, one step at a time on one page: the cohort, the delivery partner (only
 * those the lead provider works with in that cohort), the URNs (a CSV file or pasted), then the
 * check, confirm and success pages (`provider_report_lists.ts`). Nothing is recorded until
 * "Confirm". Each step is a history entry holding its own data, so Back, Forward and reload stay
 * in the journey; while the service checks or records a list, the page says so.
 */
import { ApiError } from './portal_api.ts'
import {
  getJson,
  type Me,
  postJson,
  type ProviderCohort,
  type ReportResult,
} from './provider_api.ts'
import {
  backLink,
  bulletList,
  button,
  caption,
  cohortLabel,
  errorSummary,
  fileField,
  h,
  heading,
  link,
  paragraph,
  plural,
  radios,
  showPage,
  statusParagraph,
  textareaField,
} from './portal_dom.ts'
import { showCheck, showConfirm, showDone } from './provider_report_lists.ts'
import { type Choice, type Flow, isStep, type Step } from './provider_report_steps.ts'
import { noDeliveryPartners, pastYearWarning } from './provider_words.ts'

/** As the function allows: 2MB. */
const maxFileBytes = 2 * 1024 * 1024

export async function showReportSchools(root: HTMLElement): Promise<void> {
  const me = await getJson<Me>('/me')
  const cohorts = me.cohorts.filter((cohort) => cohort.delivery_partners.length > 0)
  if (cohorts.length === 0) return showNothingToReport(root)

  const show = (step: Step) => showStep(root, cohorts, step, flow)
  const flow: Flow = {
    go(step) {
      remember(step, 'push')
      show(step)
    },
    replace(step) {
      remember(step, 'replace')
      show(step)
    },
  }
  addEventListener('popstate', (event) => show(isStep(event.state) ? event.state : first()))

  function first(): Step {
    const wanted = Number(new URLSearchParams(location.search).get('cohort'))
    const cohort = cohorts.find((c) => c.start_year === wanted) ??
      (cohorts.length === 1 ? cohorts[0] : undefined)
    return cohort ? { step: 'partner', cohort: cohort.start_year } : { step: 'cohort' }
  }

  // A reload keeps `history.state`: carry on where the person was.
  flow.replace(isStep(history.state) ? history.state : first())
}

/**
 * Saves the step in the browser's history. A browser that refuses (a list too big for its
 * history, say) still shows the step; only Back and reload lose it.
 */
function remember(step: Step, how: 'push' | 'replace'): void {
  try {
    if (how === 'push') history.pushState(step, '', location.href)
    else history.replaceState(step, '', location.href)
  } catch {
    // Shown anyway; see above.
  }
}

function showStep(root: HTMLElement, cohorts: ProviderCohort[], step: Step, flow: Flow): void {
  if (step.step === 'cohort') return showCohortStep(root, cohorts, flow)
  const cohort = cohorts.find((c) => c.start_year === step.cohort)
  if (!cohort) return showCohortStep(root, cohorts, flow)
  if (step.step === 'partner') return showPartnerStep(root, cohorts, cohort, flow)
  const partner = cohort.delivery_partners.find((p) => p.id === step.partnerId)
  if (!partner) return showPartnerStep(root, cohorts, cohort, flow)
  const choice = { cohort, partner }
  switch (step.step) {
    case 'upload':
      return showUploadStep(root, choice, flow)
    case 'check':
      return showCheck(root, choice, step, flow)
    case 'confirm':
      return showConfirm(root, choice, step, flow, confirm)
    case 'done':
      return showDone(root, choice, step.result)
  }
}

/**
 * Records the schools. The answer replaces the confirm page in history, so Back from the success
 * page goes to the check, not to a list already confirmed.
 */
async function confirm(root: HTMLElement, choice: Choice, urns: string[]): Promise<ReportResult> {
  showProgress(
    root,
    'Reporting your schools',
    `Reporting ${
      plural(urns.length, 'school', 'schools')
    }. This can take up to a minute for a long list. Do not close this page.`,
  )
  return await postJson<ReportResult>('/reports', {
    cohort: choice.cohort.start_year,
    delivery_partner_id: choice.partner.id,
    urns,
  })
}

/** While the service works on a list: what it is doing, read out by screen readers. */
function showProgress(root: HTMLElement, title: string, text: string): void {
  showPage(root, title, [
    heading(title),
    statusParagraph(text),
  ])
}

function showNothingToReport(root: HTMLElement): void {
  showPage(root, 'You cannot report schools yet', [
    heading('You cannot report schools yet'),
    paragraph(noDeliveryPartners),
    paragraph(link('/provider', 'Back to your home page')),
  ])
}

function showCohortStep(
  root: HTMLElement,
  cohorts: ProviderCohort[],
  flow: Flow,
  error?: string,
): void {
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
    if (!chosen) return showCohortStep(root, cohorts, flow, 'Select an academic year')
    flow.go({ step: 'partner', cohort: chosen.start_year })
  })
}

function showPartnerStep(
  root: HTMLElement,
  cohorts: ProviderCohort[],
  cohort: ProviderCohort,
  flow: Flow,
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
  const back = cohorts.length > 1 ? backLink(() => flow.go({ step: 'cohort' })) : null
  showPage(root, 'Choose the delivery partner', [
    back,
    errorSummary(error ? [{ field: 'delivery-partner', text: error }] : []),
    caption(`${cohortLabel(cohort.start_year)} academic year`),
    pastYearWarning(cohort),
    form,
  ], { hasErrors: Boolean(error) })
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const id = new FormData(form).get('delivery-partner')
    const partner = cohort.delivery_partners.find((p) => p.id === id)
    if (!partner) {
      return showPartnerStep(root, cohorts, cohort, flow, 'Choose a delivery partner')
    }
    flow.go({ step: 'upload', cohort: cohort.start_year, partnerId: partner.id })
  })
}

function showUploadStep(
  root: HTMLElement,
  choice: Choice,
  flow: Flow,
  error?: { field: 'csv-file' | 'urns'; text: string },
): void {
  const chosen = { cohort: choice.cohort.start_year, partnerId: choice.partner.id }
  const upload = fileField({
    id: 'csv-file',
    label: 'CSV file',
    hint: 'Maximum file size: 2MB',
    error: error?.field === 'csv-file' ? error.text : undefined,
    accept: '.csv,text/csv',
  })
  const paste = textareaField({
    id: 'urns',
    label: 'Or paste the URNs',
    hint: 'One URN on each line, or a column copied from a spreadsheet',
    error: error?.field === 'urns' ? error.text : undefined,
    rows: 8,
    spellcheck: false,
  })
  const [file, pasted] = [upload.control, paste.control]
  const form = h('form', { novalidate: true }, upload.group, paste.group, button('Continue'))
  showPage(root, 'Upload a CSV of school URNs', [
    backLink(() => flow.go({ step: 'partner', cohort: chosen.cohort })),
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
  const again = (field: 'csv-file' | 'urns', text: string) =>
    showUploadStep(root, choice, flow, { field, text })
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const chosenFile = file.files?.[0]
    const text = pasted.value
    if (chosenFile && chosenFile.size > maxFileBytes) {
      return again('csv-file', 'The selected file must be smaller than 2MB')
    }
    if (!chosenFile && !text.trim()) {
      return again('csv-file', 'Select a CSV file to upload, or paste the URNs')
    }
    const csv = chosenFile ? await chosenFile.text() : text
    const errorField = chosenFile ? 'csv-file' : 'urns'
    showProgress(
      root,
      'Checking your schools',
      'Checking each row of your list. This can take up to a minute for a long list. Do not close this page.',
    )
    let result: ReportResult
    try {
      result = await postJson<ReportResult>('/reports/check', {
        cohort: choice.cohort.start_year,
        delivery_partner_id: choice.partner.id,
        csv,
      })
    } catch (failure) {
      if (failure instanceof ApiError && failure.status < 500) {
        return again(errorField, failure.message)
      }
      return again(
        errorField,
        'We could not check your list. Nothing has been saved. Try again.',
      )
    }
    const valid = result.rows.filter((row) => row.error === null && row.urn !== null)
      .map((row) => ({ urn: row.urn!, school_name: row.school_name ?? '' }))
    if (result.counts.errors > 0) flow.go({ ...chosen, step: 'check', result, page: 1, csv })
    else flow.go({ ...chosen, step: 'confirm', schools: valid, page: 1, trusts: result.trusts })
  })
}
