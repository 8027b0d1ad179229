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
import { previewFixture } from './portal_preview.ts'
import { type PortalSession, supabase } from './portal_session.ts'
import { emailFormatWrong, signInWords as words } from './portal_words.ts'

/** What the sign-in page says for one portal. */
export type SignInWording = { heading: string; hint: string }

const emailFormat = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/**
 * A step a preview of this page shows (its fixture's `state`): the ones a person reaches only by
 * acting, such as the code step or a step with an error. A live page has none.
 */
type SignInPreview = { step: 'email' | 'code'; email?: string; error?: string }

/** The page for `session`'s portal, as a portal page function. */
export function signInPage(session: PortalSession, wording: SignInWording) {
  return (root: HTMLElement): void => {
    const page = { root, session, wording }
    const preview = previewFixture()?.state as SignInPreview | undefined
    if (preview?.step === 'code') return showCodeStep(page, preview.email ?? '', preview.error)
    if (preview) return showEmailStep(page, undefined, preview.error, preview.email)
    const params = new URLSearchParams(location.search)
    showEmailStep(page, params.has('signed-out') ? 'signed_out' : undefined)
  }
}

type SignIn = { root: HTMLElement; session: PortalSession; wording: SignInWording }

function showEmailStep(page: SignIn, notice?: 'signed_out', error?: string, email = ''): void {
  const { root, wording } = page
  const { group, control: input } = inputField({
    id: 'email',
    label: words.emailLabel,
    hint: wording.hint,
    error,
    type: 'email',
    autocomplete: 'email',
    spellcheck: false,
    value: email,
  })
  const form = h('form', { novalidate: true }, group, button(words.continue))
  showPage(root, words.title, [
    notice === 'signed_out'
      ? notificationBanner({ heading: words.signedOut, success: true })
      : null,
    errorSummary(error ? [{ field: 'email', text: error }] : []),
    heading(wording.heading),
    paragraph(words.willEmail),
    error === words.notSent ? paragraph(...words.stillNotWorking) : null,
    form,
  ], { hasErrors: Boolean(error) })
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const address = input.value.trim()
    if (!address) return showEmailStep(page, undefined, words.emailRequired)
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
        words.tooMany,
        address,
      )
    }
    if (sendError && codeNotSent(sendError)) {
      return showEmailStep(page, undefined, words.notSent, address)
    }
    // Any other refusal (an address we do not know) looks the same as success.
    showCodeStep(page, address)
  })
}

function showCodeStep(page: SignIn, email: string, error?: string): void {
  const { root, session } = page
  const { group, control: input } = inputField({
    id: 'code',
    label: words.codeLabel,
    hint: words.codeHint,
    error,
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    spellcheck: false,
    width: '5',
  })
  const again = link('#email', words.sendAgain)
  const form = h('form', { novalidate: true }, group, button(words.signIn))
  showPage(root, words.checkTitle, [
    errorSummary(error ? [{ field: 'code', text: error }] : []),
    heading(words.checkTitle),
    paragraph(words.ifCanUse[0], h('strong', {}, email), words.ifCanUse[1]),
    paragraph(words.expires),
    form,
    paragraph(again, words.notArrived),
  ], { hasErrors: Boolean(error) })
  again.addEventListener('click', (event) => {
    event.preventDefault()
    showEmailStep(page, undefined, undefined, email)
  })
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const code = input.value.replace(/\s/g, '')
    if (!code) return showCodeStep(page, email, words.codeRequired)
    if (!/^\d{6}$/.test(code)) return showCodeStep(page, email, words.codeFormat)
    const { error: verifyError } = await supabase().auth.verifyOtp({
      email,
      token: code,
      type: 'email',
    })
    if (verifyError) {
      return showCodeStep(
        page,
        email,
        words.codeWrong,
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
