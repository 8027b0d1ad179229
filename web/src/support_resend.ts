/// <reference lib="dom" />
/**
 * "Send the email to a corrected address": the school's first email again, to an address the
 * school has given DfE support (the one in GIAS was wrong, or the tutor has left). The school's
 * 14 days restart once the email reaches GOV.UK Notify. Refused, with a clear message, once a
 * mistake has been reported for the partnership.
 */
import { ApiError } from './portal_api.ts'
import {
  backLink,
  bulletList,
  button,
  errorSummary,
  h,
  heading,
  inputField,
  link,
  panel,
  paragraph,
  showPage,
} from './portal_dom.ts'
import { previewFixture } from './portal_preview.ts'
import { postJson } from './support_api.ts'
import { loadTarget, type Target } from './support_target.ts'
import { emailKind, recipient, resendWords as words } from './support_words.ts'
import { emailFormatWrong } from './portal_words.ts'

const emailFormat = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export async function showResend(root: HTMLElement): Promise<void> {
  const target = await loadTarget(root)
  if (!target) return
  if (target.partnership.status === 'challenged') return showRefused(root, target)
  const preview = previewFixture()?.state as ResendPreview | undefined
  if (preview?.step === 'sent') return showSent(root, target, preview.email)
  showForm(root, target, preview?.email ?? '', preview?.error)
}

/**
 * A step a preview of this page shows (its fixture's `state`): the ones support reach only by
 * acting, the form with an error or the email sent. A live page has none.
 */
type ResendPreview = { step: 'form'; email: string; error?: string } | {
  step: 'sent'
  email: string
}

function showForm(root: HTMLElement, target: Target, email: string, error?: string): void {
  const { record, partnership } = target
  const { group, control: input } = inputField({
    id: 'email',
    label: words.label,
    hint: words.hint,
    error,
    type: 'email',
    autocomplete: 'off',
    spellcheck: false,
    value: email,
  })
  const schoolEmails = partnership.emails.filter((e) => e.kind !== 'provider_challenged')
  const form = h('form', { novalidate: true }, group, button(words.send))
  showPage(root, words.title, [
    backLink(target.schoolHref),
    errorSummary(error ? [{ field: 'email', text: error }] : []),
    heading(words.title, 'l', record.school.name),
    paragraph(words.willSend(partnership.lead_provider_name, partnership.delivery_partner_name)),
    schoolEmails.length
      ? h(
        'div',
        {},
        paragraph(words.sentSoFar),
        bulletList(schoolEmails.map((e) => words.sentTo(emailKind(e.kind), recipient(e)))),
      )
      : null,
    form,
  ], { hasErrors: Boolean(error) })
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const address = input.value.trim()
    if (!address) return showForm(root, target, address, words.required)
    if (!emailFormat.test(address) || address.length > 320) {
      return showForm(
        root,
        target,
        address,
        emailFormatWrong,
      )
    }
    try {
      await postJson(`/partnerships/${partnership.partnership_id}/resend`, { email: address })
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'invalid_request') {
        return showForm(
          root,
          target,
          address,
          emailFormatWrong,
        )
      }
      if (failure instanceof ApiError && failure.code === 'already_challenged') {
        return showRefused(root, target)
      }
      throw failure
    }
    showSent(root, target, address)
  })
}

function showSent(root: HTMLElement, { record, schoolHref }: Target, address: string): void {
  showPage(root, words.doneTitle, [
    panel(words.doneTitle, h('span', {}, words.to, h('strong', {}, address))),
    paragraph(words.restart),
    paragraph(link(schoolHref, words.back(record.school.name))),
  ])
}

function showRefused(root: HTMLElement, { record, schoolHref }: Target): void {
  const name = record.school.name
  showPage(root, words.refusedTitle, [
    heading(words.refusedTitle),
    paragraph(words.refused(name)),
    paragraph(link(schoolHref, words.seeWhat(name))),
  ])
}
