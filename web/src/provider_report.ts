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
  radios,
  showPage,
  statusParagraph,
  textareaField,
} from './portal_dom.ts'
import { showCheck, showConfirm, showDone } from './provider_report_lists.ts'
import {
  type Choice,
  type Flow,
  isStep,
  type Step,
  type UploadError,
} from './provider_report_steps.ts'
import { noDeliveryPartners, pastYearWarning, reportWords as words } from './provider_words.ts'

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
  if (step.step === 'cohort') return showCohortStep(root, cohorts, flow, step.error)
  const cohort = cohorts.find((c) => c.start_year === step.cohort)
  if (!cohort) return showCohortStep(root, cohorts, flow)
  if (step.step === 'partner') return showPartnerStep(root, cohorts, cohort, flow, step.error)
  const partner = cohort.delivery_partners.find((p) => p.id === step.partnerId)
  if (!partner) return showPartnerStep(root, cohorts, cohort, flow)
  const choice = { cohort, partner }
  switch (step.step) {
    case 'upload':
      return showUploadStep(root, choice, flow, step.error)
    case 'check':
      return showCheck(root, choice, step, flow)
    case 'confirm':
      return showConfirm(root, choice, step, flow, confirm, step.error)
    case 'done':
      return showDone(root, choice, step.result)
  }
}

/**
 * Records the schools. The answer replaces the confirm page in history, so Back from the success
 * page goes to the check, not to a list already confirmed.
 */
async function confirm(root: HTMLElement, choice: Choice, urns: string[]): Promise<ReportResult> {
  showProgress(root, words.progressTitle, words.progress(urns.length))
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
  showPage(root, words.cannotTitle, [
    heading(words.cannotTitle),
    paragraph(noDeliveryPartners),
    paragraph(link('/provider', words.home)),
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
      legend: words.cohortLegend,
      items: cohorts.map((c) => ({ value: String(c.start_year), text: cohortLabel(c.start_year) })),
      error,
    }),
    button(words.continue),
  )
  showPage(root, words.cohortLegend, [
    errorSummary(error ? [{ field: 'cohort', text: error }] : []),
    form,
  ], { hasErrors: Boolean(error) })
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const chosen = cohorts.find((c) => String(c.start_year) === new FormData(form).get('cohort'))
    if (!chosen) return showCohortStep(root, cohorts, flow, words.cohortRequired)
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
      legend: words.partnerLegend,
      hint: words.partnerHint,
      items: cohort.delivery_partners.map((p) => ({ value: p.id, text: p.name })),
      error,
    }),
    button(words.continue),
  )
  const back = cohorts.length > 1 ? backLink(() => flow.go({ step: 'cohort' })) : null
  showPage(root, words.partnerLegend, [
    back,
    errorSummary(error ? [{ field: 'delivery-partner', text: error }] : []),
    caption(words.year(cohort.start_year)),
    pastYearWarning(cohort),
    form,
  ], { hasErrors: Boolean(error) })
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const id = new FormData(form).get('delivery-partner')
    const partner = cohort.delivery_partners.find((p) => p.id === id)
    if (!partner) {
      return showPartnerStep(root, cohorts, cohort, flow, words.partnerRequired)
    }
    flow.go({ step: 'upload', cohort: cohort.start_year, partnerId: partner.id })
  })
}

function showUploadStep(
  root: HTMLElement,
  choice: Choice,
  flow: Flow,
  error?: UploadError,
): void {
  const chosen = { cohort: choice.cohort.start_year, partnerId: choice.partner.id }
  const upload = fileField({
    id: 'csv-file',
    label: words.fileLabel,
    hint: words.fileHint,
    error: error?.field === 'csv-file' ? error.text : undefined,
    accept: '.csv,text/csv',
  })
  const paste = textareaField({
    id: 'urns',
    label: words.pasteLabel,
    hint: words.pasteHint,
    error: error?.field === 'urns' ? error.text : undefined,
    rows: 8,
    spellcheck: false,
  })
  const [file, pasted] = [upload.control, paste.control]
  const form = h('form', { novalidate: true }, upload.group, paste.group, button(words.continue))
  showPage(root, words.uploadTitle, [
    backLink(() => flow.go({ step: 'partner', cohort: chosen.cohort })),
    errorSummary(error ? [error] : []),
    heading(
      words.uploadTitle,
      'l',
      words.chosen(choice.partner.name, choice.cohort.start_year),
    ),
    paragraph(words.mustHave),
    bulletList([...words.rules]),
    paragraph(words.ignored),
    form,
  ], { hasErrors: Boolean(error) })
  const again = (field: 'csv-file' | 'urns', text: string) =>
    showUploadStep(root, choice, flow, { field, text })
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const chosenFile = file.files?.[0]
    const text = pasted.value
    if (chosenFile && chosenFile.size > maxFileBytes) {
      return again('csv-file', words.fileTooBig)
    }
    if (!chosenFile && !text.trim()) {
      return again('csv-file', words.nothingGiven)
    }
    const csv = chosenFile ? await chosenFile.text() : text
    const errorField = chosenFile ? 'csv-file' : 'urns'
    showProgress(root, words.checkingTitle, words.checking)
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
      return again(errorField, words.checkFailed)
    }
    const valid = result.rows.filter((row) => row.error === null && row.urn !== null)
      .map((row) => ({ urn: row.urn!, school_name: row.school_name ?? '' }))
    if (result.counts.errors > 0) flow.go({ ...chosen, step: 'check', result, page: 1, csv })
    else flow.go({ ...chosen, step: 'confirm', schools: valid, page: 1, trusts: result.trusts })
  })
}
