/// <reference lib="dom" />
/**
 * "Report a mistake for the school": DfE support picks the school's reason (the same reasons, in
 * the same order, as the school's own page) and may add a note; checks it; then confirms. It
 * works after the school's deadline has passed, and a partnership already reported is refused
 * with a clear message, before the form and again if someone else got there first.
 */
import { ApiError } from './portal_api.ts'
import {
  backLink,
  button,
  caption,
  cohortLabel,
  errorSummary,
  type FieldError,
  formatDate,
  h,
  heading,
  link,
  panel,
  paragraph,
  radios,
  showPage,
  summaryList,
  textareaField,
  warningText,
} from './portal_dom.ts'
import { postJson } from './support_api.ts'
import { loadTarget, type Target } from './support_target.ts'
import { noteTooLong, reasonRequired } from './support_words.ts'

/** As the database allows. */
const maxNoteLength = 2000

type Answers = { reason: string; note: string }

export async function showReportMistake(root: HTMLElement): Promise<void> {
  const target = await loadTarget(root)
  if (!target) return
  if (target.partnership.status === 'challenged') {
    return showAlreadyReported(root, target)
  }
  showForm(root, target, { reason: '', note: '' }, [])
}

function showForm(root: HTMLElement, target: Target, answers: Answers, errors: FieldError[]) {
  const { record, partnership } = target
  const errorFor = (id: string) => errors.find((e) => e.field === id)?.text
  const noteField = textareaField({
    id: 'note',
    label: 'Note (optional)',
    hint:
      'What the school told you, and how. The lead provider does not see it. You can enter up to 2,000 characters.',
    error: errorFor('note'),
    rows: 5,
    spellcheck: true,
    value: answers.note,
  })
  const note = noteField.control
  const form = h(
    'form',
    { novalidate: true },
    radios({
      name: 'reason',
      legend: 'Why is this confirmation incorrect?',
      hint:
        `${partnership.lead_provider_name}, with ${partnership.delivery_partner_name}, reported this school for the ${
          cohortLabel(partnership.cohort)
        } academic year. Choose the reason the school gave you.`,
      items: record.reasons.map((r) => ({ value: r.code, text: r.label })),
      error: errorFor('reason'),
      checked: answers.reason,
    }),
    noteField.group,
    button('Continue'),
  )
  showPage(root, 'Why is this confirmation incorrect?', [
    backLink(target.schoolHref),
    errorSummary(errors),
    caption(`Report a mistake for ${record.school.name}`),
    form,
  ], { hasErrors: errors.length > 0 })
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const given = {
      reason: String(new FormData(form).get('reason') ?? ''),
      note: note.value.trim(),
    }
    const problems: FieldError[] = []
    if (!record.reasons.some((r) => r.code === given.reason)) {
      problems.push({
        field: 'reason',
        text: reasonRequired,
      })
    }
    if (given.note.length > maxNoteLength) {
      problems.push({ field: 'note', text: noteTooLong })
    }
    if (problems.length) return showForm(root, target, given, problems)
    showCheck(root, target, given)
  })
}

function showCheck(root: HTMLElement, target: Target, answers: Answers): void {
  const { record, partnership } = target
  const reason = record.reasons.find((r) => r.code === answers.reason)
  const confirm = button('Report the mistake')
  showPage(root, 'Check before you report the mistake', [
    backLink(() => showForm(root, target, answers, [])),
    heading('Check before you report the mistake'),
    summaryList([
      ['School', `${record.school.name} (URN ${record.school.urn})`],
      ['Lead provider', partnership.lead_provider_name],
      ['Delivery partner', partnership.delivery_partner_name],
      ['Academic year', cohortLabel(partnership.cohort)],
      ['Reason', reason?.label ?? answers.reason],
      ['Note', answers.note || 'None'],
    ]),
    partnership.window_closed
      ? warningText(
        `The school’s deadline was ${
          formatDate(partnership.deadline)
        }. You can still report the mistake for them.`,
      )
      : null,
    paragraph(
      'The partnership will end, so another provider can recruit the school, and the lead provider’s users will be emailed the school and the reason.',
    ),
    confirm,
  ])
  confirm.addEventListener('click', async () => {
    confirm.disabled = true
    try {
      await postJson(`/partnerships/${partnership.partnership_id}/challenge`, answers)
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'already_challenged') {
        return showAlreadyReported(root, target)
      }
      throw failure
    }
    showPage(root, 'Mistake reported', [
      panel('Mistake reported', `for ${record.school.name}`),
      paragraph(
        `${partnership.lead_provider_name} has stopped being the school’s lead provider for ${
          cohortLabel(partnership.cohort)
        }. We are emailing its users to tell them.`,
      ),
      paragraph(link(target.schoolHref, `Back to ${record.school.name}`)),
    ])
  })
}

function showAlreadyReported(root: HTMLElement, { record, schoolHref }: Target): void {
  const schoolName = record.school.name
  showPage(root, 'A mistake has already been reported', [
    heading('A mistake has already been reported'),
    paragraph(`A mistake has already been reported for ${schoolName}, so there is nothing to do.`),
    paragraph(link(schoolHref, `See what happened at ${schoolName}`)),
  ])
}
