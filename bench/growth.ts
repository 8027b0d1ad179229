/**
 * How costs grow with the database: builds 10,000, 100,000 and 300,000 partnerships (10 lead
 * providers, about 5% challenged; see _growth_world.ts) with the product's own SQL, and at each
 * size prints:
 * - the portal's list page (`GET /provider/partnerships`, first page) for the provider with 10,000
 *   schools, through the gateway as the portal calls it, signed in as its user; and the work that
 *   page's SQL does (the provider function's own `asProvider` and `listPartnerships`, under RLS):
 *   the table and index blocks its transaction fetched, which, unlike a time, other work on the
 *   machine cannot move;
 * - a claim of 50 emails by `app.claim_notifications` with every school email due, each in a
 *   transaction rolled back so every claim meets the same backlog (measured only);
 * - each `mi` view read in full as role `analyst`: the server's execution time (EXPLAIN ANALYZE,
 *   timing off) and the time to read every row over the wire.
 * Starts its own local stack on free ports with a fresh data folder. Prints figures and ratios to
 * the first size; never passes or fails on a time.
 *
 *   npx -y deno@2.9.6 run -A bench/growth.ts [sizes=10000,100000,300000] [repeats=15]
 */
import postgres from 'postgres'
import { poolDatabase } from '../supabase/functions/_shared/db.ts'
import { startBenchStack } from './_stack.ts'
import { percentiles, ratio } from './_stats.ts'
import { cohortStartYear, createGrowthWorld, growTo } from './_growth_world.ts'

const sizes = (Deno.args[0] ?? '10000,100000,300000').split(',').map(Number)
const repeats = Number(Deno.args[1] ?? 15)
/** Thrown to roll a claim back, and caught. */
const rollback = new Error('rolled back on purpose')

