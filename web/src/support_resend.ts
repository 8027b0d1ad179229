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
import { postJson } from './support_api.ts'
import { loadTarget, type Target } from './support_target.ts'
import { emailKind, recipient } from './support_words.ts'
import { emailFormatWrong } from './portal_words.ts'

const emailFormat = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export async function showResend(root: HTMLElement): Promise<void> {
  const target = await loadTarget(root)
  if (!target) return
  if (target.partnership.status === 'challenged') return showRefused(root, target)
  showForm(root, target, '')
}

function showForm(root: HTMLElement, target: Target, email: string, error?: string): void {
  const { record, partnership } = target
  const { group, control: input } = inputField({
    id: 'email',
    label: 'Email address',
    hint: 'The address the school gave you, for example office@school.sch.uk',
    error,
    type: 'email',
    autocomplete: 'off',
    spellcheck: false,
    value: email,
  })
  const schoolEmails = partnership.emails.filter((e) => e.kind !== 'provider_challenged')
  const form = h('form', { novalidate: true }, group, button('Send the email'))
  showPage(root, 'Send the email to a corrected address', [
    backLink(target.schoolHref),
    errorSummary(error ? [{ field: 'email', text: error }] : []),
    heading('Send the email to a corrected address', 'l', record.school.name),
    paragraph(
      `We will send the school the email about ${partnership.lead_provider_name} and ${partnership.delivery_partner_name} again, with a new link to report a mistake. The school will have 14 days from when the email is sent.`,
    ),
    schoolEmails.length
      ? h(
        'div',
        {},
        paragraph('Emails so far went to:'),
        bulletList(schoolEmails.map((e) => `${emailKind(e.kind)}: ${recipient(e)}`)),
      )
      : null,
    form,
  ], { hasErrors: Boolean(error) })
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const address = input.value.trim()
    if (!address) return showForm(root, target, address, 'Enter an email address')
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
    showPage(root, 'Email on its way', [
      panel('Email on its way', h('span', {}, 'to ', h('strong', {}, address))),
      paragraph(
        'The school’s 14 days to report a mistake start again when the email is sent. Any reminder still to come will go to this address too.',
      ),
      paragraph(link(target.schoolHref, `Back to ${record.school.name}`)),
    ])
  })
}

function showRefused(root: HTMLElement, { record, schoolHref }: Target): void {
  const name = record.school.name
  showPage(root, 'You cannot send this email again', [
    heading('You cannot send this email again'),
    paragraph(
      `A mistake has already been reported for ${name}, so the school has nothing to check.`,
    ),
    paragraph(link(schoolHref, `See what happened at ${name}`)),
  ])
}
