import assert from 'node:assert/strict'
import { contentSecurityPolicy, headerPolicy, inlineScriptHashes } from './csp.ts'

const govukLine =
  "document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');"

Deno.test('inlineScriptHashes() gives the hash GOV.UK Frontend documents for its js-enabled line', async () => {
  const html = `<body><script>${govukLine}</script><script type="module" src="/a.js"></script>`
  assert.deepEqual(await inlineScriptHashes(html + html), [
    'sha256-GUQ5ad8JK5KmEWmROf3LZd9ge94daqNvd8xy9YS1iDw=',
  ])
})

Deno.test('inlineScriptHashes() refuses a page with an inline script of our own', async () => {
  const html = `<script>${govukLine}</script><script>alert(1)</script>`
  await assert.rejects(() => inlineScriptHashes(html), /inline scripts of their own/)
})

Deno.test('contentSecurityPolicy() lets pages talk to the API origin only', () => {
  const policy = contentSecurityPolicy({ apiOrigin: 'https://abc.supabase.co', scriptHashes: [] })
  assert.match(policy, /^default-src 'none'; script-src 'self'; /)
  assert.match(policy, /connect-src https:\/\/abc\.supabase\.co;/)
  assert.match(policy, /form-action 'none'$/)
  assert.doesNotMatch(policy, /unsafe/)
})

Deno.test('headerPolicy() adds what only a header can say: no framing', () => {
  const policy = headerPolicy({ apiOrigin: 'https://abc.supabase.co', scriptHashes: ['sha256-x'] })
  assert.match(policy, /script-src 'self' 'sha256-x'/)
  assert.match(policy, /frame-ancestors 'none'$/)
})