const stack = await startBenchStack('growth')
const sql = postgres(stack.urls.db, { max: 2, onnotice: () => {} })
// A pool of the provider function's kind, on the stack's database, for its list page's SQL.
const database = poolDatabase(() => stack.urls.db)
try {
  // Every MI view there is, so a new one is measured without an edit here.
  const miViews = (await sql<{ name: string }[]>`
    select viewname as name from pg_catalog.pg_views where schemaname = 'mi' order by viewname`)
    .map((view) => view.name)
  const { createUser, signIn } = await import('../tests/_stack.ts')
  const { callProvider } = await import('../tests/provider_world.ts')
  const person = await createUser('growth-provider')
  const world = await createGrowthWorld(sql, person.id)
  const token = (await signIn(person.email)).session.access_token

  /** Milliseconds of `work`, after one warm-up, `repeats` times. */
  const timed = async (work: () => Promise<unknown>, times = repeats) => {
    await work()
    const values: number[] = []
    for (let run = 0; run < times; run++) {
      const started = performance.now()
      await work()
      values.push(performance.now() - started)
    }
    return percentiles(values)
  }

  const { asProvider } = await import('../supabase/functions/provider/as_provider.ts')
  const { listPartnerships } = await import('../supabase/functions/provider/provider_data.ts')
  const { pageSize } = await import('../supabase/functions/provider/partnerships_routes.ts')
  /**
   * Blocks (cached or not) that the list page's SQL fetched from our tables and indexes: the
   * difference across it, as the counters also hold earlier transactions' blocks until they are
   * flushed.
   */
  const listPageBlocks = () =>
    asProvider(database, { sub: person.id, role: 'authenticated' }, async (tx, provider) => {
      const fetched = async () => {
        const [{ blocks }] = await tx<[{ blocks: number }]>`
          select sum(pg_catalog.pg_stat_get_xact_blocks_fetched(c.oid))::int as blocks
          from pg_catalog.pg_class c where c.relnamespace = 'public'::regnamespace`
        return blocks
      }
      const before = await fetched()
      await listPartnerships(
        tx,
        { leadProviderId: provider.lead_provider_id, cohort: cohortStartYear, search: '' },
        { limit: pageSize, offset: 0 },
      )
      return await fetched() - before
    })

  const listPage = async () => {
    const answer = await callProvider(`/partnerships?cohort=${cohortStartYear}`, { token })
    if (answer.status !== 200) throw new Error(`${answer.status}: ${answer.text.slice(0, 300)}`)
  }

  const claim = () =>
    sql.begin(async (tx) => {
      const claimed = await tx`select notification_id from app.claim_notifications(50, 60)`
      if (claimed.length !== 50) throw new Error(`claimed ${claimed.length}, not 50`)
      // Rolled back, so every claim meets the same backlog.
      throw rollback
    }).catch((error) => {
      if (error !== rollback) throw error
    })

  const miServerMs = async (view: string) => {
    const values: number[] = []
    for (let run = 0; run < 3; run++) {
      await sql.begin(async (tx) => {
        await tx`set local role analyst`
        const [plan] = await tx.unsafe(
          `explain (analyze, timing off, format json) select * from mi.${view}`,
        )
        if (run > 0) values.push(plan!['QUERY PLAN'][0]['Execution Time'])
      })
    }
    return percentiles(values).p50
  }
  const miReadMs = async (view: string) =>
    (await timed(() =>
      sql.begin(async (tx) => {
        await tx`set local role analyst`
        await tx.unsafe(`select * from mi.${view}`)
      }), 2)).p50

  type Figures = {
    partnerships: number
    due: number
    list_page_ms: ReturnType<typeof percentiles>
    list_page_blocks: number
    claim_50_ms: ReturnType<typeof percentiles>
    mi_ms: Record<string, { server: number; read: number; rows: number }>
  }
  const results: Figures[] = []
  for (const size of sizes) {
    const started = performance.now()
    await growTo(sql, world, size)
    console.error(
      `grew to ${size.toLocaleString('en-GB')} in ${
        Math.round((performance.now() - started) / 1000)
      } s; measuring…`,
    )
    const [{ due }] = await sql<[{ due: number }]>`
      select count(*)::int as due from public.notifications
      where status = 'queued' and due_at <= now()`
    const figures: Figures = {
      partnerships: size,
      due,
      list_page_ms: await timed(listPage),
      list_page_blocks: await listPageBlocks(),
      claim_50_ms: await timed(claim),
      mi_ms: {},
    }
    for (const view of miViews) {
      const [{ rows }] = await sql.unsafe<[{ rows: number }]>(
        `select count(*)::int as rows from mi.${view}`,
      )
      figures.mi_ms[view] = {
        server: Math.round(await miServerMs(view) * 10) / 10,
        read: Math.round(await miReadMs(view) * 10) / 10,
        rows,
      }
    }
    results.push(figures)
    console.log(JSON.stringify(figures))
  }

  const first = results[0]!
  const last = results.at(-1)!
  console.log(`growth, ${sizes.map((s) => s.toLocaleString('en-GB')).join(' / ')} partnerships:`)
  console.table(Object.fromEntries([
    ['list page p50 ms', results.map((r) => r.list_page_ms.p50)],
    ['list page p95 ms', results.map((r) => r.list_page_ms.p95)],
    ['list page blocks fetched', results.map((r) => r.list_page_blocks)],
    ['emails due', results.map((r) => r.due)],
    ['claim 50 p50 ms', results.map((r) => r.claim_50_ms.p50)],
    ['claim 50 p95 ms', results.map((r) => r.claim_50_ms.p95)],
    ...miViews.map((view) => [
      `mi.${view} server / read ms`,
      results.map((r) => `${r.mi_ms[view]!.server} / ${r.mi_ms[view]!.read}`),
    ]),
  ]))
  console.log(JSON.stringify(
    {
      list_page_p50_ratio_last_to_first: ratio(last.list_page_ms.p50, first.list_page_ms.p50),
      list_page_blocks_ratio_last_to_first: ratio(last.list_page_blocks, first.list_page_blocks),
      claim_50_p50_ratio_last_to_first: ratio(last.claim_50_ms.p50, first.claim_50_ms.p50),
      slowest_mi_view_at_last_size_ms: Math.max(
        ...Object.values(last.mi_ms).map((figure) => figure.server),
      ),
      function_logs: stack.functionLogs(),
    },
    null,
    2,
  ))
} finally {
  await sql.end()
  await database.close()
  await stack.stop()
}
