import assert from 'node:assert/strict'
import { decodeText } from './text_file.ts'

Deno.test('decodeText() reads UTF-8 files as UTF-8', () => {
  assert.equal(
    decodeText(new TextEncoder().encode('Ysgol Gymraeg Bro Morgannwg – Ŵ')),
    'Ysgol Gymraeg Bro Morgannwg – Ŵ',
  )
})

Deno.test('decodeText() reads a Windows-1252 GIAS download without losing accented names', () => {
  // "Notre Dame Sainte-Thérèse" with é (0xE9) and è (0xE8) as Windows-1252 writes them.
  const bytes = new Uint8Array([
    ...new TextEncoder().encode('Notre Dame Sainte-Th'),
    0xe9,
    0x72,
    0xe8,
    0x73,
    0x65,
  ])
  assert.equal(decodeText(bytes), 'Notre Dame Sainte-Thérèse')
})
