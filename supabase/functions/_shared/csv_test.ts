import assert from 'node:assert/strict'
import { formatCsv } from './csv.ts'

Deno.test('formatCsv() writes a BOM when asked, a header and CRLF-ended rows', () => {
  assert.equal(
    formatCsv([['urn', 'name'], ['100001', 'Oak Primary'], ['100002', null]], {
      byteOrderMark: true,
    }),
    '\ufeffurn,name\r\n100001,Oak Primary\r\n100002,\r\n',
  )
})

Deno.test('formatCsv() quotes cells with commas, quotes and line breaks', () => {
  assert.equal(
    formatCsv([['name'], ['Elm, Junior'], ['The "Old" School'], ['Two\nlines'], ['Old\rMac']], {
      byteOrderMark: true,
    }),
    '\ufeffname\r\n"Elm, Junior"\r\n"The ""Old"" School"\r\n"Two\nlines"\r\n"Old\rMac"\r\n',
  )
})

Deno.test('formatCsv() stops a spreadsheet running a cell as a formula', () => {
  assert.equal(
    formatCsv([['name'], ['=HYPERLINK("x")'], ['+1'], ['-1'], ['@SUM(A1)'], ['Oak']], {
      byteOrderMark: true,
    }),
    '\ufeffname\r\n"\'=HYPERLINK(""x"")"\r\n\'+1\r\n\'-1\r\n\'@SUM(A1)\r\nOak\r\n',
  )
  assert.equal(formatCsv([['\tcmd', '\rcmd']]), '\'\tcmd,"\'\rcmd"\r\n')
})

Deno.test('formatCsv() writes numbers, and numbers as the database printed them, unguarded', () => {
  assert.equal(formatCsv([[-1, 2.5, { numberText: '-0.50' }, '-0.50']]), "-1,2.5,-0.50,'-0.50\r\n")
})
