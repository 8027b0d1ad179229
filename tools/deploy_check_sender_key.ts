/**
 * Would the notifications function accept a key? Asked with a request it must refuse whatever
 * the key: the key is checked first, then the body, which here is not JSON. 400 malformed_json
 * means the key was accepted and nothing ran; 401 means the key was refused. Used for the key
 * pg_net sends (from Vault, to the URL in Vault, where pg_net sends it anyway) and for the
 * secret key given on the command line.
 */
import { ask, errorCode } from './deploy_check_http.ts'
import { fail, type Finding, ok } from './deploy_check_report.ts'

export async function senderKeyFinding(
  check: string,
  functionUrl: string,
  key: string,
  fixWhenRefused: string,
): Promise<Finding> {
  const answer = await ask(functionUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: '{',
  })
  if ('unreachable' in answer) {
    return fail(check, `no answer from ${functionUrl} (${answer.unreachable}).`, fixWhenRefused)
  }
  const code = errorCode(answer.body)
  if (answer.status === 400 && code === 'malformed_json') {
    return ok(check, 'the notifications function accepts the key.')
  }
  if (answer.status === 401 && code === 'unauthorised') {
    return fail(check, 'the notifications function refuses the key.', fixWhenRefused)
  }
  return fail(
    check,
    `${functionUrl} answered ${answer.status}${code ? ` ${code}` : ''}, not 400 or 401.`,
    'see the check of Function notifications above.',
  )
}
