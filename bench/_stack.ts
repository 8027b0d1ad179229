/**
 * Starts a whole local stack of a benchmark's own (free ports, a temporary data folder) and sets
 * the TEST_* variables that the tests' helpers read, so benchmarks can build their worlds with the
 * same helpers the tests use. `stop()` stops the stack and removes its data.
 */
import { type Stack, type StackOptions, startStack } from '../local/stack.ts'

export type BenchStack = Stack & {
  /** How many log lines the in-process functions wrote, by event (and outcome, if any). */
  functionLogs(): Record<string, number>
  stop(): Promise<void>
}

/** What a benchmark may change about its stack: the Notify limit, a floor route of its own. */
export type BenchStackOptions = Pick<StackOptions, 'notifyRatePerMinute' | 'extraApps'>

export async function startBenchStack(
  name: string,
  options: BenchStackOptions = {},
): Promise<BenchStack> {
  const dataDir = await Deno.makeTempDir({ prefix: `bench-${name}-` })
  const stack = await startStack({
    ports: { api: 0, db: 0, notify: 0, web: 0 },
    dataDir,
    quiet: true,
    ...options,
  })
  const testEnv = {
    TEST_DATABASE_URL: stack.urls.db,
    TEST_DATABASE_ADMIN_URL: stack.urls.dbAdmin,
    TEST_API_URL: stack.urls.api,
    TEST_NOTIFY_URL: stack.urls.notify,
    TEST_WEB_URL: stack.urls.web,
    TEST_PUBLISHABLE_KEY: stack.keys.publishable,
    TEST_SECRET_KEY: stack.keys.secret,
  }
  for (const [variable, value] of Object.entries(testEnv)) Deno.env.set(variable, value)
  const logs = tallyFunctionLogs()
  printMachineLoad('at start')
  return {
    ...stack,
    functionLogs: () => Object.fromEntries(logs),
    async stop() {
      printMachineLoad('at end')
      await stack.stop()
      await Deno.remove(dataDir, { recursive: true })
    },
  }
}

/**
 * The functions run in this process and write their logs (one JSON line each) to stdout, where
 * the benchmark prints its figures: count them by event instead, much as the platform keeps
 * function logs in a stream of their own. Error lines are counted too, and still shown on stderr.
 */
function tallyFunctionLogs(): Map<string, number> {
  const tally = new Map<string, number>()
  const count = (line: string) => {
    const { level, event, outcome, kind, sqlstate } = JSON.parse(line)
    const key = [level === 'error' ? 'error:' : '', event, outcome, kind, sqlstate]
      .filter(Boolean).join(' ')
    tally.set(key, (tally.get(key) ?? 0) + 1)
  }
  const isLogLine = (args: unknown[]): args is [string] =>
    args.length === 1 && typeof args[0] === 'string' && args[0].startsWith('{"level":')
  const print = console.log
  console.log = (...args: unknown[]) => isLogLine(args) ? count(args[0]) : print(...args)
  const printError = console.error
  console.error = (...args: unknown[]) => {
    if (isLogLine(args)) count(args[0])
    printError(...args)
  }
  return tally
}

/**
 * Other work on the machine moves every figure: print the load average (processes wanting a
 * core, over the last minute) beside them, so a disturbed run shows.
 */
function printMachineLoad(when: string): void {
  const oneMinute = Deno.loadavg()[0]!.toFixed(2)
  console.log(
    `machine ${when}: ${navigator.hardwareConcurrency} cores, load average ${oneMinute} (1 min)`,
  )
}
