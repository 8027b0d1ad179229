/**
 * Uploaded and pasted CSV through the provider function: a byte order mark, a header row, blank
 * lines and Windows line endings are tolerated and rows keep the file's own line numbers; files
 * over 2MB, with too many rows or no URNs are refused; and 10,000 URNs check and report in full.
 */
import assert from 'node:assert/strict'
import { assertError } from './_answers.ts'
import { connect } from './_stack.ts'
import {
  callProvider,
  createProviderWorld,
  createSchools,
  partnershipCount,
  type ProviderWorld,
} from './provider_world.ts'

type Row = { row_number: number; given: string; urn: string | null; error: string | null }
type Report = {
  counts: { rows: number; errors: number; valid: number; confirmed: number }
  rows: Row[]
}

function upload(w: ProviderWorld, csv: string) {
  return { cohort: w.cohort, delivery_partner_id: w.a.deliveryPartner.id, csv }
}

Deno.test('POST /provider/reports/check numbers an uploaded CSV’s rows by its own lines', async () => {
  const w = await createProviderWorld({ schools: 3 })
  const [oak, elm, ash] = w.schools.map((school) => school.urn)
  const csv =
    `\ufeffURN,School name\r\n${oak},Oak\r\n\r\nnot a urn,Nowhere\r\n"${elm}","Elm, Junior"\r\n` +
    `${oak},Oak again\r\n 0${ash} \r\n\r\n`
  const answer = await callProvider('/reports/check', {
    token: w.a.accessToken,
    body: upload(w, csv),
  })
  assert.equal(answer.status, 200, answer.text)
  const body = answer.body as Report
  assert.deepEqual(
    body.rows.map(({ row_number, given, urn, error }) => ({ row_number, given, urn, error })),
    [
      { row_number: 2, given: oak, urn: oak, error: null },
      { row_number: 4, given: 'not a urn', urn: null, error: 'URN is not valid' },
      { row_number: 5, given: elm, urn: elm, error: null },
      { row_number: 7, given: `0${ash}`, urn: ash, error: null },
    ],
  )
  assert.deepEqual(body.counts, { rows: 4, errors: 1, valid: 3, confirmed: 0 })
})

Deno.test('POST /provider/reports refuses an upload over 2MB, with too many rows or no URNs', async () => {
  const w = await createProviderWorld({ schools: 1 })
  const token = w.a.accessToken
  const urn = w.schools[0]!.urn
  const overTwoMegabytes = `${urn}\n`.repeat(Math.ceil((2 * 1024 * 1024) / (urn.length + 1)) + 1)
  assertError(
    await callProvider('/reports', { token, body: upload(w, overTwoMegabytes) }),
    413,
    'file_too_large',
  )
  assertError(
    await callProvider('/reports', { token, body: upload(w, `${urn}\n`.repeat(20_001)) }),
    422,
    'too_many_rows',
  )
  for (const csv of ['', '\ufeff\r\n\r\n', 'URN\r\n']) {
    assertError(await callProvider('/reports', { token, body: upload(w, csv) }), 422, 'no_urns')
  }
  assert.equal(await partnershipCount(w), 0)
})

Deno.test('POST /provider/reports checks and reports an upload of 10,000 URNs in full', async () => {
  const w = await createProviderWorld({ schools: 0 })
  const sql = connect()
  try {
    const schools = await createSchools(sql, 10_000, { email: false })
    const csv = 'URN\r\n' + schools.map((school) => school.urn).join('\r\n') + '\r\n'
    const checked = await callProvider('/reports/check', {
      token: w.a.accessToken,
      body: upload(w, csv),
    })
    assert.equal(checked.status, 200, checked.text.slice(0, 500))
    assert.deepEqual((checked.body as Report).counts, {
      rows: 10_000,
      errors: 0,
      valid: 10_000,
      confirmed: 0,
    })

    const reported = await callProvider('/reports', {
      token: w.a.accessToken,
      body: upload(w, csv),
    })
    assert.equal(reported.status, 200, reported.text.slice(0, 500))
    assert.equal((reported.body as Report).counts.confirmed, 10_000)
    const [row] = await sql<{ count: number }[]>`
      select count(*)::int as count from public.partnerships where lead_provider_id = ${w.a.id}`
    assert.equal(row!.count, 10_000)
  } finally {
    await sql.end()
  }
})
