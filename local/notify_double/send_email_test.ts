/** POST /v2/notifications/email through the real notifications-node-client. */
import assert from 'node:assert/strict'
import { NotifyClient } from 'notifications-node-client'
import { generateApiKey } from './api_keys.ts'
import {
  assertNotifyErrorResponse,
  assertNotifyRefused,
  fullPersonalisation,
  notifyFailure,
  serviceId,
  signToken,
  templates,
  withDouble,
} from './_test_helpers.ts'

Deno.test("sendEmail() is accepted with Notify's 201 body and the mailbox shows the email as read", async () => {
  await withDouble({}, async ({ url, apiKey, client }) => {
    const response = await client.sendEmail(templates.partnershipCheck, 'Head@Oak.example.org', {
      personalisation: fullPersonalisation,
      reference: 'notification-1',
    })

    assert.equal(response.status, 201)
    const { id, content, template } = response.data
    assert.match(id, /^[0-9a-f-]{36}$/)
    assert.equal(response.data.reference, 'notification-1')
    assert.equal(content.subject, 'Check the training partnership for Oak Hill Primary')
    assert.match(content.body, /^Dear colleague at Oak Hill Primary\n\nBest Practice Network says/)
    assert.match(
      content.body,
      /\* We have not confirmed an agreement\n\* This looks like a mistake/,
    )
    assert.equal(content.from_email, 'local.notify.double@notifications.service.gov.uk')
    assert.equal(content.one_click_unsubscribe_url, null)
    assert.equal(response.data.uri, `${url}/v2/notifications/${id}`)
    assert.deepEqual(template, {
      id: templates.partnershipCheck,
      version: 1,
      uri: `${url}/services/${serviceId(apiKey)}/templates/${templates.partnershipCheck}`,
    })
    assert.equal((response.data as { scheduled_for?: unknown }).scheduled_for, null)

    const mailbox = await (await fetch(`${url}/messages?to=head@oak.example.org`)).json()
    assert.equal(mailbox.length, 1)
    const [message] = mailbox
    assert.equal(message.id, id)
    assert.equal(message.to, 'Head@Oak.example.org')
    assert.equal(message.template_id, templates.partnershipCheck)
    assert.equal(message.reference, 'notification-1')
    assert.deepEqual(message.personalisation, fullPersonalisation)
    assert.equal(
      message.body,
      [
        'Dear colleague at Oak Hill Primary',
        '',
        'Best Practice Network says it will train your early career teachers.',
        '',
        '',
        'What to do',
        '='.repeat(65),
        '',
        '• Check the details',
        '• Report a mistake if they are wrong',
        '',
        'Report a mistake: https://report.example.gov.uk/report-a-mistake#token',
        '',
        'You have 14 days to report a mistake.',
        '',
        'Ask your induction tutor if you need help.',
        '',
        'Read the guidance (GOV.UK guidance): https://www.gov.uk/guidance.',
        '',
        'Reasons you can give:',
        '',
        '• We have not confirmed an agreement',
        '• This looks like a mistake',
        '',
        '=-'.repeat(33).slice(0, 65),
        '',
        'Department for Education',
        '',
      ].join('\n'),
    )
  })
})

Deno.test('sendEmail() matches personalisation ignoring case, spaces and underscores, as Notify does', async () => {
  await withDouble({}, async ({ client }) => {
    const { school_name: _, lead_provider: __, ...rest } = fullPersonalisation
    const response = await client.sendEmail(templates.partnershipCheck, 'a@b.example.org', {
      personalisation: { ...rest, 'School Name': 'Ash Academy', 'LEAD-PROVIDER': 'Ambition' },
    })
    assert.equal(response.data.content.subject, 'Check the training partnership for Ash Academy')
    assert.match(response.data.content.body, /^Dear colleague at Ash Academy\n\nAmbition says/)
  })
})

