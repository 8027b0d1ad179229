/**
 * Unit tests of what the deploy check concludes from what it read: answers and rows the local
 * stack cannot be made to give (a project on the legacy JWT secret, sign-ups on, the sweep owned
 * by another role, a function behind the gateway's JWT check). tests/deploy_check_test.ts runs
 * the whole check against the stack.
 */
import assert from 'node:assert/strict'
import { authSettingsFinding, signingKeysFinding } from './deploy_check_auth.ts'
import { migrationsFinding, sweepFinding } from './deploy_check_database.ts'
import { probeFinding, probes } from './deploy_check_functions.ts'
import { exitCode, fail, formatReport, ok, skip } from './deploy_check_report.ts'

const sweep = {
  jobid: '7',
  schedule: '5 seconds',
  command: 'select app.sweep_notifications()',
  username: 'postgres',
  active: true,
}

function probe(name: string) {
  const found = probes.find((candidate) => candidate.name === name)
  assert.ok(found)
  return found
}

Deno.test('signingKeysFinding() fails a project on the legacy HS256 secret and says how to move', () => {
  const finding = signingKeysFinding({ keys: [] })
  assert.equal(finding.outcome, 'fail')
  assert.match(finding.detail, /legacy JWT secret \(HS256\)/)
  assert.match(finding.fix!, /JWT Keys.*ES256/)
})

Deno.test('signingKeysFinding() accepts ES256 and RS256 keys and refuses a JWKS that is not one', () => {
  assert.equal(signingKeysFinding({ keys: [{ kty: 'EC', alg: 'ES256', kid: 'a' }] }).outcome, 'ok')
  assert.equal(signingKeysFinding({ keys: [{ kty: 'RSA', alg: 'RS256', kid: 'b' }] }).outcome, 'ok')
  assert.equal(signingKeysFinding([{ kty: 'EC', alg: 'ES256' }]).outcome, 'fail')
  assert.equal(signingKeysFinding({ keys: [{ kty: 'oct', alg: 'HS256' }] }).outcome, 'fail')
})

Deno.test('authSettingsFinding() fails sign-ups left on and the Email provider off', () => {
  const good = { disable_signup: true, external: { email: true } }
  assert.equal(authSettingsFinding(good).outcome, 'ok')
  const signUpsOn = authSettingsFinding({ ...good, disable_signup: false })
  assert.equal(signUpsOn.outcome, 'fail')
  assert.match(signUpsOn.detail, /sign-ups are on/)
  const emailOff = authSettingsFinding({ ...good, external: { email: false } })
  assert.equal(emailOff.outcome, 'fail')
  assert.match(emailOff.detail, /Email provider is off/)
  assert.match(emailOff.fix!, /\[auth\.email\] enable_signup = true/)
})

Deno.test('sweepFinding() fails a sweep scheduled by a role other than postgres', () => {
  const finding = sweepFinding([{ ...sweep, username: 'supabase_admin' }])
  assert.equal(finding.outcome, 'fail')
  assert.match(finding.detail, /job 7 belongs to supabase_admin, not postgres/)
  assert.match(finding.fix!, /cron\.unschedule\(7\).*as postgres: select cron\.schedule/)
})

Deno.test("sweepFinding() fails a changed schedule and passes the migration's job", () => {
  assert.equal(sweepFinding([sweep]).outcome, 'ok')
  const hourly = sweepFinding([{ ...sweep, schedule: '0 * * * *' }])
  assert.equal(hourly.outcome, 'fail')
  assert.match(hourly.detail, /on '0 \* \* \* \*'/)
})

Deno.test('migrationsFinding() names migrations missing and ones the checkout lacks', () => {
  assert.equal(migrationsFinding(['1', '2'], ['2', '1']).outcome, 'ok')
  const behind = migrationsFinding(['1', '2', '3'], ['1'])
  assert.match(behind.detail, /not applied: 2, 3/)
  assert.match(behind.fix!, /supabase db push/)
  const ahead = migrationsFinding(['1'], ['1', '9'])
  assert.match(ahead.detail, /applied but not in this checkout: 9/)
})

Deno.test("probeFinding() tells the gateway's JWT check from the function's own 401", () => {
  const gateway = probeFinding(probe('provider'), {
    status: 401,
    body: { code: 401, message: 'Missing authorization header' },
  })
  assert.equal(gateway.outcome, 'fail')
  assert.match(gateway.fix!, /verify_jwt = false under \[functions\.provider\]/)
  const own = probeFinding(probe('provider'), {
    status: 401,
    body: { error: { code: 'unauthorised', message: 'Sign in to continue' } },
  })
  assert.equal(own.outcome, 'ok')
})

Deno.test("probeFinding() accepts the hook's 401 in Supabase Auth's error shape", () => {
  const finding = probeFinding(probe('auth-email-hook'), {
    status: 401,
    body: { error: { http_code: 401, message: 'Invalid signature' } },
  })
  assert.equal(finding.outcome, 'ok')
})

Deno.test("probeFinding() accepts the Lead Provider API's 401 in JSON:API's error shape", () => {
  const body = {
    errors: [{
      status: '401',
      code: 'unauthorised',
      title: 'Unauthorised',
      detail: 'HTTP Token: Access denied',
    }],
  }
  assert.equal(probeFinding(probe('lead-provider-api'), { status: 401, body }).outcome, 'ok')
  const platform = probeFinding(probe('lead-provider-api'), { status: 401, body: { msg: 'x' } })
  assert.equal(platform.outcome, 'fail')
})

Deno.test('probeFinding() names a function not deployed and one that failed to start', () => {
  const missing = probeFinding(probe('support'), {
    status: 404,
    body: { code: 'NOT_FOUND', message: 'Requested function was not found' },
  })
  assert.match(missing.detail, /not deployed/)
  assert.match(missing.fix!, /supabase functions deploy support/)
  const crashed = probeFinding(probe('support'), {
    status: 503,
    body: { code: 'BOOT_ERROR', message: 'Function failed to start' },
  })
  assert.match(crashed.detail, /503 \(BOOT_ERROR\)/)
})

Deno.test('formatReport() prints a line per check and exitCode() is 1 only for a failure', () => {
  const passing = [ok('A', 'fine.'), skip('B', 'not asked.')]
  assert.equal(
    formatReport(passing),
    'ok    A: fine.\nskip  B: not asked.\nNothing is missing or wrong.',
  )
  assert.equal(exitCode(passing), 0)
  const failing = [...passing, fail('C', 'broken.', 'mend it.')]
  assert.ok(formatReport(failing).endsWith('\nFAIL  C: broken. Fix: mend it.\n1 problem found.'))
  assert.equal(exitCode(failing), 1)
})
