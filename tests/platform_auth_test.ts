/**
 * The Auth stand-in through the real `@supabase/supabase-js`, and what the functions rely on:
 * an access token it issues verifies against the JWKS in `_shared/auth.ts`, a forged one does
 * not, and a query run with its claims sees only that user's rows under RLS.
 */
import assert from 'node:assert/strict'
import { decodeJwt, generateKeyPair, SignJWT } from 'jose'
import {
  connect,
  createUser,
  latestSignInCode,
  mailbox,
  signIn,
  stack,
  supabaseClient,
} from './_stack.ts'

Deno.test({
  name: 'signInWithOtp() emails a six-digit code and verifyOtp() turns it into a session',
  fn: async () => {
    const { email, id } = await createUser('otp')
    const client = supabaseClient()

    const sent = await client.auth.signInWithOtp({ email, options: { shouldCreateUser: false } })
    assert.equal(sent.error, null)
    const code = await latestSignInCode(email)
    assert.match(code, /^\d{6}$/)
    const [message] = await mailbox({ to: email })
    assert.match(message?.subject ?? '', /^Your code to sign in/)
    assert.match(message!.body, new RegExp(`\\b${code}\\b`))
    assert.match(message!.body, /expires 1 hour after/)

    const { data, error } = await client.auth.verifyOtp({ email, token: code, type: 'email' })
    assert.equal(error, null)
    assert.equal(data.user?.id, id)
    assert.equal(data.user?.email, email)
    assert.equal(data.session?.token_type, 'bearer')
    assert.ok(data.session?.refresh_token)

    const claims = decodeJwt(data.session!.access_token)
    assert.equal(claims.sub, id)
    assert.equal(claims.aud, 'authenticated')
    assert.equal(claims.role, 'authenticated')
    assert.equal(claims.email, email)
    assert.equal(claims.iss, `${stack.apiUrl}/auth/v1`)
    assert.equal(claims.aal, 'aal1')
    assert.ok(typeof claims.session_id === 'string')
  },
})

Deno.test({
  name: 'verifyOtp() refuses a code that was already used',
  fn: async () => {
    const { email } = await createUser('reuse')
    await signIn(email)
    const code = await latestSignInCode(email)
    const again = await supabaseClient().auth.verifyOtp({ email, token: code, type: 'email' })
    assert.equal(again.error?.status, 403)
    assert.equal(again.error?.code, 'otp_expired')
  },
})

Deno.test({
  name: 'verifyOtp() stops accepting a code after five wrong guesses',
  fn: async () => {
    const { email } = await createUser('guess')
    const client = supabaseClient()
    await client.auth.signInWithOtp({ email, options: { shouldCreateUser: false } })
    const code = await latestSignInCode(email)
    const wrong = code === '000000' ? '111111' : '000000'
    for (let i = 0; i < 5; i++) {
      const guess = await client.auth.verifyOtp({ email, token: wrong, type: 'email' })
      assert.equal(guess.error?.code, 'otp_expired')
    }
    const right = await client.auth.verifyOtp({ email, token: code, type: 'email' })
    assert.equal(right.error?.code, 'otp_expired')
  },
})

Deno.test({
  name: 'verifyOtp() refuses a code sent more than an hour ago',
  fn: async () => {
    const { email, id } = await createUser('stale')
    const client = supabaseClient()
    await client.auth.signInWithOtp({ email, options: { shouldCreateUser: false } })
    const code = await latestSignInCode(email)
    const sql = connect()
    try {
      await sql`
        update local_auth.otp_codes set created_at = now() - interval '61 minutes'
        where user_id = ${id}`
    } finally {
      await sql.end()
    }
    const { error } = await client.auth.verifyOtp({ email, token: code, type: 'email' })
    assert.equal(error?.code, 'otp_expired')
  },
})

Deno.test({
  name: 'signInWithOtp() refuses an address with no account, as sign-ups are off',
  fn: async () => {
    const email = `nobody-${crypto.randomUUID()}@example.test`
    const { error } = await supabaseClient().auth.signInWithOtp({
      email,
      options: { shouldCreateUser: false },
    })
    assert.equal(error?.status, 422)
    assert.equal(error?.code, 'otp_disabled')
    assert.deepEqual((await mailbox({ to: email })).filter((m) => m.to === email), [])
  },
})

