/**
 * The report page's script: reads the token from the URL fragment, asks the challenge function
 * what it points at, shows the form, and sends the chosen reason. Every answer, including a
 * failure to reach the service, ends on a page that says what to do next.
 */
import { ErrorSummary } from 'govuk-frontend'
import { detailsView, type LinkDetails } from './link_details.ts'
import { challengeApiUrl, checkLink, type Outcome, sendReport } from './report_api.ts'
import { fillReasons, focusHeading, showState } from './report_view.ts'

/** What the form needs to send a report for this link. */
type Link = { root: HTMLElement; apiUrl: string; token: string; details: LinkDetails }

const page = document.querySelector<HTMLElement>('[data-app-report]')
if (page) void start(page)

async function start(root: HTMLElement): Promise<void> {
  // The script is running, so the email route shown when it does not is no longer needed.
  root.querySelector('.app-report__fallback')?.remove()
  const apiUrl = challengeApiUrl()
  const token = location.hash.slice(1)
  if (!apiUrl) return showOutcome(root, { kind: 'problem' })
  if (!token) return showOutcome(root, { kind: 'not_found' })
  const outcome = await checkLink(apiUrl, token)
  if (outcome.kind === 'open') showForm({ root, apiUrl, token, details: outcome.details }, false)
  else showOutcome(root, outcome)
}

function showOutcome(root: HTMLElement, outcome: Exclude<Outcome, { kind: 'open' }>): void {
  switch (outcome.kind) {
    case 'already_reported':
      showState(root, outcome.kind, { school_name: outcome.schoolName })
      break
    case 'reason_required':
      // Only the form can cause this, and it is handled there.
      showState(root, 'problem', {})
      break
    default:
      showState(root, outcome.kind, {})
  }
}

function showForm(link: Link, withError: boolean): void {
  const { root, apiUrl, token, details } = link
  showState(root, withError ? 'open_error' : 'open', detailsView(details))
  const form = root.querySelector('form') as HTMLFormElement
  fillReasons(form, details.reasons)
  if (withError) {
    // GOV.UK's error summary moves focus to itself and makes its links focus the field.
    new ErrorSummary(root.querySelector('[data-module="govuk-error-summary"]'))
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const button = form.querySelector('button') as HTMLButtonElement
    if (button.disabled) return
    const reason = new FormData(form).get('reason')
    if (typeof reason !== 'string') return showForm(link, true)
    button.disabled = true
    const outcome = await sendReport(apiUrl, token, reason)
    if (outcome.kind === 'reason_required') return showForm(link, true)
    if (outcome.kind === 'submitted') showState(root, 'submitted', detailsView(details))
    else if (outcome.kind !== 'open') showOutcome(root, outcome)
    focusHeading(root)
  })
}
