/**
 * The Lead Provider API: 10,000 partnerships reported in one `POST /partnerships/bulk` against
 * the same 10,000 as single `POST /partnerships` requests, `concurrency` in flight at a time (4 by
 * default, as a provider's integration with a small worker pool would send them, and so the run
 * stays short; 1 is a script looping over its schools). Both go through the gateway with an API
 * token, on a stack of the benchmark's own. Prints figures and the ratio; never passes or fails
 * on a time.
 *
 *   npx -y deno@2.9.6 run -A bench/lead_provider_api_bulk.ts [schools=10000] [concurrency=4]
 */
import { startBenchStack } from './_stack.ts'
import { percentiles, ratio } from './_stats.ts'

const schools = Number(Deno.args[0] ?? 10_000)
const concurrency = Number(Deno.args[1] ?? 4)
const count = schools.toLocaleString('en-GB')

const stack = await startBenchStack('lead-provider-api')
try {
  const { connect } = await import('../tests/_stack.ts')
  const { createSchools } = await import('../tests/provider_world.ts')
  const { callApi, createApiWorld } = await import(
    '../tests/_lead_provider_api.ts'
  )

  /** A lead provider with a token and `schools` schools without addresses (no emails sent). */
  const prepare = async () => {
    const world = await createApiWorld({ schools: 0 })
    const sql = connect()
    const urns = (await createSchools(sql, schools, { email: false })).map((
      s,
    ) => s.urn)
    await sql.end()
    const item = (urn: string) => ({
      type: 'partnership',
      attributes: {
        cohort: world.cohort,
        delivery_partner_id: world.a.deliveryPartner.id,
        urn,
      },
    })
    return { token: world.a.apiToken, urns, item }
  }
  const expect = (answer: { status: number; text: string }, status: number) => {
    if (answer.status !== status) {
      throw new Error(`${answer.status}: ${answer.text.slice(0, 300)}`)
    }
  }

  console.error(`one bulk request of ${count}…`)
  const bulk = await prepare()
  const bulkStarted = performance.now()
  const bulkAnswer = await callApi('POST', '/partnerships/bulk', {
    token: bulk.token,
    body: { data: bulk.urns.map(bulk.item) },
    // The schema check of 10,000 resources is the test suite's job, not part of the time.
    unchecked: true,
  })
  const bulkMs = performance.now() - bulkStarted
  expect(bulkAnswer, 200)
  const created = (bulkAnswer.body as { meta: { created: number } }).meta.created
  if (created !== schools) {
    throw new Error(`bulk created ${created} of ${schools}`)
  }

  console.error(`${count} single POSTs, ${concurrency} at a time…`)
  const single = await prepare()
  const perRequest: number[] = []
  let next = 0
  const singleStarted = performance.now()
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < single.urns.length) {
      const body = { data: single.item(single.urns[next++]!) }
      const sent = performance.now()
      expect(
        await callApi('POST', '/partnerships', {
          token: single.token,
          body,
          unchecked: true,
        }),
        201,
      )
      perRequest.push(performance.now() - sent)
    }
  }))
  const singleMs = performance.now() - singleStarted
  const latency = percentiles(perRequest)

  console.log(JSON.stringify(
    {
      lead_provider_api: {
        partnerships: schools,
        one_bulk_request_ms: Math.round(bulkMs),
        single_posts: {
          requests: perRequest.length,
          concurrency,
          total_ms: Math.round(singleMs),
          requests_per_second: Math.round(
            perRequest.length / (singleMs / 1000),
          ),
          per_request_ms: {
            p50: latency.p50,
            p99: latency.p99,
            max: latency.max,
          },
        },
        ratio_single_posts_to_one_bulk: ratio(singleMs, bulkMs),
      },
      function_logs: stack.functionLogs(),
    },
    null,
    2,
  ))
} finally {
  await stack.stop()
}
