/**
 * Starts a whole local stack of a benchmark's own (free ports, a temporary data folder) and sets
 * the TEST_* variables that the tests' helpers read, so benchmarks can build their worlds with the
 * same helpers the tests use. `stop()` stops the stack and removes its data.
 */
import { type Stack, startStack } from '../local/stack.ts'

export type BenchStack = Stack & { stop(): Promise<void> }

export async function startBenchStack(name: string): Promise<BenchStack> {
  const dataDir = await Deno.makeTempDir({ prefix: `bench-${name}-` })
  const stack = await startStack({
    ports: { api: 0, db: 0, notify: 0, web: 0 },
    dataDir,
    quiet: true,
  })
  const testEnv = {
    TEST_DATABASE_URL: stack.urls.db,
    TEST_API_URL: stack.urls.api,
    TEST_NOTIFY_URL: stack.urls.notify,
    TEST_WEB_URL: stack.urls.web,
    TEST_PUBLISHABLE_KEY: stack.keys.publishable,
    TEST_SECRET_KEY: stack.keys.secret,
  }
  for (const [variable, value] of Object.entries(testEnv)) Deno.env.set(variable, value)
  return {
    ...stack,
    async stop() {
      await stack.stop()
      await Deno.remove(dataDir, { recursive: true })
    },
  }
}
