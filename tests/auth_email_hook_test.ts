/**
 * The sign-in email path over real HTTP on the local stack: the real `@supabase/supabase-js` asks
 * the Auth stand-in for a code, the stand-in calls the `auth-email-hook` function through the
 * gateway with a Standard Webhooks signature, and the function sends the code through the Notify
 * double; Notify's failures reach the person as Auth's errors. What the hook refuses before
 * sending (calls Auth did not sign, bodies it cannot use, emails it does not send) is proven
 * through `app.request()` in supabase/functions/auth-email-hook/app_test.ts.
 */
import assert from 'node:assert/strict'
import templates from '../notify/templates/templates.json' with { type: 'json' }
import { hookApp, hookPayload, newHookSecret, signedHeaders as signed } from './_send_email_hook.ts'
import { createUser, latestSignInCode, mailbox, stack, supabaseClient } from './_stack.ts'

const hookUrl = `${stack.apiUrl}/functions/v1/auth-email-hook`
const signInTemplate = templates.find((template) => template.kind === 'sign_in_code')!

function hookSecret(): string {
  const secret = Deno.env.get('TEST_SEND_EMAIL_HOOK_SECRET')
  if (!secret) throw new Error('TEST_SEND_EMAIL_HOOK_SECRET is not set: run with `deno task test`')
  return secret
}

/** Auth's payload for a sign-in code to `email`, for the stack's site. */
function payload(email: string, emailActionType = 'magiclink'): string {
  return hookPayload(email, { emailActionType, siteUrl: stack.webUrl })
}

async function callHook(body: string, headers: Record<string, string>) {
  const response = await fetch(hookUrl, { method: 'POST', headers, body })
  return { status: response.status, headers: response.headers, body: await response.json() }
}

async function addFault(fault: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${stack.notifyUrl}/_double/faults`, {
    method: 'POST',
    body: JSON.stringify(fault),
  })
  assert.equal(response.status, 201)
  await response.body?.cancel()
}

Deno.test('signInWithOtp() sends the code through the Send Email Hook and Notify, and it signs in', async () => {
  const { email, id } = await createUser('hook')
  const client = supabaseClient()

  const sent = await client.auth.signInWithOtp({ email, options: { shouldCreateUser: false } })
  assert.equal(sent.error, null)
  const [message, ...others] = await mailbox({ to: email })
  assert.deepEqual(others, [])
  assert.equal(message!.template_id, signInTemplate.id)
  assert.equal(
    message!.subject,
    'Your code to sign in to Report a mistake with early career teacher training',
  )
  const code = await latestSignInCode(email)
  assert.match(code, /^\d{6}$/)
  assert.match(message!.body, new RegExp(`\\b${code}\\b`))
  assert.match(message!.body, /expires 1 hour after we sent this email/)
  // The function uses the call's webhook-id as Notify's reference: the hook made this send.
  assert.match(message!.reference ?? '', /^[0-9a-f-]{36}$/)

  const { data, error } = await client.auth.verifyOtp({ email, token: code, type: 'email' })
  assert.equal(error, null)
  assert.equal(data.user?.id, id)
})

Deno.test('the hook answers 503 with Retry-After when Notify fails, so Auth tries again', async () => {
  const email = `retry-${crypto.randomUUID()}@example.test`
  await addFault({ kind: '500', to: email })
  const body = payload(email)
  const answer = await callHook(body, signed(body, hookSecret()))
  assert.equal(answer.status, 503)
  assert.ok(answer.headers.get('retry-after'))
  assert.equal(answer.body.error.http_code, 503)

  // Through Auth: the first attempt meets Notify's 500, Auth tries again, the code arrives.
  const { email: person } = await createUser('retry')
  await addFault({ kind: '500', to: person })
  const sent = await supabaseClient().auth.signInWithOtp({
    email: person,
    options: { shouldCreateUser: false },
  })
  assert.equal(sent.error, null)
  assert.match(await latestSignInCode(person), /^\d{6}$/)
})

Deno.test('Notify refusing the address fails signInWithOtp() with Auth’s 500, and no code works', async () => {
  const { email } = await createUser('refused')
  await addFault({ kind: '400', to: email })
  const client = supabaseClient()
  const sent = await client.auth.signInWithOtp({ email, options: { shouldCreateUser: false } })
  // supabase-js reports every 5xx as retryable, with Auth's message and no code.
  assert.equal(sent.error?.status, 500)
  assert.equal(sent.error?.message, 'Unexpected status code returned from hook: 422')
  assert.deepEqual(await mailbox({ to: email }), [])

  // Once Notify accepts again, a new code is sent and works.
  const again = await client.auth.signInWithOtp({ email, options: { shouldCreateUser: false } })
  assert.equal(again.error, null)
  const verified = await client.auth.verifyOtp({
    email,
    token: await latestSignInCode(email),
    type: 'email',
  })
  assert.equal(verified.error, null)
})

Deno.test('the hook answers 500 in Auth’s error shape when Notify refuses its API key', async () => {
  // The function's app in this process, configured as a deploy with a wrong Notify key would be.
  const secret = newHookSecret()
  const app = hookApp(secret, {
    apiKey: `wrong-${crypto.randomUUID()}-${crypto.randomUUID()}`,
    baseUrl: stack.notifyUrl,
    templateId: signInTemplate.id,
  })

  const email = `wrong-key-${crypto.randomUUID()}@example.test`
  const body = payload(email)
  const response = await app.request('/auth-email-hook', {
    method: 'POST',
    headers: signed(body, secret),
    body,
  })
  assert.equal(response.status, 500)
  assert.deepEqual(await response.json(), {
    error: { http_code: 500, message: 'GOV.UK Notify refused the API key' },
  })
  assert.deepEqual(await mailbox({ to: email }), [])
})
