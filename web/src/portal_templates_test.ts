/**
 * Unit tests of the portals' rendering path, with the build's own precompiled templates run by
 * nunjucks' slim runtime as in the browser: the markup is govuk-frontend's, exactly as the static
 * pages' renderer makes it; text from the service is escaped wherever it goes; and the bundle
 * carries only the components the portals use.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { portalTemplateNames, precompilePortalTemplates } from '../portal_templates_build.ts'
import { html, renderHtml, useTemplates } from './portal_templates.ts'
import { createRenderer } from './render.ts'

const hostile = '<script>window.injected = true</script>"><img src=x onerror=alert(1)>'

async function loadTemplates(): Promise<void> {
  const dir = await Deno.makeTempDir()
  try {
    const file = join(dir, 'templates.js')
    await Deno.writeTextFile(file, await precompilePortalTemplates())
    useTemplates((await import(`file://${file}`)).default)
  } finally {
    await Deno.remove(dir, { recursive: true })
  }
}

await loadTemplates()

Deno.test('unit: a portal component is govuk-frontend’s markup, as the static pages render it', () => {
  const site = createRenderer({})
  const params = { name: 'reason', legend: 'Why?', hint: 'Choose one', error: 'Select one' }
  const items = [{ value: 'a', text: 'A', checked: true }, { value: 'b', text: 'B' }]
  assert.equal(
    renderHtml('radios', { ...params, items }),
    site('portal/radios.njk', { params: { ...params, items } }),
  )
  const button = site('portal/button.njk', { params: { html: 'Continue', variant: 'secondary' } })
  assert.equal(renderHtml('button', { html: 'Continue', variant: 'secondary' }), button)
  assert.match(button, /<button type="submit" class="govuk-button govuk-button--secondary"/)
})

Deno.test('unit: text from the service is escaped in every component, never markup', () => {
  const rendered = [
    renderHtml('tag', { text: hostile, colour: 'red' }),
    renderHtml('heading', { level: 1, size: 'l', caption: hostile, html: html(hostile) }),
    renderHtml('table', {
      caption: hostile,
      head: [{ text: hostile }],
      rows: [[{ html: html(hostile) }]],
    }),
    renderHtml('summary_list', {
      rows: [{ key: { text: hostile }, value: { html: html(hostile) } }],
    }),
    renderHtml('radios', {
      name: 'r',
      legend: hostile,
      items: [{ value: hostile, text: hostile }],
    }),
    renderHtml('field', { kind: 'input', id: 'q', label: hostile, value: hostile, error: hostile }),
    renderHtml('notification_banner', { heading: hostile, body: [html(hostile)], titleId: 't' }),
    renderHtml('error_summary', { errors: [{ text: hostile, href: '#q' }] }),
  ]
  for (const markup of rendered) {
    assert.doesNotMatch(markup, /<script|<img/, markup)
    assert.match(markup, /&lt;script&gt;/)
  }
})

Deno.test('unit: html() escapes each string it is given', () => {
  assert.equal(html('a < b', ' & ', '"c"'), 'a &lt; b &amp; &quot;c&quot;')
})

Deno.test('unit: the portals carry only the govuk-frontend components they use', async () => {
  const names = await portalTemplateNames()
  const components = new Set(
    names.filter((name) => name.startsWith('govuk/components/')).map((name) => name.split('/')[2]),
  )
  for (const unused of ['accordion', 'header', 'footer', 'tabs', 'cookie-banner', 'date-input']) {
    assert.equal(components.has(unused), false, unused)
  }
  for (const used of ['button', 'radios', 'table', 'summary-list', 'error-summary', 'pagination']) {
    assert.equal(components.has(used), true, used)
  }
})
