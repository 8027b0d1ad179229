/** Latency figures shared by the benchmarks: nearest-rank percentiles of a list of times. */

export type Percentiles = { p50: number; p95: number; p99: number; max: number }

/** Percentiles of `values` in their own unit, to 0.1; all zero for an empty list. */
export function percentiles(values: number[]): Percentiles {
  const sorted = Float64Array.from(values).sort()
  const rank = (share: number) =>
    sorted.length === 0 ? 0 : sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)]!
  const round = (value: number) => Math.round(value * 10) / 10
  return {
    p50: round(rank(0.5)),
    p95: round(rank(0.95)),
    p99: round(rank(0.99)),
    max: round(rank(1)),
  }
}

/** `value / floor` to two decimal places, the way every benchmark prints a ratio. */
export function ratio(value: number, floor: number): number {
  return floor > 0 ? Math.round((value / floor) * 100) / 100 : Infinity
}
