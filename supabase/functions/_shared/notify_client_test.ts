/**
 * notifySender() against real connections (the Notify double in-process, a port nobody listens
 * on): each way a request can fail is sorted by whether it may have reached Notify, the fact the
 * sender acts on (an email that may have landed is looked up, never simply sent again).
 */
import assert from 'node:assert/strict'
import { templates, withDouble } from '../../../local/notify_double/_test_helpers.ts'
import { generateApiKey } from '../../../local/notify_double/server.ts'
import { type NotifySender, notifySender } from './notify_client.ts'

const timeoutMs = 500

/** One sign-in code email, through `sender`. */
const emailThrough = (sender: NotifySender) =>
  sender.sendEmail(
    templates.signInCode,
    'tutor@school.example',
    { code: '123456' },
    crypto.randomUUID(),
  )

const send = (baseUrl: string, apiKey: string) =>
  emailThrough(notifySender({ apiKey, baseUrl, timeoutMs }))

async function fault(url: string, kind: 'drop' | 'slow', delayMs = 0): Promise<void> {
  const response = await fetch(`${url}/_double/faults`, {
    method: 'POST',
    body: JSON.stringify({ kind, delayMs }),
  })
  await response.body?.cancel()
  assert.equal(response.ok, true)
}

Deno.test('notifySender() gives the id Notify answered for each email', async () => {
  await withDouble({}, async ({ url, apiKey }) => {
    const sender = notifySender({ apiKey, baseUrl: url, timeoutMs })
    for (let email = 0; email < 3; email++) {
      assert.equal((await emailThrough(sender)).result, 'accepted')
    }
  })
})

Deno.test('notifySender() says a refused connection never reached Notify, so the email is sent again', async () => {
  const listener = Deno.listen({ hostname: '127.0.0.1', port: 0 })
  const port = listener.addr.port
  listener.close()
  assert.deepEqual(await send(`http://127.0.0.1:${port}`, generateApiKey('test')), {
    result: 'retry',
    reason: 'Could not reach Notify (ECONNREFUSED)',
    outcomeUnknown: false,
  })
})

Deno.test('notifySender() says a connection dropped with no answer may have reached Notify, and does not send the email again itself', async () => {
  await withDouble({}, async ({ url, apiKey }) => {
    // Asked for with `fetch`, whose kept connection a `fetch`-based client would reuse for the
    // send: the case in which Deno's `fetch` sends a dropped POST again by itself.
    await fault(url, 'drop')
    assert.deepEqual(await send(url, apiKey), {
      result: 'retry',
      reason: 'Could not reach Notify (ECONNRESET)',
      outcomeUnknown: true,
    })
    const mailbox = await fetch(`${url}/messages`).then((response) => response.json())
    assert.deepEqual(mailbox, [], 'the dropped request was not made again')
  })
})

Deno.test('notifySender() says a request unanswered within its timeout may have reached Notify', async () => {
  await withDouble({}, async ({ url, apiKey }) => {
    await fault(url, 'slow', timeoutMs * 3)
    assert.deepEqual(await send(url, apiKey), {
      result: 'retry',
      reason: `No answer from Notify within ${timeoutMs} ms`,
      outcomeUnknown: true,
    })
  })
})
