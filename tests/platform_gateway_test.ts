/**
 * The local gateway and static site as a browser or pg_net sees them over HTTP: functions
 * reached under `/functions/v1/<name>` with the path they would see on hosted, CORS preflights
 * answered by the function, the generated `/config.js`, and static files served as a host would.
 */
import assert from 'node:assert/strict'
import { stack } from './_stack.ts'

Deno.test('the gateway answers 404 in the hosted shape for a function that does not exist', async () => {
  const response = await fetch(`${stack.apiUrl}/functions/v1/no-such-function/anything`)
  assert.equal(response.status, 404)
  assert.deepEqual(await response.json(), {
    code: 'NOT_FOUND',
    message: 'Requested function was not found',
  })
})

Deno.test('the gateway passes a function its own path and lets it answer a CORS preflight', async () => {
  // `challenge` is served from supabase/functions/challenge/app.ts with basePath('/challenge').
  const preflight = await fetch(`${stack.apiUrl}/functions/v1/challenge/status`, {
    method: 'OPTIONS',
    headers: {
      origin: stack.webUrl,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    },
  })
  await preflight.body?.cancel()
  assert.equal(preflight.status, 204)
  assert.equal(preflight.headers.get('access-control-allow-origin'), stack.webUrl)

  const unknownRoute = await fetch(`${stack.apiUrl}/functions/v1/challenge/no-such-route`)
  assert.equal(unknownRoute.status, 404)
  assert.equal((await unknownRoute.json()).error.code, 'not_found')
})

Deno.test('the site serves /config.js with the API URL and publishable key, never cached', async () => {
  const response = await fetch(`${stack.webUrl}/config.js`)
  assert.equal(response.status, 200)
  assert.match(response.headers.get('content-type') ?? '', /^text\/javascript/)
  assert.equal(response.headers.get('cache-control'), 'no-cache')
  const text = await response.text()
  assert.equal(
    text.trim(),
    `window.APP_CONFIG = ${
      JSON.stringify({ apiUrl: stack.apiUrl, publishableKey: stack.publishableKey })
    }`,
  )
  assert.doesNotMatch(text, /sb_secret_/)
})

Deno.test('the site serves pages at pretty URLs as HTML that is not cached', async () => {
  const response = await fetch(`${stack.webUrl}/report-a-mistake`)
  assert.equal(response.status, 200)
  assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8')
  assert.equal(response.headers.get('cache-control'), 'no-cache')
  assert.match(await response.text(), /<html/i)
})

Deno.test('the site answers a revalidated page 304 with no body, and keeps its headers', async () => {
  const first = await fetch(`${stack.webUrl}/report-a-mistake`)
  await first.body?.cancel()
  const tag = first.headers.get('etag')
  assert.ok(tag, 'a page carries an ETag')

  const again = await fetch(`${stack.webUrl}/report-a-mistake`, {
    headers: { 'if-none-match': tag },
  })
  assert.equal(again.status, 304)
  assert.equal(await again.text(), '')
  assert.equal(again.headers.get('etag'), tag)
  assert.equal(again.headers.get('cache-control'), 'no-cache')
  assert.match(again.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/)

  const stale = await fetch(`${stack.webUrl}/report-a-mistake`, {
    headers: { 'if-none-match': '"not-this-one"' },
  })
  assert.equal(stale.status, 200)
  assert.match(await stale.text(), /<html/i)
})

Deno.test('the site lets browsers keep every asset for a year: each is named by its content', async () => {
  const html = await (await fetch(`${stack.webUrl}/report-a-mistake`)).text()
  const assets = [...html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((match) => match[1]!)
  assert.ok(assets.some((path) => /^\/assets\/site-[0-9a-f]{10}\.css$/.test(path)), 'stylesheet')
  assert.ok(assets.some((path) => /^\/assets\/report-[0-9a-f]{10}\.js$/.test(path)), 'script')
  for (const path of assets) {
    const response = await fetch(`${stack.webUrl}${path}`)
    await response.body?.cancel()
    assert.equal(response.status, 200, path)
    assert.equal(
      response.headers.get('cache-control'),
      'public, max-age=31536000, immutable',
      path,
    )
  }
})

Deno.test("the site applies the build's _headers, whose policy lets pages call this stack's API", async () => {
  const response = await fetch(`${stack.webUrl}/report-a-mistake`)
  await response.body?.cancel()
  const policy = response.headers.get('content-security-policy') ?? ''
  assert.match(policy, /frame-ancestors 'none'/)
  assert.ok(policy.includes(`connect-src ${stack.apiUrl}`), policy)
})

Deno.test('the site answers 404 with its not-found page for a missing file', async () => {
  const response = await fetch(`${stack.webUrl}/no-such-page`)
  assert.equal(response.status, 404)
  assert.match(response.headers.get('content-type') ?? '', /^text\/html/)
  await response.body?.cancel()
})

Deno.test('the site never serves files outside its folder or its host configuration', async () => {
  for (const path of ['/..%2f..%2fdeno.json', '/%2e%2e/%2e%2e/deno.json', '/_headers']) {
    const response = await fetch(`${stack.webUrl}${path}`)
    assert.equal(response.status, 404, path)
    assert.doesNotMatch(await response.text(), /"imports"|^\/\*$/m, path)
  }
})

Deno.test('the site refuses methods other than GET and HEAD', async () => {
  const response = await fetch(`${stack.webUrl}/report-a-mistake`, { method: 'POST' })
  assert.equal(response.status, 405)
  await response.body?.cancel()
})
