/**
 * Is each edge function deployed and answering as itself? Every probe is a request the function
 * refuses before doing any work (no session, no key, no signature, an unknown link), so the
 * answer proves the function started and its own code replied, and nothing is read or sent. The
 * expected answers come from each function's app.ts.
 */
import { type Answer, ask, errorCode, fields } from './deploy_check_http.ts'
import { fail, type Finding, ok } from './deploy_check_report.ts'

type Probe = {
  name: string
  path: string
  method: 'GET' | 'POST'
  body?: unknown
  status: number
  /** Our error code; absent for the hook, whose errors are in Supabase Auth's shape. */
  code?: string
  /** What the probe asks, as the person reads it. */
  asks: string
}

export const probes: Probe[] = [
  {
    name: 'challenge',
    path: '/status',
    method: 'POST',
    body: { token: 'deploy-check' },
    status: 404,
    code: 'link_not_found',
    asks: 'a link that does not exist',
  },
  {
    name: 'provider',
    path: '/me',
    method: 'GET',
    status: 401,
    code: 'unauthorised',
    asks: 'a request without a session',
  },
  {
    name: 'support',
    path: '/me',
    method: 'GET',
    status: 401,
    code: 'unauthorised',
    asks: 'a request without a session',
  },
  {
    name: 'lead-provider-api',
    path: '/partnerships',
    method: 'GET',
    status: 401,
    code: 'unauthorised',
    asks: 'a request without an API token',
  },
  {
    name: 'notifications',
    path: '',
    method: 'POST',
    body: {},
    status: 401,
    code: 'unauthorised',
    asks: 'a run without the secret key',
  },
  {
    name: 'notify-callback',
    path: '',
    method: 'POST',
    body: {},
    status: 401,
    code: 'unauthorised',
    asks: "a receipt without Notify's bearer token",
  },
  {
    name: 'auth-email-hook',
    path: '',
    method: 'POST',
    body: {},
    status: 401,
    asks: 'an unsigned Send Email Hook call',
  },
]

/** One finding per function, from its probe. */
export async function checkFunctions(projectUrl: string): Promise<Finding[]> {
  return await Promise.all(probes.map(async (probe) => {
    const answer = await ask(`${projectUrl}/functions/v1/${probe.name}${probe.path}`, {
      method: probe.method,
      ...(probe.body === undefined ? {} : {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(probe.body),
      }),
    })
    return probeFinding(probe, answer)
  }))
}

/** What a probe's answer says about the function. */
export function probeFinding(probe: Probe, answer: Answer): Finding {
  const check = `Function ${probe.name}`
  const deploy =
    `supabase functions deploy ${probe.name} --use-api (see README, Deploy to Supabase).`
  if ('unreachable' in answer) {
    return fail(check, `no answer (${answer.unreachable}).`, 'check --url and the network.')
  }
  const { status, body } = answer
  const json = fields(body)
  // An answer of the function itself has an `error` object: ours `{code, message}`, the hook's
  // Supabase Auth's `{http_code, message}`; or the Lead Provider API's JSON:API `errors` list.
  // The platform answers in other shapes.
  const fromFunction = (typeof json.error === 'object' && json.error !== null) ||
    Array.isArray(json.errors)
  const code = errorCode(body)
  const expected = `${probe.status}${probe.code ? ` ${probe.code}` : ''}`
  if (fromFunction && status === probe.status && (!probe.code || code === probe.code)) {
    return ok(check, `answers ${probe.asks} with ${expected}, as it should.`)
  }
  if (status === 404 && !fromFunction) return fail(check, 'is not deployed.', deploy)
  if (status === 401 && !fromFunction) {
    return fail(
      check,
      'the platform refused the request before the function ran: its JWT check is on.',
      `set verify_jwt = false under [functions.${probe.name}] in supabase/config.toml, then ${deploy}`,
    )
  }
  if (status >= 500) {
    const what = typeof json.code === 'string' ? json.code : code ?? 'no error code'
    return fail(
      check,
      `failed with ${status} (${what}).`,
      'read its logs (Edge Functions > Logs): a missing or malformed secret is the usual cause.',
    )
  }
  return fail(
    check,
    `answered ${probe.asks} with ${status}${code ? ` ${code}` : ''}, not ${expected}.`,
    `deploy this version of it: ${deploy}`,
  )
}
