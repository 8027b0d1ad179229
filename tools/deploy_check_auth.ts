/**
 * Supabase Auth as the service needs it: user tokens signed with an asymmetric key the functions
 * can verify from the JWKS (they refuse the legacy HS256 secret), email sign-in on, sign-ups off,
 * and the API keys given being this project's. Only GET requests, which change nothing.
 */
import { ask, fields } from './deploy_check_http.ts'
import { fail, type Finding, ok, skip } from './deploy_check_report.ts'

export type ApiKeys = { publishable?: string; secret?: string }

/** Algorithms the functions verify user tokens with (supabase/functions/_shared/auth.ts). */
const asymmetric = new Set(['ES256', 'RS256', 'EdDSA'])

const moveToSigningKeys =
  'Project Settings > JWT Keys: create an ES256 signing key and rotate to it, so it is in use ' +
  '(see README, Deploy to Supabase).'

export async function checkAuth(projectUrl: string, keys: ApiKeys): Promise<Finding[]> {
  const [jwks, settings] = await Promise.all([
    checkSigningKeys(projectUrl, keys.publishable),
    checkSettings(projectUrl, keys),
  ])
  return [jwks, ...settings]
}

async function checkSigningKeys(projectUrl: string, publishableKey?: string): Promise<Finding> {
  // The JWKS is public; the key goes along in case a gateway in front of Auth asks for one.
  const answer = await ask(`${projectUrl}/auth/v1/.well-known/jwks.json`, {
    headers: publishableKey ? { apikey: publishableKey } : {},
  })
  if ('unreachable' in answer) {
    return fail('JWT signing keys', `no answer (${answer.unreachable}).`, 'check --url.')
  }
  if (answer.status !== 200) {
    return fail(
      'JWT signing keys',
      `${projectUrl}/auth/v1/.well-known/jwks.json answered ${answer.status}.`,
      'check --url: it should be https://<project ref>.supabase.co.',
    )
  }
  return signingKeysFinding(answer.body)
}

/** What the published JWKS says about how the project signs user tokens. */
export function signingKeysFinding(jwks: unknown): Finding {
  const check = 'JWT signing keys'
  const keys = fields(jwks).keys
  if (!Array.isArray(keys)) {
    return fail(check, 'the JWKS is not a key set ({"keys": [...]}).', 'check --url.')
  }
  if (keys.length === 0) {
    return fail(
      check,
      'none published: the project signs user tokens with the legacy JWT secret (HS256), ' +
        'which the functions refuse (401 legacy_jwt_signing_key).',
      moveToSigningKeys,
    )
  }
  const algorithms = keys.map((key) => String(fields(key).alg ?? fields(key).kty ?? 'unknown'))
  const unusable = algorithms.filter((algorithm) => !asymmetric.has(algorithm))
  if (unusable.length === algorithms.length) {
    return fail(
      check,
      `only ${unusable.join(', ')} keys are published; the functions verify ES256, RS256 or EdDSA.`,
      moveToSigningKeys,
    )
  }
  return ok(
    check,
    `${algorithms.join(', ')} published; Project Settings > JWT Keys should show it "in use", ` +
      'not only "standby" (the JWKS lists both).',
  )
}

async function checkSettings(projectUrl: string, keys: ApiKeys): Promise<Finding[]> {
  const given = (['publishable', 'secret'] as const).filter((kind) => keys[kind])
  if (given.length === 0) {
    return [skip('Auth settings', 'give --publishable-key (or --secret-key) to read them.')]
  }
  const answers = await Promise.all(given.map(async (kind) => ({
    kind,
    answer: await ask(`${projectUrl}/auth/v1/settings`, { headers: { apikey: keys[kind]! } }),
  })))
  const findings: Finding[] = []
  const refused = answers.filter(({ answer }) => 'status' in answer && answer.status === 401)
  findings.push(
    refused.length
      ? fail(
        'API keys',
        `Auth refuses the ${refused.map(({ kind }) => kind).join(' and ')} key given.`,
        'copy the keys from Project Settings > API Keys.',
      )
      : ok('API keys', `Auth accepts the ${given.join(' and ')} key given.`),
  )
  const read = answers.find(({ answer }) => 'status' in answer && answer.status === 200)
  if (!read || !('status' in read.answer)) {
    const first = answers[0]!.answer
    const detail = 'unreachable' in first
      ? `no answer (${first.unreachable}).`
      : `${projectUrl}/auth/v1/settings answered ${first.status}.`
    findings.push(fail('Auth settings', detail, 'check --url and the keys.'))
    return findings
  }
  findings.push(authSettingsFinding(read.answer.body))
  return findings
}

/** Sign-ups must be off and email sign-in on (GoTrue's `GET /settings`). */
export function authSettingsFinding(settings: unknown): Finding {
  const check = 'Auth settings'
  const { disable_signup: signUpsOff, external } = fields(settings)
  const problems: string[] = []
  const fixes: string[] = []
  if (signUpsOff !== true) {
    problems.push('sign-ups are on, so anyone could make an account')
    fixes.push('turn off "Allow new users to sign up" ([auth] enable_signup = false)')
  }
  if (fields(external).email !== true) {
    problems.push('the Email provider is off, so nobody can be sent a sign-in code')
    fixes.push('turn on the Email provider ([auth.email] enable_signup = true)')
  }
  if (problems.length === 0) return ok(check, 'sign-ups are off and email sign-in is on.')
  return fail(
    check,
    `${problems.join('; ')}.`,
    `Authentication > Sign In / Providers: ${fixes.join('; ')}.`,
  )
}
