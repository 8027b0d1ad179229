/**
 * Where the machine's CPU went while a benchmark ran, by part: this process (the gateway, every
 * function it serves and the Notify double, which the benchmark's stack runs in-process), every
 * Postgres process, and the rest (the load client, the kernel's own work, anything else running).
 * With closed-loop clients on a machine whose cores are all busy, a request's p99 follows its CPU
 * across all of these, so this says which part a slower request spent its time in (issue 16).
 * Read from Linux's /proc; undefined where that cannot be read (another OS).
 */
import process from 'node:process'

export type CpuReading = { machineMs: number; thisProcessMs: number; postgresMs: number }

/** Microseconds of CPU each (per request, per email), by part. */
export type CpuUse = { machine: number; gateway: number; postgres: number; rest: number }

/** Linux reports /proc times in clock ticks, 100 a second on every Linux Deno runs on. */
const ticksPerSecond = 100

export async function readCpu(): Promise<CpuReading | undefined> {
  try {
    // The first line sums every core: user, nice, system, idle, iowait, irq, softirq, ...
    const [, user, nice, system, , , irq, softirq] = (await Deno.readTextFile('/proc/stat'))
      .split('\n')[0]!.split(/\s+/).map(Number)
    const machineTicks = user! + nice! + system! + irq! + softirq!
    const usage = process.cpuUsage()
    return {
      machineMs: machineTicks * 1000 / ticksPerSecond,
      thisProcessMs: (usage.user + usage.system) / 1000,
      postgresMs: await postgresCpuMs(),
    }
  } catch {
    return undefined
  }
}

/** The CPU used between two readings, divided among `count` requests (or emails). */
export function cpuPer(
  before: CpuReading | undefined,
  after: CpuReading | undefined,
  count: number,
): CpuUse | undefined {
  if (!before || !after || count === 0) return undefined
  const each = (ms: number) => Math.round(ms * 1000 / count)
  const machine = after.machineMs - before.machineMs
  const gateway = after.thisProcessMs - before.thisProcessMs
  const postgres = after.postgresMs - before.postgresMs
  return {
    machine: each(machine),
    gateway: each(gateway),
    postgres: each(postgres),
    rest: each(machine - gateway - postgres),
  }
}

/**
 * User and system time of every process named `postgres`, and of the backends that have ended:
 * the postmaster has reaped them, so theirs is in its children's time (a backend has no children
 * of its own, so nothing is counted twice). Without it, a pool closing an idle connection would
 * take that backend's time out of the sum.
 */
async function postgresCpuMs(): Promise<number> {
  let ticks = 0
  for await (const entry of Deno.readDir('/proc')) {
    if (!/^\d+$/.test(entry.name)) continue
    try {
      const stat = await Deno.readTextFile(`/proc/${entry.name}/stat`)
      // `pid (name) state ...`: the name may hold spaces, so split after its closing bracket.
      const close = stat.lastIndexOf(')')
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue
      // utime, stime, cutime, cstime: fields 14 to 17 of proc(5), counting from the pid.
      const [utime, stime, cutime, cstime] = stat.slice(close + 2).split(' ').slice(11, 15)
      ticks += Number(utime) + Number(stime) + Number(cutime) + Number(cstime)
    } catch {
      // The process ended while being read.
    }
  }
  return ticks * 1000 / ticksPerSecond
}
