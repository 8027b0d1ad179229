import assert from 'node:assert/strict'
import { toCsv } from './csv_export.ts'

Deno.test('toCsv() writes a BOM, a header and CRLF-ended rows', () => {
  assert.equal(
    toCsv(['urn', 'name'], [['100001', 'Oak Primary'], ['100002', null]]),
    '\ufeffurn,name\r\n100001,Oak Primary\r\n100002,\r\n',
  )
})

Deno.test('toCsv() quotes cells with commas, quotes and line breaks', () => {
  assert.equal(
    toCsv(['name'], [['Elm, Junior'], ['The "Old" School'], ['Two\nlines']]),
    '\ufeffname\r\n"Elm, Junior"\r\n"The ""Old"" School"\r\n"Two\nlines"\r\n',
  )
})

Deno.test('toCsv() stops a spreadsheet running a cell as a formula', () => {
  assert.equal(
    toCsv(['name'], [['=HYPERLINK("x")'], ['+1'], ['-1'], ['@SUM(A1)'], ['Oak']]),
    '\ufeffname\r\n"\'=HYPERLINK(""x"")"\r\n\'+1\r\n\'-1\r\n\'@SUM(A1)\r\nOak\r\n',
  )
})
