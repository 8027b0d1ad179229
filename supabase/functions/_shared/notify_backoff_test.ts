import assert from 'node:assert/strict'
import { defaultBackoff, retryDelayMs } from './notify_backoff.ts'

Deno.test('retryDelayMs() doubles the delay with each attempt, between half and all of it', () => {
  assert.equal(retryDelayMs(1, defaultBackoff, () => 0), 1_000)
  assert.equal(retryDelayMs(1, defaultBackoff, () => 1), 2_000)
  assert.equal(retryDelayMs(3, defaultBackoff, () => 0), 4_000)
  assert.equal(retryDelayMs(3, defaultBackoff, () => 1), 8_000)
})

Deno.test('retryDelayMs() never waits longer than the cap', () => {
  const policy = { maxAttempts: 50, baseMs: 1_000, capMs: 60_000 }
  assert.equal(retryDelayMs(40, policy, () => 1), 60_000)
})

Deno.test('retryDelayMs() returns undefined once the attempts are used up', () => {
  assert.equal(
    retryDelayMs(defaultBackoff.maxAttempts, defaultBackoff),
    undefined,
  )
  assert.notEqual(
    retryDelayMs(defaultBackoff.maxAttempts - 1, defaultBackoff),
    undefined,
  )
})