Deno.test('sendEmail() with a key the double does not know gets 403 "Invalid token: API key not found"', async () => {
  await withDouble({}, async ({ url, apiKey }) => {
    // The right service id with a secret that is not one of its keys.
    const wrongSecret = `test-${serviceId(apiKey)}-${crypto.randomUUID()}`
    await assertNotifyRefused(
      new NotifyClient(url, wrongSecret).sendEmail(templates.signInCode, 'a@b.example.org', {
        personalisation: { code: '123456' },
      }),
      { status: 403, error: 'AuthError', message: 'Invalid token: API key not found' },
    )
    assert.deepEqual(await (await fetch(`${url}/messages`)).json(), [])
  })
})

Deno.test('sendEmail() with a key from another service gets 403 "Invalid token: service not found"', async () => {
  await withDouble({}, async ({ url }) => {
    await assertNotifyRefused(
      new NotifyClient(url, generateApiKey('other')).sendEmail(
        templates.signInCode,
        'a@b.example.org',
      ),
      { status: 403, error: 'AuthError', message: 'Invalid token: service not found' },
    )
  })
})

Deno.test('a token issued 60 seconds ago gets 403 "Error: Your system clock must be accurate to within 30 seconds"', async () => {
  await withDouble({}, async ({ url, apiKey }) => {
    const token = signToken(apiKey, {
      iss: serviceId(apiKey),
      iat: Math.floor(Date.now() / 1000) - 60,
    })
    const response = await fetch(`${url}/v2/notifications/email`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ template_id: templates.signInCode, email_address: 'a@b.example.org' }),
    })
    await assertNotifyErrorResponse(response, {
      status: 403,
      error: 'AuthError',
      message: 'Error: Your system clock must be accurate to within 30 seconds',
    })
  })
})

Deno.test("the real client is refused when the double's clock is 40 seconds ahead of it", async () => {
  await withDouble({ now: () => new Date(Date.now() + 40_000) }, async ({ client }) => {
    const failure = await notifyFailure(
      client.sendEmail(templates.signInCode, 'a@b.example.org', { personalisation: { code: '1' } }),
    )
    assert.equal(failure.status, 403)
    assert.deepEqual((failure.data as { errors: unknown }).errors, [{
      error: 'AuthError',
      message: 'Error: Your system clock must be accurate to within 30 seconds',
    }])
  })
})

Deno.test('sendEmail() with an unknown template gets 400 BadRequestError "Template not found"', async () => {
  await withDouble({}, async ({ client }) => {
    await assertNotifyRefused(
      client.sendEmail(crypto.randomUUID(), 'a@b.example.org', { personalisation: { code: '1' } }),
      { status: 400, error: 'BadRequestError', message: 'Template not found' },
    )
  })
})

Deno.test("sendEmail() lists every missing placeholder, subject first, in the template's own spelling", async () => {
  await withDouble({}, async ({ url, client }) => {
    await assertNotifyRefused(
      client.sendEmail(templates.partnershipCheck, 'a@b.example.org', {
        personalisation: { report_link: 'https://example.gov.uk', show_help: null },
      }),
      {
        status: 400,
        error: 'BadRequestError',
        message: 'Missing personalisation: school name, Lead Provider, show_help, reasons',
      },
    )
    assert.deepEqual(await (await fetch(`${url}/messages`)).json(), [])
  })
})

Deno.test('sendEmail() to an address Notify would not accept gets 400 ValidationError', async () => {
  await withDouble({}, async ({ client }) => {
    for (const address of ['not-an-address', 'a@b', 'a..b@example.org', 'a@example.c0m']) {
      await assertNotifyRefused(
        client.sendEmail(templates.signInCode, address, { personalisation: { code: '1' } }),
        {
          status: 400,
          error: 'ValidationError',
          message: 'email_address Not a valid email address',
        },
        address,
      )
    }
  })
})

Deno.test('a request with several schema errors gets them all in one 400', async () => {
  await withDouble({}, async ({ url, apiKey }) => {
    const token = signToken(apiKey, { iss: serviceId(apiKey), iat: Math.floor(Date.now() / 1000) })
    const send = (body: string) =>
      fetch(`${url}/v2/notifications/email`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      })
    const invalid = await send(JSON.stringify({ template_id: 'nope', personalisation: 'x' }))
    assert.equal(invalid.status, 400)
    assert.deepEqual(await invalid.json(), {
      status_code: 400,
      errors: [
        { error: 'ValidationError', message: 'email_address is a required property' },
        { error: 'ValidationError', message: 'template_id is not a valid UUID' },
        { error: 'ValidationError', message: "personalisation 'x' is not of type object" },
      ],
    })
    await assertNotifyErrorResponse(await send('{"template_id":'), {
      status: 400,
      error: 'BadRequestError',
      message: 'Invalid JSON supplied in POST data',
    })
  })
})

