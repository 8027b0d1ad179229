/**
 * How long a lead provider waits to report 10,000 schools, two ways, through the gateway as the
 * portal calls it. In one request: check, report, the first page of the school list and the CSV
 * download of a 10,000-school CSV, `runs` times. One request per school: the same report as
 * 10,000 requests of one URN each, sent one after another by default (as a provider's script
 * looping over its schools would), or `concurrency` at a time. Starts its own local stack on free
 * ports with a fresh data folder. Prints figures and the ratio between the two ways; never passes
 * or fails on a time.
 *
 *   npx -y deno@2.9.6 run -A bench/provider_report_10000.ts [runs=3] [schools=10000] [concurrency=1]
 */
import { startBenchStack } from './_stack.ts'
import { percentiles, ratio } from './_stats.ts'

const runs = Number(Deno.args[0] ?? 3)
const schools = Number(Deno.args[1] ?? 10_000)
const concurrency = Number(Deno.args[2] ?? 1)
const count = schools.toLocaleString('en-GB')

const stack = await startBenchStack('provider-report')
try {
  const { connect } = await import('../tests/_stack.ts')
  const { callProvider, createProviderWorld, createSchools } = await import(
    '../tests/provider_world.ts'
  )

  /** A lead provider with a signed-in user, and `schools` schools for it to report. */
  const prepare = async () => {
    const world = await createProviderWorld({ schools: 0 })
    const sql = connect()
    // No addresses: the emails are recorded as `no_address`, so this times the report alone.
    const urns = (await createSchools(sql, schools, { email: false })).map((s) => s.urn)
    await sql.end()
    const token = world.a.accessToken
    const report = (urns: string[]) => ({
      cohort: world.cohort,
      delivery_partner_id: world.a.deliveryPartner.id,
      csv: 'URN\r\n' + urns.join('\r\n') + '\r\n',
    })
    return { world, urns, token, report }
  }
  const expectOk = (answer: { status: number; text: string }) => {
    if (answer.status !== 200) throw new Error(`${answer.status}: ${answer.text.slice(0, 300)}`)
  }

  const timings: Record<string, number[]> = {}
  const time = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now()
    const result = await work()
    ;(timings[label] ??= []).push(performance.now() - started)
    return result
  }

  console.error(`one request: ${runs} run(s) of ${count} schools…`)
  for (let run = 0; run < runs; run++) {
    const { world, urns, token, report } = await prepare()
    const body = report(urns)
    expectOk(
      await time(`check ${count} URNs`, () => callProvider('/reports/check', { token, body })),
    )
    expectOk(await time(`report ${count} URNs`, () => callProvider('/reports', { token, body })))
    expectOk(
      await time(
        `list page 1 of ${count}`,
        () => callProvider(`/partnerships?cohort=${world.cohort}`, { token }),
      ),
    )
    expectOk(
      await time(
        `download CSV of ${count}`,
        () => callProvider(`/partnerships.csv?cohort=${world.cohort}`, { token }),
      ),
    )
  }

  console.error(`one request per school: ${count} requests, ${concurrency} at a time…`)
  const { urns, token, report } = await prepare()
  const perRequest: number[] = []
  let next = 0
  const started = performance.now()
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < urns.length) {
      const body = report([urns[next++]!])
      const sent = performance.now()
      expectOk(await callProvider('/reports', { token, body }))
      perRequest.push(performance.now() - sent)
    }
  }))
  const perSchoolMs = performance.now() - started

  console.log(`provider portal, ${count} schools in one request, ${runs} run(s), ms:`)
  const oneRequest = Object.fromEntries(
    Object.entries(timings).map(([label, values]) => {
      const sorted = [...values].sort((x, y) => x - y)
      return [label, {
        min: Math.round(sorted[0]!),
        median: Math.round(sorted[Math.floor(sorted.length / 2)]!),
        max: Math.round(sorted.at(-1)!),
      }]
    }),
  )
  console.table(oneRequest)
  const reportMedian = oneRequest[`report ${count} URNs`]!.median
  const latency = percentiles(perRequest)
  console.log(JSON.stringify(
    {
      one_request_per_school: {
        requests: perRequest.length,
        concurrency,
        total_ms: Math.round(perSchoolMs),
        requests_per_second: Math.round(perRequest.length / (perSchoolMs / 1000)),
        per_request_ms: { p50: latency.p50, p99: latency.p99, max: latency.max },
      },
      ratio_per_school_total_to_one_request_report: ratio(perSchoolMs, reportMedian),
      function_logs: stack.functionLogs(),
    },
    null,
    2,
  ))
} finally {
  await stack.stop()
}
