/**
 * The floor for bench/challenge_load.ts: a function that does nothing but run `select 1` through
 * its own pool (`_shared/db.ts`) in one round trip, as the challenge function's calls run since
 * issue 16 (before, both ran in a transaction as `service_role`: four round trips), in the same
 * function frame. Served only by the benchmark's own gateway (`extraApps`, which makes it as it
 * makes the functions, with their configuration and a pool of its own), never deployed: it lives
 * here, outside `supabase/functions`.
 */
import type { FunctionDeps } from '../supabase/functions/_shared/function_deps.ts'
import { functionApp } from '../supabase/functions/_shared/http.ts'

export function createFloorApp({ config, database }: FunctionDeps<'webOrigin'>) {
  return functionApp('floor', config).post('/', async (c) => {
    await database.sql()`select 1`
    return c.json({ ok: true })
  })
}
