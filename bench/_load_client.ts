/**
 * The load client that bench/_load.ts runs as a process of its own: reads a `LoadPlan` as JSON
 * on stdin, runs it against the server, and writes a `LoadResult` as JSON on stdout.
 */
import type { LoadPlan, LoadResult, LoadTarget } from './_load.ts'
import { percentiles } from './_stats.ts'

const plan: LoadPlan = JSON.parse(await new Response(Deno.stdin.readable).text())
const totalShare = plan.targets.reduce((sum, target) => sum + target.share, 0)
const fallback = plan.targets.find((target) => !target.once)
const nextBody = new Map<LoadTarget, number>(plan.targets.map((target) => [target, 0]))
let exhausted = 0

/** The next request by the mix's shares, and its body. */
function pick(): { target: LoadTarget; body: string } {
  let roll = Math.random() * totalShare
  let target = plan.targets.at(-1)!
  for (const candidate of plan.targets) {
    roll -= candidate.share
    if (roll < 0) {
      target = candidate
      break
    }
  }
  if (target.once && nextBody.get(target)! >= target.bodies.length) {
    if (!fallback) throw new Error('every body of every target has been sent')
    exhausted++
    target = fallback
  }
  const index = nextBody.get(target)!
  nextBody.set(target, index + 1)
  return { target, body: target.bodies[index % target.bodies.length]! }
}

type Sample = { target: string; ms: number; status: string }

/** Every client sends requests one after another until `ms` have passed. */
async function phase(ms: number): Promise<{ samples: Sample[]; elapsedMs: number }> {
  const samples: Sample[] = []
  const started = performance.now()
  const endsAt = started + ms
  const oneClient = async () => {
    while (performance.now() < endsAt) {
      const { target, body } = pick()
      const sent = performance.now()
      let status: string
      try {
        const response = await fetch(target.url, { method: 'POST', headers: plan.headers, body })
        await response.arrayBuffer()
        status = String(response.status)
      } catch {
        status = 'network error'
      }
      samples.push({ target: target.name, ms: performance.now() - sent, status })
    }
  }
  await Promise.all(Array.from({ length: plan.clients }, oneClient))
  return { samples, elapsedMs: performance.now() - started }
}

const warmup = await phase(plan.warmupMs)
exhausted = 0
const { samples, elapsedMs } = await phase(plan.durationMs)

const byStatus: Record<string, number> = {}
for (const { status } of samples) byStatus[status] = (byStatus[status] ?? 0) + 1
const result: LoadResult = {
  elapsedMs: Math.round(elapsedMs),
  requests: samples.length,
  warmupRequests: warmup.samples.length,
  perSecond: Math.round(samples.length / (elapsedMs / 1000)),
  latencyMs: percentiles(samples.map((sample) => sample.ms)),
  byStatus,
  targets: Object.fromEntries(plan.targets.map(({ name }) => {
    const own = samples.filter((sample) => sample.target === name)
    return [name, { requests: own.length, latencyMs: percentiles(own.map((s) => s.ms)) }]
  })),
  exhausted,
}
console.log(JSON.stringify(result))
