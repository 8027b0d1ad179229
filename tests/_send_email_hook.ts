/**
 * Calls to the `auth-email-hook` function as Supabase Auth makes them: its payload for a sign-in
 * code, and Standard Webhooks headers signed with the hook's secret; and the function's app in the
 * test's process. Shared by the tests through the stack and the handler tests of the app itself;
 * needs no stack.
 */
import { Webhook } from 'standardwebhooks'
import { literalConfig } from '../supabase/functions/_shared/config.ts'
import { createAuthEmailHookApp } from '../supabase/functions/auth-email-hook/app.ts'

/** Auth's payload for a sign-in code to `email`, for the site at `siteUrl`. */
export function hookPayload(
  email: string,
  { emailActionType = 'magiclink', siteUrl = 'https://site.example.test' } = {},
): string {
  return JSON.stringify({
    user: { id: crypto.randomUUID(), email, aud: 'authenticated', role: 'authenticated' },
    email_data: {
      token: '246810',
      token_hash: '',
      redirect_to: siteUrl,
      email_action_type: emailActionType,
      site_url: `${siteUrl}/auth/v1`,
      token_new: '',
      token_hash_new: '',
    },
  })
}

/** Standard Webhooks headers for `body`, signed with `secret` (`v1,whsec_...`) as at `at`. */
export function signedHeaders(
  body: string,
  secret: string,
  at = new Date(),
): Record<string, string> {
  const id = `msg_${crypto.randomUUID()}`
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret.slice('v1,'.length)).sign(id, at, body),
  }
}

/** A new hook secret, as Supabase Auth shows one: `v1,whsec_<base64>`. */
export function newHookSecret(): string {
  return `v1,whsec_${btoa(crypto.randomUUID().slice(0, 32))}`
}

/**
 * The hook's app in this process, admitting calls signed with `secret` (`v1,whsec_...`) and
 * sending through the Notify at `notify.baseUrl` with `notify.apiKey`.
 */
export function hookApp(
  secret: string,
  notify: { apiKey: string; baseUrl: string; templateId: string },
) {
  return createAuthEmailHookApp({
    config: literalConfig({
      sendEmailHook: {
        secrets: [secret.slice('v1,'.length)],
        notifyApiKey: notify.apiKey,
        notifyBaseUrl: notify.baseUrl,
        signInCodeTemplateId: notify.templateId,
      },
    }),
  })
}
