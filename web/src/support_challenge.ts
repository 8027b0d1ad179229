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
import { previewFixture } from './portal_preview.ts'
import { postJson } from './support_api.ts'
import { loadTarget, type Target } from './support_target.ts'
import { challengeWords as words, noteTooLong, reasonRequired } from './support_words.ts'

/** As the database allows. */
const maxNoteLength = 2000

type Answers = { reason: string; note: string }

export async function showReportMistake(root: HTMLElement): Promise<void> {
  const target = await loadTarget(root)
  if (!target) return
  if (target.partnership.status === 'challenged') {
    return showAlreadyReported(root, target)
  }
  const preview = previewFixture()?.state as ChallengePreview | undefined
  if (preview?.step === 'check') return showCheck(root, target, preview.answers)
  if (preview?.step === 'reported') return showReported(root, target)
  showForm(root, target, preview?.answers ?? { reason: '', note: '' }, preview?.errors ?? [])
}

/**
 * A step a preview of this page shows (its fixture's `state`): the ones support reach only by
 * acting, the form with errors, the check step or the mistake reported. A live page has none.
 */
type ChallengePreview =
  | { step: 'form'; answers: Answers; errors: FieldError[] }
  | { step: 'check'; answers: Answers }
  | { step: 'reported' }

function showForm(root: HTMLElement, target: Target, answers: Answers, errors: FieldError[]) {
  const { record, partnership } = target
  const errorFor = (id: string) => errors.find((e) => e.field === id)?.text
  const noteField = textareaField({
    id: 'note',
    label: words.noteLabel,
    hint: words.noteHint,
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
      legend: words.legend,
      hint: words.reasonHint(
        partnership.lead_provider_name,
        partnership.delivery_partner_name,
        partnership.cohort,
      ),
      items: record.reasons.map((r) => ({ value: r.code, text: r.label })),
      error: errorFor('reason'),
      checked: answers.reason,
    }),
    noteField.group,
    button(words.continue),
  )
  showPage(root, words.legend, [
    backLink(target.schoolHref),
    errorSummary(errors),
    caption(words.caption(record.school.name)),
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
  const confirm = button(words.confirm)
  showPage(root, words.checkTitle, [
    backLink(() => showForm(root, target, answers, [])),
    heading(words.checkTitle),
    summaryList([
      [words.school, words.schoolValue(record.school.name, record.school.urn)],
      [words.leadProvider, partnership.lead_provider_name],
      [words.deliveryPartner, partnership.delivery_partner_name],
      [words.academicYear, cohortLabel(partnership.cohort)],
      [words.reason, reason?.label ?? answers.reason],
      [words.note, answers.note || words.noNote],
    ]),
    partnership.window_closed ? warningText(words.deadlinePassed(partnership.deadline)) : null,
    paragraph(words.consequence),
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
    showReported(root, target)
  })
}

function showReported(root: HTMLElement, { record, partnership, schoolHref }: Target): void {
  showPage(root, words.doneTitle, [
    panel(words.doneTitle, words.doneFor(record.school.name)),
    paragraph(words.ended(partnership.lead_provider_name, partnership.cohort)),
    paragraph(link(schoolHref, words.back(record.school.name))),
  ])
}

function showAlreadyReported(root: HTMLElement, { record, schoolHref }: Target): void {
  const schoolName = record.school.name
  showPage(root, words.alreadyTitle, [
    heading(words.alreadyTitle),
    paragraph(words.already(schoolName)),
    paragraph(link(schoolHref, words.seeWhat(schoolName))),
  ])
}
