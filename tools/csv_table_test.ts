import assert from 'node:assert/strict'
import { readCsvTable } from './csv_table.ts'
import { RefusedError } from './refused_error.ts'

Deno.test('readCsvTable() numbers rows as a spreadsheet shows them, blank lines included', () => {
  const text = 'URN,Name\r\n100001,Oak\r\n\r\n\r\n100002,"Elm\r\nJunior"\r\n100003,Ash\r\n'
  const rows = readCsvTable(text, 'a list', ['urn', 'name'])
  assert.deepEqual(rows.map((row) => [row.rowNumber, row.get('URN'), row.get('name')]), [
    [2, '100001', 'Oak'],
    [5, '100002', 'Elm\r\nJunior'],
    [6, '100003', 'Ash'],
  ])
})

Deno.test('readCsvTable() refuses a file that is not CSV, naming the line, and loads nothing', () => {
  assert.throws(() => readCsvTable('URN\n100001\n"100002\n', 'a list', ['URN']), (error) => {
    assert.ok(error instanceof RefusedError)
    assert.equal(
      error.message,
      'This file is not valid CSV: A quoted field is never closed (line 3). Nothing was loaded.',
    )
    return true
  })
})

Deno.test('readCsvTable() refuses a file without a required column, naming it', () => {
  assert.throws(() => readCsvTable('URN\n100001\n', 'a list of tutors', ['URN', 'email']), {
    message: 'This is not a list of tutors: it has no email column. Nothing was loaded.',
  })
  assert.throws(() => readCsvTable('', 'a list of tutors', ['URN']), RefusedError)
})
