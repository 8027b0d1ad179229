/** The benchmarks' percentiles and ratios, which every figure they print goes through. */
import assert from 'node:assert/strict'
import { percentiles, ratio } from './_stats.ts'

Deno.test('percentiles() gives nearest-rank percentiles whatever the order of the values', () => {
  const values = Array.from({ length: 100 }, (_, index) => 100 - index)
  assert.deepEqual(percentiles(values), { p50: 50, p95: 95, p99: 99, max: 100 })
})

Deno.test('percentiles() gives zeros for no values rather than failing', () => {
  assert.deepEqual(percentiles([]), { p50: 0, p95: 0, p99: 0, max: 0 })
})

Deno.test('ratio() rounds to two places and gives Infinity over a zero floor', () => {
  assert.equal(ratio(311, 1340), 0.23)
  assert.equal(ratio(5, 0), Infinity)
})
