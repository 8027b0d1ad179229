/**
 * CPU time from this process's own CPU clock (`process.cpuUsage()`, user plus system), so a
 * sender run can stop well inside the platform's limit of 2 s of CPU per request and say what it
 * used.
 *
 * It counts the whole process, every thread of it. On the platform that is at least the request's
 * own isolate. Locally it is more: one process serves every function, the gateway and the Auth
 * stand-in (and, in a benchmark, the Notify double and the pg_net worker too), and V8's collector
 * threads are counted with them. So a local figure is an upper bound on what a run itself used,
 * and a run that stops on it stops early, never late.
 */
import process from 'node:process'

export type CpuClock = {
  /** CPU milliseconds used so far, from an arbitrary origin. */
  usedMs(): number
}

/** The process's CPU clock, or undefined where the runtime has none (then only wall time counts). */
export function processCpuClock(): CpuClock | undefined {
  try {
    process.cpuUsage()
  } catch {
    return undefined
  }
  return {
    usedMs() {
      const { user, system } = process.cpuUsage()
      return (user + system) / 1000
    },
  }
}