Deno.test('the sixth request in a minute gets 429 RateLimitError when the limit is 5', async () => {
  let now = new Date('2026-09-01T09:00:00Z')
  await withDouble({ now: () => now }, async ({ url, apiKey }) => {
    const limit = await fetch(`${url}/_double/rate-limit`, {
      method: 'PUT',
      body: JSON.stringify({ perMinute: 5 }),
    })
    assert.deepEqual(await limit.json(), { perMinute: 5 })
    // The double's clock is injected, so sign with it rather than with the real clock.
    const send = () => {
      const token = signToken(apiKey, { iss: serviceId(apiKey), iat: now.getTime() / 1000 })
      return fetch(`${url}/v2/notifications/email`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: JSON.stringify({
          template_id: templates.signInCode,
          email_address: 'a@b.example.org',
          personalisation: { code: '1' },
        }),
      })
    }
    for (let i = 0; i < 5; i++) assert.equal((await send()).status, 201)
    await assertNotifyErrorResponse(await send(), {
      status: 429,
      error: 'RateLimitError',
      message: 'Exceeded rate limit for key type LIVE of 5 requests per 60 seconds',
    })
    now = new Date(now.getTime() + 60_001)
    assert.equal((await send()).status, 201)
  })
})

Deno.test("getNotificationById() returns Notify's notification object for the caller's own email", async () => {
  await withDouble({}, async ({ url, client }) => {
    const sent = await client.sendEmail(templates.signInCode, 'a@b.example.org', {
      personalisation: { code: '482915' },
      reference: 'ref-7',
    })
    const { data } = await client.getNotificationById(sent.data.id)
    assert.equal(data.id, sent.data.id)
    assert.equal(data.reference, 'ref-7')
    assert.equal(data.email_address, 'a@b.example.org')
    assert.equal(data.type, 'email')
    assert.ok(['created', 'sending', 'delivered'].includes(data.status))
    assert.deepEqual(data.template, {
      id: templates.signInCode,
      version: 1,
      uri: `${url}/v2/template/${templates.signInCode}/version/1`,
    })
    assert.equal(data.body, 'Your code is 482915.')
    assert.equal(data.subject, 'Your sign-in code')
    assert.match(data.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/)
    assert.equal(data.is_cost_data_ready, true)

    await assertNotifyRefused(client.getNotificationById(crypto.randomUUID()), {
      status: 404,
      error: 'NoResultFound',
      message: 'No result found',
    })
    const invalid = await notifyFailure(client.getNotificationById('not-a-uuid'))
    assert.equal(invalid.status, 400)
  })
})

Deno.test("getNotificationById() does not show one service's email to another service", async () => {
  const otherKey = generateApiKey('other')
  await withDouble({ apiKeys: [otherKey] }, async ({ url, client }) => {
    const sent = await client.sendEmail(templates.signInCode, 'a@b.example.org', {
      personalisation: { code: '1' },
    })
    const other = new NotifyClient(url, otherKey)
    const failure = await notifyFailure(other.getNotificationById(sent.data.id))
    assert.equal(failure.status, 404)
  })
})

Deno.test("getNotifications() filters the caller's emails by reference", async () => {
  await withDouble({}, async ({ client }) => {
    for (const reference of ['batch-a', 'batch-b', 'batch-a']) {
      await client.sendEmail(templates.signInCode, 'a@b.example.org', {
        personalisation: { code: '1' },
        reference,
      })
    }
    const { data } = await client.getNotifications('email', undefined, 'batch-a')
    assert.equal(data.notifications.length, 2)
    assert.ok(data.notifications.every((notification) => notification.reference === 'batch-a'))
    assert.match(data.links.current, /\/v2\/notifications\?template_type=email&reference=batch-a$/)
  })
})
