/**
 * How long a lead provider waits for a 10,000-school CSV: check, report, the first page of the
 * school list and the CSV download, through the gateway as the portal calls them. Starts its own
 * local stack on free ports with a fresh data folder. Prints figures; never passes or fails on a
 * time. Run: `npx -y deno@2.9.6 run -A bench/provider_report_10000.ts [runs]`.
 */
import { startBenchStack } from './_stack.ts'

const schools = 10_000
const runs = Number(Deno.args[0] ?? 3)

const stack = await startBenchStack('provider-report')
try {
  const { connect } = await import('../tests/_stack.ts')
  const { callProvider, createProviderWorld, createSchools } = await import(
    '../tests/provider_world.ts'
  )

  const timings: Record<string, number[]> = {}
  const time = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now()
    const result = await work()
    ;(timings[label] ??= []).push(performance.now() - started)
    return result
  }

  for (let run = 0; run < runs; run++) {
    const world = await createProviderWorld({ schools: 0 })
    const sql = connect()
    // No addresses: the emails are recorded as `no_address`, so this times the report alone.
    const urns = (await createSchools(sql, schools, { email: false })).map((s) => s.urn)
    await sql.end()
    const csv = 'URN\r\n' + urns.join('\r\n') + '\r\n'
    const body = { cohort: world.cohort, delivery_partner_id: world.a.deliveryPartner.id, csv }
    const token = world.a.accessToken
    const expectOk = (answer: { status: number; text: string }) => {
      if (answer.status !== 200) throw new Error(`${answer.status}: ${answer.text.slice(0, 300)}`)
    }
    expectOk(await time('check 10,000 URNs', () => callProvider('/reports/check', { token, body })))
    expectOk(await time('report 10,000 URNs', () => callProvider('/reports', { token, body })))
    expectOk(
      await time(
        'list page 1 of 10,000',
        () => callProvider(`/partnerships?cohort=${world.cohort}`, { token }),
      ),
    )
    expectOk(
      await time(
        'download CSV of 10,000',
        () => callProvider(`/partnerships.csv?cohort=${world.cohort}`, { token }),
      ),
    )
  }

  console.log(`provider portal, ${schools.toLocaleString('en-GB')} schools, ${runs} run(s), ms:`)
  console.table(
    Object.fromEntries(
      Object.entries(timings).map(([label, values]) => {
        const sorted = [...values].sort((x, y) => x - y)
        return [label, {
          min: Math.round(sorted[0]!),
          median: Math.round(sorted[Math.floor(sorted.length / 2)]!),
          max: Math.round(sorted.at(-1)!),
        }]
      }),
    ),
  )
} finally {
  await stack.stop()
}
