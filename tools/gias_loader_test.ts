import assert from 'node:assert/strict'
import { connect, stack } from '../tests/_stack.ts'
import { loadGias } from './gias_loader.ts'
import { RefusedError } from './refused_error.ts'

const sample = await Deno.readTextFile(new URL('./testdata/gias_sample.csv', import.meta.url))
const nextMonth = await Deno.readTextFile(
  new URL('./testdata/gias_sample_next.csv', import.meta.url),
)
// The URNs the sample files use (97000xx), unique to these tests.
const sampleUrns = Array.from({ length: 10 }, (_, i) => String(9700001 + i))

async function withCleanSchools(test: (sql: ReturnType<typeof connect>) => Promise<void>) {
  const sql = connect()
  const clean = () => sql`delete from public.schools where urn = any(${sampleUrns})`
  try {
    await clean()
    await test(sql)
  } finally {
    await clean()
    await sql.end()
  }
}

async function countSampleSchools(sql: ReturnType<typeof connect>): Promise<number> {
  const [row] = await sql<{ count: number }[]>`
    select count(*)::int as count from public.schools where urn = any(${sampleUrns})`
  return row!.count
}

// xmin changes whenever Postgres rewrites a row, so equal versions mean nothing was written.
function rowVersions(sql: ReturnType<typeof connect>) {
  return sql`select urn, xmin::text from public.schools where urn = any(${sampleUrns}) order by urn`
}

function schoolRow(sql: ReturnType<typeof connect>, urn: string) {
  return sql`
    select name, status, establishment_type, is_independent, in_england, local_authority,
      trust_uid, trust_name, trust_type
    from public.schools where urn = ${urn}`.then((rows) => rows[0])
}

Deno.test('loadGias() adds new schools and rejects malformed rows with row numbers, reasons', () =>
  withCleanSchools(async (sql) => {
    const summary = await loadGias(sql, sample)

    assert.deepEqual(summary, {
      added: 7,
      changed: 0,
      closed: 0,
      unchanged: 0,
      rejected: [
        { rowNumber: 8, reason: 'URN is missing or not a number' },
        { rowNumber: 9, reason: 'EstablishmentStatus (name) "Shut" is not a GIAS status' },
        { rowNumber: 11, reason: 'URN repeats row 2' },
        {
          rowNumber: 12,
          reason: 'Trusts (code) is blank for a school supported by an academy trust',
        },
      ],
    })
    assert.equal(await countSampleSchools(sql), 7)
  }))

Deno.test('loadGias() maps GIAS values to status, independence, England and trust columns', () =>
  withCleanSchools(async (sql) => {
    await loadGias(sql, sample)

    assert.deepEqual(await schoolRow(sql, '9700002'), {
      name: 'Northgate Academy',
      status: 'open',
      establishment_type: 'Academy sponsor led',
      is_independent: false,
      in_england: true,
      local_authority: 'Leeds',
      trust_uid: '5001',
      trust_name: 'Northern Lights Academy Trust',
      trust_type: 'multi_academy_trust',
    })
    assert.equal((await schoolRow(sql, '9700003'))?.trust_type, 'single_academy_trust')
    assert.equal((await schoolRow(sql, '9700004'))?.is_independent, true)
    assert.equal((await schoolRow(sql, '9700005'))?.in_england, false)
    assert.equal((await schoolRow(sql, '9700008'))?.in_england, false)
    const maintained = await schoolRow(sql, '9700001')
    assert.deepEqual(
      [maintained?.trust_uid, maintained?.trust_name, maintained?.trust_type],
      [null, null, null],
    )
    // Leading zeros dropped; the quoted name keeps its comma, quotes and line break.
    assert.deepEqual(await schoolRow(sql, '9700006').then((row) => [row?.name, row?.status]), [
      'St Mary\'s and St John\'s, "The Priory" CofE School\nJunior site',
      'proposed_to_close',
    ])
  }))

Deno.test('loadGias() changes nothing when the same file is loaded again', () =>
  withCleanSchools(async (sql) => {
    await loadGias(sql, sample)
    const before = await rowVersions(sql)

    const summary = await loadGias(sql, sample)

    assert.deepEqual(
      [summary.added, summary.changed, summary.closed, summary.unchanged],
      [0, 0, 0, 7],
    )
    const after = await rowVersions(sql)
    assert.deepEqual(after, before, 'no row was rewritten')
  }))

Deno.test('loadGias() counts changed, newly closed and added schools from a later extract', () =>
  withCleanSchools(async (sql) => {
    await loadGias(sql, sample)

    const summary = await loadGias(sql, nextMonth)

    assert.deepEqual(summary, { added: 1, changed: 1, closed: 1, unchanged: 5, rejected: [] })
    assert.equal((await schoolRow(sql, '9700002'))?.name, 'Northgate Academy and Sixth Form')
    assert.equal((await schoolRow(sql, '9700003'))?.status, 'closed')
    assert.equal((await schoolRow(sql, '9700010'))?.name, 'Brook Lane Primary School')
  }))

Deno.test('loadGias() refuses a file that is not a GIAS extract and writes nothing', () =>
  withCleanSchools(async (sql) => {
    const tutors = 'URN,name,email\r\n9700001,Ada Lovelace,ada@example.test\r\n'

    await assert.rejects(() => loadGias(sql, tutors), (error: unknown) => {
      assert.ok(error instanceof RefusedError)
      assert.match(error.message, /^This is not a GIAS establishments extract: it has no /)
      assert.match(error.message, /EstablishmentName, EstablishmentStatus \(name\)/)
      return true
    })
    assert.equal(await countSampleSchools(sql), 0)
  }))

Deno.test('deno task load-gias prints the counts and exits 1 refusing a non-GIAS file', () =>
  withCleanSchools(async () => {
    const run = async (file: string) => {
      const output = await new Deno.Command(Deno.execPath(), {
        args: ['task', 'load-gias', file, '--database-url', stack.databaseUrl],
        cwd: new URL('..', import.meta.url),
      }).output()
      const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes)
      return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) }
    }

    const loaded = await run('tools/testdata/gias_sample.csv')
    assert.equal(loaded.code, 0)
    assert.match(loaded.stdout, /^Added: 7\nChanged: 0\nClosed: 0\nUnchanged: 0\nRejected: 4\n/)
    assert.ok(loaded.stdout.includes('\n  row 8: URN is missing or not a number\n'))

    const refused = await run('tools/testdata/induction_tutors_sample.csv')
    assert.equal(refused.code, 1)
    assert.match(refused.stderr, /not a GIAS establishments extract.*Nothing was loaded\./)
  }))
