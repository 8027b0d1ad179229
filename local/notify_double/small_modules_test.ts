/** API keys, email addresses, the rate limit and the mailbox's store (unit). */
import assert from 'node:assert/strict'
import { generateApiKey, parseApiKey } from './api_keys.ts'
import { validEmailAddress } from './email_address.ts'
import { createRateLimiter } from './rate_limit.ts'
import { createEmailStore, type StoredEmail } from './store.ts'

Deno.test('parseApiKey() splits a key as the Notify clients do, hyphens in the name included', () => {
  const service = crypto.randomUUID()
  const secret = crypto.randomUUID()
  assert.deepEqual(parseApiKey(`my-local-key-${service}-${secret}`), {
    name: 'my-local-key',
    serviceId: service,
    secret,
  })
  assert.throws(() => parseApiKey('not-a-key'), /<key name>-<service id uuid>-<secret uuid>/)
  assert.match(generateApiKey(), /^local-[0-9a-f-]{36}-[0-9a-f-]{36}$/)
})

Deno.test('validEmailAddress() accepts what Notify accepts and refuses what it refuses', () => {
  for (const address of ['a@b.co', "o'neil@school.sch.uk", 'x+tag@example.org', 'a@例え.テスト']) {
    assert.ok(validEmailAddress(address), address)
  }
  assert.equal(validEmailAddress(' a@b.co\u200B '), 'a@b.co')
  for (
    const address of ['a@b', 'a@.b.co', 'a..b@c.co', 'a b@c.co', 'a@b.c', 'a"b@c.co', 'a@b-.co']
  ) {
    assert.equal(validEmailAddress(address), undefined, address)
  }
})

Deno.test('createRateLimiter() allows so many requests per key in any 60 seconds', () => {
  let now = 0
  const limiter = createRateLimiter(2, () => new Date(now))
  assert.equal(limiter.tryAcquire('a'), true)
  now = 30_000
  assert.equal(limiter.tryAcquire('a'), true)
  assert.equal(limiter.tryAcquire('a'), false)
  assert.equal(limiter.tryAcquire('b'), true)
  now = 60_001
  assert.equal(limiter.tryAcquire('a'), true)
  assert.equal(limiter.tryAcquire('a'), false)
  limiter.setPerMinute(3)
  assert.equal(limiter.tryAcquire('a'), true)
})

function email(id: string, to: string, reference: string | null): StoredEmail {
  return {
    id,
    serviceId: 's',
    to,
    templateId: 't',
    templateVersion: 1,
    personalisation: {},
    reference,
    oneClickUnsubscribeUrl: null,
    subject: 'Subject',
    markup: 'Body',
    text: 'Body\n',
    status: 'created',
    createdAt: new Date(0),
    sentAt: null,
    completedAt: null,
  }
}

Deno.test('createEmailStore() lists newest first, filters, and forgets the oldest beyond its cap', () => {
  const store = createEmailStore(2)
  store.add(email('1', 'A@x.org', 'r1'))
  store.add(email('2', 'b@x.org', 'r2'))
  store.add(email('3', 'a@x.org', 'r1'))
  assert.equal(store.size, 2)
  assert.equal(store.get('1'), undefined)
  assert.deepEqual(store.list().map(({ id }) => id), ['3', '2'])
  assert.deepEqual(store.list({ to: 'A@X.ORG' }).map(({ id }) => id), ['3'])
  assert.deepEqual(store.list({ reference: 'r2' }).map(({ id }) => id), ['2'])
})
