import assert from 'node:assert/strict'
import { maxLines, maxUploadBytes, parseUrnList } from './urn_list.ts'

function urns(text: string): string[] {
  const result = parseUrnList(text)
  assert.ok(result.ok, JSON.stringify(result))
  return result.urns
}

Deno.test('parseUrnList() keeps one entry per line so row numbers are line numbers', () => {
  assert.deepEqual(urns('100001\n100002\n100003'), ['100001', '100002', '100003'])
})

Deno.test('parseUrnList() tolerates a byte order mark and Windows or old Mac line endings', () => {
  assert.deepEqual(urns('\ufeff100001\r\n100002\r100003\r\n'), ['100001', '100002', '100003'])
})

Deno.test('parseUrnList() turns a header row into a blank entry, keeping later line numbers', () => {
  assert.deepEqual(urns('URN,School name\n100001,Oak Primary'), ['', '100001'])
  assert.deepEqual(urns('\n"School URN"\n100001'), ['', '', '100001'])
})

Deno.test('parseUrnList() keeps a first line with digits as data, not a header', () => {
  assert.deepEqual(urns('ABC123\n100001'), ['ABC123', '100001'])
})

Deno.test('parseUrnList() keeps blank lines in the middle as blank entries and drops trailing ones', () => {
  assert.deepEqual(urns('100001\n\n   \n100002\n\n\r\n'), ['100001', '', '', '100002'])
})

Deno.test('parseUrnList() reads only the first column, quoted or not, comma, tab or semicolon', () => {
  assert.deepEqual(
    urns('100001,Oak Primary\n"100002","Elm, Junior"\n100003\tAsh School\n100004;Yew'),
    ['100001', '100002', '100003', '100004'],
  )
})

Deno.test('parseUrnList() trims ordinary and no-break spaces around a value', () => {
  assert.deepEqual(urns('  100001 \n\u00a0100002\u00a0\n" 100003 "'), [
    '100001',
    '100002',
    '100003',
  ])
})

Deno.test('parseUrnList() passes bad values on as given, for the rule to report', () => {
  assert.deepEqual(urns('100001\nnot a urn\n12-34'), ['100001', 'not a urn', '12-34'])
})

Deno.test('parseUrnList() refuses a file with no URNs', () => {
  for (const text of ['', '\ufeff', '\r\n\r\n', 'URN\n\n']) {
    const result = parseUrnList(text)
    assert.equal(result.ok ? 'ok' : result.code, 'no_urns', JSON.stringify(text))
  }
})

Deno.test('parseUrnList() refuses a file over 2MB', () => {
  const result = parseUrnList('1'.repeat(maxUploadBytes + 1))
  assert.equal(result.ok ? 'ok' : result.code, 'file_too_large')
  assert.ok(parseUrnList('1'.repeat(maxUploadBytes)).ok)
})

Deno.test('parseUrnList() refuses more rows than a list of schools can have', () => {
  const result = parseUrnList('100001\n'.repeat(maxLines + 1))
  assert.equal(result.ok ? 'ok' : result.code, 'too_many_rows')
  assert.equal(urns('100001\n'.repeat(maxLines)).length, maxLines)
})
