/** Notify's placeholder rules (unit). */
import assert from 'node:assert/strict'
import { PersonalisationValues, placeholderNames } from './placeholders.ts'

Deno.test('placeholderNames() lists names in order, once each, ignoring case, spaces and underscores', () => {
  assert.deepEqual(
    placeholderNames('((School Name)) ((urn))', 'Hi ((school_name)), ((show??text)) ((URN))'),
    ['School Name', 'urn', 'show'],
  )
})

Deno.test('PersonalisationValues.missing() counts a null value as missing but an empty string as given', () => {
  const values = new PersonalisationValues({ a: '', b: null, 'C-C': 0 })
  assert.deepEqual(values.missing(['a', 'b', 'c_c', 'd']), ['b', 'd'])
})

Deno.test('PersonalisationValues.fill() shows conditional text only for yes-like values', () => {
  const fill = (show: unknown) => new PersonalisationValues({ show }).fill('[((show??Shown))]')
  for (const yes of ['yes', 'Y', 'true', 'T', '1', 'include', 'show', 1, true]) {
    assert.equal(fill(yes), '[Shown]', String(yes))
  }
  for (const no of ['no', 'false', '', 0, false, 'maybe']) assert.equal(fill(no), '[]', String(no))
})

Deno.test('PersonalisationValues.fill() turns a list into bullets, dropping empty items', () => {
  const values = new PersonalisationValues({ items: ['one', ' ', null, 'two '] })
  assert.equal(values.fill('Items:((items))'), 'Items:\n\n* one\n* two')
  assert.equal(new PersonalisationValues({ items: [] }).fill('Items:((items))'), 'Items:')
})

Deno.test('PersonalisationValues.fill() writes values as Python would and leaves unknown ones', () => {
  const values = new PersonalisationValues({ flag: true, count: 3 })
  assert.equal(values.fill('((flag)) ((count)) ((other))'), 'True 3 ((other))')
})
