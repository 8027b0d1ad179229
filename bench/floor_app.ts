/**
 * The floor for bench/challenge_load.ts: a function that does nothing but run `select 1` through
 * the functions' own pool (`_shared/db.ts`) in one round trip, as the challenge function's calls
 * run since issue 16 (before, both ran in a transaction as `service_role`: four round trips), in
 * the same function frame. Served only by the benchmark's
 * own gateway (`extraApps`), never deployed: it lives here, outside `supabase/functions`.
 */
import { db } from '../supabase/functions/_shared/db.ts'
import { functionApp } from '../supabase/functions/_shared/http.ts'

export const floorApp = functionApp('floor')

floorApp.post('/', async (c) => {
  await db()`select 1`
  return c.json({ ok: true })
})
