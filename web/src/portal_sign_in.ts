/// <reference lib="dom" />
/**
 * A portal's sign-in page: email address, then the 6-digit code emailed to it. Whether an address
 * belongs to someone who may use the portal is never shown: an unknown one also gets "Check your
 * email". When the code cannot be sent (GOV.UK Notify refused it or is down, so Auth's Send Email
 * Hook failed), the page says so at once rather than leaving the person waiting for an email.
 */
import {
  button,
  errorSummary,
  h,
  heading,
  inputField,
  link,
  notificationBanner,
  paragraph,
  showPage,
} from './portal_dom.ts'
import { type PortalSession, supabase } from './portal_session.ts'
import { emailFormatWrong } from './portal_words.ts'

/** What the sign-in page says for one portal. */
export type SignInWording = { heading: string; hint: string }

const emailFormat = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

const notSent = 'We could not send a code to that email address. Try again in a few minutes'

/** The page for `session`'s portal, as a portal page function. */
export function signInPage(session: PortalSession, wording: SignInWording) {
  return (root: HTMLElement): void => {
    const params = new URLSearchParams(location.search)
    showEmailStep({ root, session, wording }, params.has('signed-out') ? 'signed_out' : undefined)
  }
}

type SignIn = { root: HTMLElement; session: PortalSession; wording: SignInWording }

function showEmailStep(page: SignIn, notice?: 'signed_out', error?: string, email = ''): void {
  const { root, wording } = page
  const { group, control: input } = inputField({
    id: 'email',
    label: 'Email address',
    hint: wording.hint,
    error,
    type: 'email',
    autocomplete: 'email',
    spellcheck: false,
    value: email,
  })
  const form = h('form', { novalidate: true }, group, button('Continue'))
  showPage(root, 'Sign in', [
    notice === 'signed_out'
      ? notificationBanner({ heading: 'You have signed out', success: true })
      : null,
    errorSummary(error ? [{ field: 'email', text: error }] : []),
    heading(wording.heading),
    paragraph('We will email you a code to sign in.'),
    error === notSent
      ? paragraph(
        'If it still does not work, email the Department for Education at the address under ',
        '‘Get help’ at the bottom of this page.',
      )
      : null,
    form,
  ], { hasErrors: Boolean(error) })
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const address = input.value.trim()
    if (!address) return showEmailStep(page, undefined, 'Enter your email address')
    if (!emailFormat.test(address)) {
      return showEmailStep(
        page,
        undefined,
        emailFormatWrong,
        address,
      )
    }
    const { error: sendError } = await supabase().auth.signInWithOtp({
      email: address,
      options: { shouldCreateUser: false },
    })
    if (sendError?.status === 429) {
      return showEmailStep(
        page,
        undefined,
        'You have asked for too many codes. Wait an hour, then try again',
        address,
      )
    }
    if (sendError && codeNotSent(sendError)) return showEmailStep(page, undefined, notSent, address)
    // Any other refusal (an address we do not know) looks the same as success.
    showCodeStep(page, address)
  })
}

function showCodeStep(page: SignIn, email: string, error?: string): void {
  const { root, session } = page
  const { group, control: input } = inputField({
    id: 'code',
    label: 'Code',
    hint: 'This is 6 numbers',
    error,
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    spellcheck: false,
    width: '5',
  })
  const again = link('#email', 'Send a new code')
  const form = h('form', { novalidate: true }, group, button('Sign in'))
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
    showEmailStep(page, undefined, undefined, email)
  })
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const code = input.value.replace(/\s/g, '')
    if (!code) return showCodeStep(page, email, 'Enter the code from the email')
    if (!/^\d{6}$/.test(code)) return showCodeStep(page, email, 'The code must be 6 numbers')
    const { error: verifyError } = await supabase().auth.verifyOtp({
      email,
      token: code,
      type: 'email',
    })
    if (verifyError) {
      return showCodeStep(
        page,
        email,
        'The code is wrong or has expired. Check the email or send a new code',
      )
    }
    location.assign(session.safeNext(new URLSearchParams(location.search).get('next')))
  })
}

/**
 * Whether Auth failed to send the code, rather than refusing the address: its Send Email Hook
 * failed (500, or 422 `hook_timeout...` when the hook did not answer in time) or Auth could not be
 * reached at all (status 0). Refusals of an unknown address (422 `otp_disabled`) are not this.
 */
function codeNotSent(error: { status?: number | undefined; code?: string | undefined }): boolean {
  const status = error.status ?? 0
  return status === 0 || status >= 500 || Boolean(error.code?.startsWith('hook_'))
}
