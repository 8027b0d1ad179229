/**
 * Closed-loop HTTP load for the benchmarks: `clients` clients each send a request, wait for the
 * whole answer, and send the next, for a warm-up and then a measured period. The clients run in a
 * process of their own (bench/_load_client.ts), so they never share the server's event loop;
 * they still share the machine's cores with it, which the figures must be read with.
 */
import { fileURLToPath } from 'node:url'
import type { Percentiles } from './_stats.ts'

/** One kind of request in the mix. */
export type LoadTarget = {
  name: string
  url: string
  /** Share of the requests, out of the targets' total. */
  share: number
  /** JSON request bodies: taken in turn and reused, or each used once when `once` is set. */
  bodies: string[]
  /** Each body may be sent only once (a report uses its link up). */
  once?: boolean
}

export type LoadPlan = {
  clients: number
  warmupMs: number
  durationMs: number
  headers: Record<string, string>
  targets: LoadTarget[]
}

export type LoadResult = {
  /** From the start of the measured period until its last answer arrived. */
  elapsedMs: number
  requests: number
  /** Answered during the warm-up, which is not measured (for figures over the whole run). */
  warmupRequests: number
  perSecond: number
  latencyMs: Percentiles
  /** Answers by HTTP status, or `network error`. */
  byStatus: Record<string, number>
  targets: Record<string, { requests: number; latencyMs: Percentiles }>
  /** Requests that fell back to the first reusable target because every `once` body was spent. */
  exhausted: number
}

const client = fileURLToPath(new URL('./_load_client.ts', import.meta.url))

export async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ['run', '--allow-net', client],
    stdin: 'piped',
    stdout: 'piped',
    stderr: 'inherit',
  }).spawn()
  const writer = child.stdin.getWriter()
  await writer.write(new TextEncoder().encode(JSON.stringify(plan)))
  await writer.close()
  const { code, stdout } = await child.output()
  if (code !== 0) throw new Error(`the load client exited with ${code}`)
  return JSON.parse(new TextDecoder().decode(stdout))
}
