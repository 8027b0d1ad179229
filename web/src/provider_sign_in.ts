/// <reference lib="dom" />
/**
 * The sign-in page: email address, then the 6-digit code emailed to it. Whether an address
 * belongs to a provider user is never shown: an unknown one also gets "Check your email".
 */
import {
  button,
  errorSummary,
  field,
  h,
  heading,
  link,
  notificationBanner,
  paragraph,
  showPage,
} from './provider_dom.ts'
import { safeNext, supabase } from './provider_session.ts'

const emailFormat = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export function showSignIn(root: HTMLElement): void {
  const params = new URLSearchParams(location.search)
  showEmailStep(root, params.has('signed-out') ? 'signed_out' : undefined)
}

function showEmailStep(root: HTMLElement, notice?: 'signed_out', error?: string, email = ''): void {
  const input = h('input', {
    class: 'govuk-input',
    type: 'email',
    autocomplete: 'email',
    spellcheck: 'false',
    value: email,
  })
  const form = h(
    'form',
    { novalidate: true },
    field({
      id: 'email',
      label: 'Email address',
      hint: 'Use the address your organisation gave the Department for Education',
      error,
      control: input,
    }),
    button('Continue'),
  )
  showPage(root, 'Sign in', [
    notice === 'signed_out'
      ? notificationBanner({ heading: 'You have signed out', success: true })
      : null,
    errorSummary(error ? [{ field: 'email', text: error }] : []),
    heading('Sign in to report schools'),
    paragraph('We will email you a code to sign in.'),
    form,
  ], { hasErrors: Boolean(error) })
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const address = input.value.trim()
    if (!address) return showEmailStep(root, undefined, 'Enter your email address')
    if (!emailFormat.test(address)) {
      return showEmailStep(
        root,
        undefined,
        'Enter an email address in the correct format, like name@example.com',
        address,
      )
    }
    const { error: sendError } = await supabase().auth.signInWithOtp({
      email: address,
      options: { shouldCreateUser: false },
    })
    if (sendError?.status === 429) {
      return showEmailStep(
        root,
        undefined,
        'You have asked for too many codes. Wait an hour, then try again',
        address,
      )
    }
    // Any other refusal (an address we do not know) looks the same as success.
    showCodeStep(root, address)
  })
}

function showCodeStep(root: HTMLElement, email: string, error?: string): void {
  const input = h('input', {
    class: 'govuk-input govuk-input--width-5',
    type: 'text',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    spellcheck: 'false',
  })
  const again = link('#email', 'Send a new code')
  const form = h(
    'form',
    { novalidate: true },
    field({ id: 'code', label: 'Code', hint: 'This is 6 numbers', error, control: input }),
    button('Sign in'),
  )
  showPage(root, 'Check your email', [
    errorSummary(error ? [{ field: 'code', text: error }] : []),
    heading('Check your email'),
    paragraph('If ', h('strong', {}, email), ' can use this service, we have sent a code to it.'),
    paragraph('The code expires after 1 hour.'),
    form,
    paragraph(again, ' if it has not arrived after a few minutes.'),
  ], { hasErrors: Boolean(error) })
  again.addEventListener('click', (event) => {
    event.preventDefault()
    showEmailStep(root, undefined, undefined, email)
  })
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const code = input.value.replace(/\s/g, '')
    if (!code) return showCodeStep(root, email, 'Enter the code from the email')
    if (!/^\d{6}$/.test(code)) return showCodeStep(root, email, 'The code must be 6 numbers')
    const { error: verifyError } = await supabase().auth.verifyOtp({
      email,
      token: code,
      type: 'email',
    })
    if (verifyError) {
      return showCodeStep(
        root,
        email,
        'The code is wrong or has expired. Check the email or send a new code',
      )
    }
    location.assign(safeNext(new URLSearchParams(location.search).get('next')))
  })
}
