/** Unit tests of the pg_cron schedule language used by the local cron runner. */
import assert from 'node:assert/strict'
import { dueSlot, parseSchedule } from './pg_cron_schedule.ts'

const due = (schedule: string, at: string) =>
  dueSlot(parseSchedule(schedule), new Date(at)) !== null

Deno.test('dueSlot() matches every minute for * * * * *, once per minute', () => {
  const schedule = parseSchedule('* * * * *')
  const start = dueSlot(schedule, new Date('2026-11-29T10:15:00Z'))
  assert.notEqual(start, null)
  assert.equal(dueSlot(schedule, new Date('2026-11-29T10:15:59Z')), start)
  assert.notEqual(dueSlot(schedule, new Date('2026-11-29T10:16:00Z')), start)
})

Deno.test('dueSlot() honours lists, ranges and steps', () => {
  assert.equal(due('*/15 * * * *', '2026-11-29T10:45:00Z'), true)
  assert.equal(due('*/15 * * * *', '2026-11-29T10:46:00Z'), false)
  assert.equal(due('0,30 8-18/2 * * *', '2026-11-29T10:30:00Z'), true)
  assert.equal(due('0,30 8-18/2 * * *', '2026-11-29T11:30:00Z'), false)
  assert.equal(due('0,30 8-18/2 * * *', '2026-11-29T20:00:00Z'), false)
})

Deno.test('dueSlot() reads schedules in UTC', () => {
  // 09:00 in London in summer is 08:00 UTC.
  assert.equal(due('0 9 * * *', '2026-07-01T08:00:00Z'), false)
  assert.equal(due('0 9 * * *', '2026-07-01T09:00:00Z'), true)
})

Deno.test('dueSlot() matches either day field when both are restricted, as cron does', () => {
  // 2026-12-01 is a Tuesday; 2026-12-07 is a Monday.
  assert.equal(due('0 0 1 * 1', '2026-12-01T00:00:00Z'), true)
  assert.equal(due('0 0 1 * 1', '2026-12-07T00:00:00Z'), true)
  assert.equal(due('0 0 1 * 1', '2026-12-08T00:00:00Z'), false)
  // With one day field unrestricted, the other alone decides.
  assert.equal(due('0 0 * * 1', '2026-12-01T00:00:00Z'), false)
  assert.equal(due('0 0 */2 * *', '2026-12-03T00:00:00Z'), true)
})

Deno.test('dueSlot() takes 7 as well as 0 for Sunday, and the @ macros', () => {
  // 2026-11-29 is a Sunday.
  assert.equal(due('0 12 * * 7', '2026-11-29T12:00:00Z'), true)
  assert.equal(due('0 12 * * 0', '2026-11-29T12:00:00Z'), true)
  assert.equal(due('@hourly', '2026-11-29T12:00:00Z'), true)
  assert.equal(due('@daily', '2026-11-29T12:00:00Z'), false)
  assert.equal(due('@yearly', '2027-01-01T00:00:00Z'), true)
})

Deno.test('dueSlot() gives seconds schedules a new slot every n seconds', () => {
  const schedule = parseSchedule('10 seconds')
  const a = dueSlot(schedule, new Date('2026-11-29T10:00:00Z'))
  assert.equal(dueSlot(schedule, new Date('2026-11-29T10:00:09Z')), a)
  assert.equal(dueSlot(schedule, new Date('2026-11-29T10:00:10Z')), (a ?? 0) + 1)
})

Deno.test('parseSchedule() refuses what pg_cron refuses, naming the schedule', () => {
  for (const schedule of ['* * * *', '60 * * * *', '5/10 * * * *', '0 seconds', '@reboot', '']) {
    assert.throws(() => parseSchedule(schedule), new Error(`invalid schedule: ${schedule}`))
  }
})
