/**
 * Unit tests of splitStatements(). migrate_test.ts checks the same splitting against the real
 * Supabase CLI; these pin down the individual rules.
 */
import assert from 'node:assert/strict'
import { splitStatements } from './sql_statements.ts'

Deno.test('splitStatements() splits on semicolons and trims each statement', () => {
  assert.deepEqual(splitStatements('select 1;\n  select 2 ;\n\nselect 3'), [
    'select 1',
    'select 2',
    'select 3',
  ])
})

Deno.test('splitStatements() drops empty statements and a file of only white space', () => {
  assert.deepEqual(splitStatements(';;\n select 1;;'), ['select 1'])
  assert.deepEqual(splitStatements('  \n'), [])
})

Deno.test('splitStatements() keeps a comment with the statement that follows it', () => {
  assert.deepEqual(splitStatements('-- first; still a comment\nselect 1;\n/* a; b */ select 2;'), [
    '-- first; still a comment\nselect 1',
    '/* a; b */ select 2',
  ])
})

Deno.test('splitStatements() ignores semicolons in quotes and quoted names', () => {
  assert.deepEqual(splitStatements(`select 'it''s; fine', "odd;name" from t; select 2`), [
    `select 'it''s; fine', "odd;name" from t`,
    'select 2',
  ])
})

Deno.test('splitStatements() ignores semicolons in dollar-quoted bodies, tagged or not', () => {
  const tagged = 'create function f() returns int language plpgsql as $fn$ begin return 1; end $fn$'
  const plain = 'do $$ begin perform 1; end $$'
  assert.deepEqual(splitStatements(`${tagged};\n${plain};`), [tagged, plain])
})

Deno.test('splitStatements() ignores semicolons in a BEGIN ATOMIC body and in parentheses', () => {
  const atomic = 'create function f() returns int language sql\nbegin atomic\n  select 1;\nend'
  const rule = 'create rule r as on insert to t do also (select 1; select 2)'
  assert.deepEqual(splitStatements(`${atomic};\n${rule};`), [atomic, rule])
})

Deno.test('splitStatements() treats a backslash outside quotes as escaping the next character', () => {
  assert.deepEqual(splitStatements('select 1 \\; select 2; select 3'), [
    'select 1 \\; select 2',
    'select 3',
  ])
})