Deno.test({
  name: 'signInWithOtp() refuses an unconfirmed address as a sign-up, as hosted Auth does',
  fn: async () => {
    const { email, id } = await createUser('unconfirmed')
    const sql = connect()
    try {
      await sql`update auth.users set email_confirmed_at = null where id = ${id}`
    } finally {
      await sql.end()
    }
    const { error } = await supabaseClient().auth.signInWithOtp({
      email,
      options: { shouldCreateUser: false },
    })
    assert.equal(error?.status, 422)
    assert.equal(error?.code, 'signup_disabled')
    assert.deepEqual(await mailbox({ to: email }), [])
  },
})

Deno.test({
  name: 'signInWithOtp() refuses a 31st code for one address within the hour',
  fn: async () => {
    const { email } = await createUser('limit')
    const client = supabaseClient()
    for (let i = 0; i < 30; i++) {
      const { error } = await client.auth.signInWithOtp({
        email,
        options: { shouldCreateUser: false },
      })
      assert.equal(error, null)
    }
    const { error } = await client.auth.signInWithOtp({
      email,
      options: { shouldCreateUser: false },
    })
    assert.equal(error?.status, 429)
    assert.equal(error?.code, 'over_email_send_rate_limit')
  },
})

/** The error code a fresh client gets when it refreshes with `refreshToken`. */
async function refreshRefusal(refreshToken: string): Promise<string | undefined> {
  const { error } = await supabaseClient().auth.refreshSession({ refresh_token: refreshToken })
  return error?.code
}

Deno.test({
  name: 'refreshSession() rotates the refresh token and the old one stops working',
  fn: async () => {
    const { email, id } = await createUser('refresh')
    const { client, session } = await signIn(email)

    const refreshed = await client.auth.refreshSession({ refresh_token: session.refresh_token })
    assert.equal(refreshed.error, null)
    assert.equal(refreshed.data.user?.id, id)
    assert.notEqual(refreshed.data.session?.refresh_token, session.refresh_token)
    assert.equal(
      decodeJwt(refreshed.data.session!.access_token).session_id,
      decodeJwt(session.access_token).session_id,
    )

    assert.equal(await refreshRefusal(session.refresh_token), 'refresh_token_already_used')
  },
})

Deno.test({
  name: 'getUser() returns the signed-in user and signOut() ends the session',
  fn: async () => {
    const { email, id } = await createUser('signout')
    const { client, session } = await signIn(email)

    const user = await client.auth.getUser()
    assert.equal(user.error, null)
    assert.equal(user.data.user?.id, id)
    assert.equal(user.data.user?.email, email)

    const { error } = await client.auth.signOut()
    assert.equal(error, null)
    const after = await supabaseClient().auth.getUser(session.access_token)
    assert.ok(after.error, 'the ended session no longer identifies the user')
    assert.equal(await refreshRefusal(session.refresh_token), 'refresh_token_not_found')
  },
})

Deno.test({
  name: 'the JWKS endpoint publishes the public signing key only',
  fn: async () => {
    const response = await fetch(`${stack.apiUrl}/auth/v1/.well-known/jwks.json`)
    assert.equal(response.status, 200)
    const { keys } = await response.json()
    assert.equal(keys.length, 1)
    assert.equal(keys[0].alg, 'ES256')
    assert.equal(keys[0].kty, 'EC')
    assert.ok(keys[0].kid)
    assert.equal(keys[0].d, undefined)
  },
})

Deno.test({
  name: 'getUser() refuses a token signed with a key that is not in the JWKS',
  fn: async () => {
    const { id, email } = await createUser('forged')
    const forged = await forgeToken({ sub: id, email })
    const { data, error } = await supabaseClient().auth.getUser(forged)
    assert.equal(data.user, null)
    assert.equal(error?.status, 403)
  },
})

Deno.test({
  name: 'Auth refuses requests without the API key',
  fn: async () => {
    const response = await fetch(`${stack.apiUrl}/auth/v1/otp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'someone@example.test' }),
    })
    assert.equal(response.status, 401)
    assert.equal((await response.json()).message, 'No API key found in request')
  },
})

/** An access token shaped like a real one, signed with a key of the test's own. */
async function forgeToken(claims: { sub: string; email: string }): Promise<string> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true })
  const { kid } = (await (await fetch(`${stack.apiUrl}/auth/v1/.well-known/jwks.json`)).json())
    .keys[0]
  return await new SignJWT({ ...claims, role: 'authenticated', session_id: crypto.randomUUID() })
    .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
    .setIssuer(`${stack.apiUrl}/auth/v1`)
    .setAudience('authenticated')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey)
}
