import assert from 'node:assert/strict'
import { formatCsv } from '../supabase/functions/_shared/csv.ts'
import { CsvSyntaxError, parseCsv } from './csv.ts'

Deno.test('parseCsv() reads quoted fields with embedded commas, quotes and line breaks', () => {
  const text = 'URN,Name\n100001,"Smith, Jones ""and"" Co\nAcademy"\n'
  assert.deepEqual(parseCsv(text), [['URN', 'Name'], ['100001', 'Smith, Jones "and" Co\nAcademy']])
})

Deno.test('parseCsv() drops a byte order mark and reads CRLF line ends', () => {
  assert.deepEqual(parseCsv('\uFEFFa,b\r\n1,2\r\n'), [['a', 'b'], ['1', '2']])
})

Deno.test('parseCsv() keeps empty fields and reads a last line without a line end', () => {
  assert.deepEqual(parseCsv('a,,c\n,,\nx'), [['a', '', 'c'], ['', '', ''], ['x']])
})

Deno.test('parseCsv() skips blank lines', () => {
  assert.deepEqual(parseCsv('a\n\n\r\nb\n'), [['a'], ['b']])
})

Deno.test('parseCsv() refuses a quoted field that is never closed, naming its line', () => {
  assert.throws(() => parseCsv('a\n"b\nc'), (error: unknown) => {
    assert.ok(error instanceof CsvSyntaxError)
    assert.equal(error.line, 2)
    return true
  })
})

Deno.test('parseCsv() refuses a stray quote inside a field', () => {
  assert.throws(() => parseCsv('ab"c\n'), CsvSyntaxError)
  assert.throws(() => parseCsv('"ab"c\n'), CsvSyntaxError)
})

Deno.test('formatCsv() quotes only fields that need it and parseCsv() reads it back', () => {
  const records = [['plain', 'with, comma', 'with "quote"', 'two\nlines', '']]
  const text = formatCsv(records)
  assert.equal(text, 'plain,"with, comma","with ""quote""","two\nlines",\r\n')
  assert.deepEqual(parseCsv(text), records)
})

Deno.test('parseCsv() reads mixed CRLF and LF line ends and keeps a lone CR inside a field', () => {
  assert.deepEqual(parseCsv('a\r\nb\rc\nd'), [['a'], ['b\rc'], ['d']])
})

Deno.test('parseCsv() names the line an unclosed quote opened on, after blank lines too', () => {
  assert.throws(() => parseCsv('x,y\n\n\nz,"b\nc\nd'), (error: unknown) => {
    assert.ok(error instanceof CsvSyntaxError)
    assert.equal(error.line, 4)
    assert.equal(error.message, 'A quoted field is never closed (line 4)')
    return true
  })
})
