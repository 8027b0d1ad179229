/**
 * The floor for bench/challenge_load.ts: a function that does nothing but run `select 1` through
 * the functions' own database layer (`_shared/db.ts`, a transaction as `service_role`, as the
 * challenge function's queries run), in the same function frame. Served only by the benchmark's
 * own gateway (`extraApps`), never deployed: it lives here, outside `supabase/functions`.
 */
import { withService } from '../supabase/functions/_shared/db.ts'
import { functionApp } from '../supabase/functions/_shared/http.ts'

export const floorApp = functionApp('floor')

floorApp.post('/', async (c) => {
  await withService((tx) => tx`select 1`)
  return c.json({ ok: true })
})
