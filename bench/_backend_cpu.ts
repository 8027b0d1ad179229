/**
 * The time a Postgres backend has spent on a core, for benchmarks whose stack runs Postgres on
 * this machine. On a busy machine a query's wall-clock time includes waiting for a core; its
 * backend's CPU time does not, so a benchmark can print both and show what is the query's own
 * work. Read from Linux's `/proc/<pid>/schedstat` (nanoseconds on a core); undefined where that
 * cannot be read (another OS, or a database elsewhere).
 */
import type postgres from 'postgres'

/** A reader of the CPU milliseconds used so far by the backend serving `sql` (a pool of one). */
export async function backendCpuClock(
  sql: postgres.Sql,
): Promise<() => Promise<number | undefined>> {
  const [{ pid }] = await sql<[{ pid: number }]>`select pg_catalog.pg_backend_pid() as pid`
  return async () => {
    try {
      const [onCpuNs] = (await Deno.readTextFile(`/proc/${pid}/schedstat`)).split(' ')
      return Number(onCpuNs) / 1e6
    } catch {
      return undefined
    }
  }
}
