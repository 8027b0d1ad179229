import assert from 'node:assert/strict'
import { type Clock, notifyPacer, tokenBucket } from './notify_pacing.ts'

/** A clock that only moves when the bucket sleeps. */
function fakeClock(): Clock & { slept: number } {
  let now = 0
  return {
    slept: 0,
    now: () => now,
    sleep(ms) {
      now += ms
      this.slept += ms
      return Promise.resolve()
    },
  }
}

Deno.test('tokenBucket() lets the burst through at once, then paces at the rate', async () => {
  const clock = fakeClock()
  const bucket = tokenBucket({ perMinute: 60, burst: 3, clock })
  for (let i = 0; i < 3; i++) await bucket.take()
  assert.equal(clock.now(), 0)
  await bucket.take()
  assert.equal(clock.now(), 1_000)
  await bucket.take()
  assert.equal(clock.now(), 2_000)
})

/** The most of `times` (ascending, ms) in any rolling minute. */
function busiestMinute(times: number[]): number {
  let start = 0
  let busiest = 0
  for (let end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= 60_000) start++
    busiest = Math.max(busiest, end - start + 1)
  }
  return busiest
}

Deno.test("notifyPacer() never exceeds Notify's limit in any rolling minute", async () => {
  const clock = fakeClock()
  const limit = 3_000
  const pacer = notifyPacer(limit, clock)
  const times: number[] = []
  for (let i = 0; i < 10_000; i++) {
    await pacer.take()
    times.push(clock.now())
  }
  const busiest = busiestMinute(times)
  assert.ok(busiest <= limit, `at most ${limit} a minute, saw ${busiest}`)
  assert.ok(busiest >= limit * 0.97, `close to the limit, saw ${busiest}`)
})

Deno.test('notifyPacer() stays under the limit across runs handing over within a minute', async () => {
  // Each run has a bucket of its own; a new one starts with one token, not a burst.
  const clock = fakeClock()
  const limit = 3_000
  const times: number[] = []
  for (let run = 0; run < 40; run++) {
    const pacer = notifyPacer(limit, clock)
    for (let i = 0; i < 250; i++) {
      await pacer.take()
      times.push(clock.now())
    }
  }
  const busiest = busiestMinute(times)
  assert.ok(busiest <= limit - 40, `room left for late arrivals, saw ${busiest}`)
  assert.ok(busiest >= limit * 0.97, `close to the limit, saw ${busiest}`)
})

Deno.test('notifyPacer() carried on from run to run makes up each hand-over pause and stays under the limit', async () => {
  // Each run resumes the bucket the one before left (as the lock hands it on), after a pause in
  // which the lock changes hands and the successor claims: shorter than the burst's worth.
  const clock = fakeClock()
  const limit = 3_000
  const times: number[] = []
  let left: { tokens: number; at: number } | undefined
  for (let run = 0; run < 40; run++) {
    const pacer = notifyPacer(limit, clock)
    if (left) pacer.resume(left.tokens, clock.now() - left.at)
    for (let i = 0; i < 250; i++) {
      await pacer.take()
      times.push(clock.now())
    }
    left = { tokens: pacer.level(), at: clock.now() }
    await clock.sleep(150)
  }
  const busiest = busiestMinute(times)
  assert.ok(busiest <= limit - 50, `room left for late arrivals, saw ${busiest}`)
  const perMinute = (times.length - 1) / (times.at(-1)! - times[0]!) * 60_000
  assert.ok(perMinute >= limit * 0.975, `the pauses cost nothing, saw ${perMinute} a minute`)
})

Deno.test('tokenBucket() resumes from tokens left earlier, refilled since, never above the burst', async () => {
  const clock = fakeClock()
  const bucket = tokenBucket({ perMinute: 60, burst: 3, initial: 1, clock })
  bucket.resume(0.5, 1_000)
  assert.equal(bucket.level(), 1.5)
  bucket.resume(2, 60_000)
  assert.equal(bucket.level(), 3)
  for (let i = 0; i < 3; i++) await bucket.take()
  assert.equal(clock.now(), 0)
  assert.ok(bucket.level() < 1)
})

Deno.test('tokenBucket() refuses a rate or burst that is not positive', () => {
  assert.throws(
    () => tokenBucket({ perMinute: 0, burst: 1, clock: fakeClock() }),
    RangeError,
  )
  assert.throws(
    () => tokenBucket({ perMinute: 10, burst: 0, clock: fakeClock() }),
    RangeError,
  )
})
