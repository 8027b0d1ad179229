import assert from 'node:assert/strict'
import { compactHtml } from './compact_html.ts'

Deno.test('compactHtml() drops indentation and blank lines but keeps a break between words', () => {
  assert.equal(
    compactHtml('<div>\n\n    <p class="govuk-body">Report\n      a mistake</p>\n  \n</div>\n'),
    '<div>\n<p class="govuk-body">Report\na mistake</p>\n</div>',
  )
})

Deno.test('compactHtml() keeps every line inside <pre> and <textarea> as it is', () => {
  const html =
    '  <pre>\n  two\n\n    spaces</pre>\n  <textarea id="a">\n  x\n</textarea>\n  <p>y</p>'
  assert.equal(
    compactHtml(html),
    '<pre>\n  two\n\n    spaces</pre>\n<textarea id="a">\n  x\n</textarea>\n<p>y</p>',
  )
})
