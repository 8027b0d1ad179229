/** The mailbox page and `GET /messages`, after sending with the real notifications-node-client. */
import assert from 'node:assert/strict'
import { fullPersonalisation, templates, withDouble } from './_test_helpers.ts'

Deno.test('GET /messages lists emails newest first and filters by address, reference and template', async () => {
  await withDouble({}, async ({ url, client }) => {
    const send = (to: string, reference: string) =>
      client.sendEmail(templates.signInCode, to, {
        personalisation: { code: reference },
        reference,
      })
    const first = await send('a@school.example.org', 'one')
    const second = await send('b@school.example.org', 'two')
    const third = await send('A@School.example.org', 'three')
    const ids = async (query: string) =>
      (await (await fetch(`${url}/messages${query}`)).json()).map((m: { id: string }) => m.id)

    assert.deepEqual(await ids(''), [third.data.id, second.data.id, first.data.id])
    assert.deepEqual(await ids('?to=a%40school.example.org'), [third.data.id, first.data.id])
    assert.deepEqual(await ids('?reference=two'), [second.data.id])
    assert.deepEqual(await ids(`?template_id=${templates.partnershipCheck}`), [])
  })
})

Deno.test('GET / shows each email as a person reads it, with personalisation escaped', async () => {
  await withDouble({}, async ({ url, client }) => {
    await client.sendEmail(templates.partnershipCheck, 'head@oak.example.org', {
      personalisation: { ...fullPersonalisation, school_name: '<script>alert("Oak")</script>' },
    })
    const response = await fetch(`${url}/`)
    assert.equal(response.status, 200)
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/)
    const page = await response.text()
    assert.match(page, /<html lang="en-GB">/)
    assert.match(page, /<p role="status">1 email, newest first\.<\/p>/)
    assert.ok(!page.includes('<script>'))
    assert.match(
      page,
      /<h2 id="email-[0-9a-f-]+">Check the training partnership for &#60;script&#62;alert\(&#34;Oak&#34;\)&#60;\/script&#62;<\/h2>/,
    )
    assert.match(page, /<dt>To<\/dt><dd>head@oak\.example\.org<\/dd>/)
    assert.match(page, /<h3>What to do<\/h3>/)
    assert.match(
      page,
      /<a href="https:\/\/report\.example\.gov\.uk\/report-a-mistake#token">https:\/\/report\.example\.gov\.uk\/report-a-mistake#token<\/a>/,
    )
  })
})

Deno.test('GET /?to= shows only the emails to that address', async () => {
  await withDouble({}, async ({ url, client }) => {
    for (const to of ['a@x.example.org', 'b@x.example.org']) {
      await client.sendEmail(templates.signInCode, to, { personalisation: { code: '1' } })
    }
    const page = await (await fetch(`${url}/?to=b%40x.example.org`)).text()
    assert.ok(page.includes('<dd>b@x.example.org</dd>'))
    assert.ok(!page.includes('<dd>a@x.example.org</dd>'))
    assert.match(page, /value="b@x\.example\.org"/)
  })
})

Deno.test('an unknown page gets 404 with the JSON error shape', async () => {
  await withDouble({}, async ({ url }) => {
    const response = await fetch(`${url}/nowhere`)
    assert.equal(response.status, 404)
    assert.equal((await response.json()).error.code, 'not_found')
  })
})
