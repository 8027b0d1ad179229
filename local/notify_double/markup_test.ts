/** Notify markup rendered as Notify's plain-text part and as HTML (unit). */
import assert from 'node:assert/strict'
import { renderHtml, renderPlainText } from './markup.ts'

Deno.test('renderPlainText() keeps line breaks inside a paragraph and separates paragraphs', () => {
  assert.equal(renderPlainText('Line one\nline two\n\n\nNext'), 'Line one\nline two\n\nNext\n')
})

Deno.test('renderPlainText() underlines # and ## headings and shows deeper ones as text', () => {
  assert.equal(
    renderPlainText('Intro\n# Big\n## Small\n### Tiny'),
    `Intro\n\n\nBig\n${'='.repeat(65)}\n\n\nSmall\n${'-'.repeat(65)}\n\nTiny\n`,
  )
})

Deno.test('renderPlainText() writes bullets and numbers the way Notify does', () => {
  assert.equal(renderPlainText('* one\n- two\n• three'), '• one\n• two\n• three\n')
  assert.equal(renderPlainText('1. first\n2. second'), '1. first\n2. second\n')
})

Deno.test('renderPlainText() keeps a list going across a blank line between items', () => {
  assert.equal(renderPlainText('* one\n\n* two\n\nAfter'), '• one\n• two\n\nAfter\n')
})

Deno.test('renderPlainText() shows inset text as a paragraph and a rule as =-=-', () => {
  assert.equal(
    renderPlainText('^ Inset\nstill inset\n\n---\n\nEnd'),
    `Inset\nstill inset\n\n${'=-'.repeat(33).slice(0, 65)}\n\nEnd\n`,
  )
})

Deno.test('renderPlainText() writes links as "text: url" and leaves bare URLs as they are', () => {
  assert.equal(
    renderPlainText('See [the guide](https://www.gov.uk/guide) or https://www.gov.uk/x.'),
    'See the guide: https://www.gov.uk/guide or https://www.gov.uk/x.\n',
  )
})

Deno.test('renderPlainText() leaves emphasis and code markers as typed, as Notify does', () => {
  assert.equal(renderPlainText('A *b* and `c` and _d_'), 'A *b* and `c` and _d_\n')
})

Deno.test('renderPlainText() reads "Text" over a line of dashes as a ## heading', () => {
  assert.equal(renderPlainText('Title\n---\nBody'), `Title\n${'-'.repeat(65)}\n\nBody\n`)
})

Deno.test('renderHtml() maps # to h2, ## to h3 and can start lower for a page that has its own', () => {
  assert.equal(renderHtml('# A\n## B'), '<h2>A</h2>\n<h3>B</h3>')
  assert.equal(renderHtml('# A\n## B', { topHeadingLevel: 3 }), '<h3>A</h3>\n<h4>B</h4>')
})

Deno.test('renderHtml() renders lists, inset text, rules and line breaks', () => {
  assert.equal(
    renderHtml('a\nb\n\n* x\n* y\n\nc\n\n1. z\n\n^ note\n\n---'),
    '<p>a<br>b</p>\n<ul><li>x</li><li>y</li></ul>\n<p>c</p>\n<ol><li>z</li></ol>\n' +
      '<blockquote class="inset"><p>note</p></blockquote>\n<hr>',
  )
})

Deno.test('renderHtml() carries a list on into numbered items after a blank line, as Notify does', () => {
  assert.equal(renderHtml('* x\n\n1. y'), '<ul><li>x</li><li>y</li></ul>')
})

Deno.test('renderHtml() escapes text and makes only web and mail links into anchors', () => {
  assert.equal(
    renderHtml(
      '<script>alert(1)</script> [x](javascript:alert(1)) [y](https://a.gov.uk/?a=1&b="2")',
    ),
    '<p>&#60;script&#62;alert(1)&#60;/script&#62; x: javascript:alert(1) ' +
      '<a href="https://a.gov.uk/?a=1&#38;b=&#34;2&#34;">y</a></p>',
  )
})
