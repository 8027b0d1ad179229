import assert from 'node:assert/strict'
import { connect } from '../tests/_stack.ts'
import * as insert from '../tests/world.ts'
import { loadInductionTutors } from './induction_tutors_loader.ts'
import { RefusedError } from './refused_error.ts'

const sample = await Deno.readTextFile(
  new URL('./testdata/induction_tutors_sample.csv', import.meta.url),
)
// Schools of their own (URNs 97100xx), so other tests sharing the database are not disturbed.
const urns = ['9710001', '9710002', '9710003', '9710004']
const tutorsFile = sample.replaceAll('97000', '97100')

async function withSchools(test: (sql: ReturnType<typeof connect>) => Promise<void>) {
  const sql = connect()
  const clean = () => sql`delete from public.schools where urn = any(${urns})`
  try {
    await clean()
    await insert.schools(sql, urns.map((urn) => ({ urn, name: `School ${urn}` })))
    await test(sql)
  } finally {
    await clean()
    await sql.end()
  }
}

function tutorsOf(sql: ReturnType<typeof connect>) {
  return sql`
    select s.urn, t.full_name, t.email from public.induction_tutors t
    join public.schools s using (school_id)
    where s.urn = any(${urns}) order by s.urn`.then((rows) => [...rows])
}

Deno.test('loadInductionTutors() adds tutors, rejecting unknown URNs and bad emails', () =>
  withSchools(async (sql) => {
    const summary = await loadInductionTutors(sql, tutorsFile)

    assert.deepEqual(summary, {
      added: 2,
      changed: 0,
      unchanged: 0,
      rejected: [
        { rowNumber: 4, reason: 'email is not a valid email address' },
        { rowNumber: 5, reason: 'no school has this URN' },
        { rowNumber: 6, reason: 'URN is missing or not a number' },
        { rowNumber: 7, reason: 'name is blank' },
        { rowNumber: 8, reason: 'URN repeats row 2' },
      ],
    })
    assert.deepEqual(await tutorsOf(sql), [
      { urn: '9710001', full_name: 'Ada Lovelace', email: 'ada.lovelace@example.test' },
      { urn: '9710002', full_name: "O'Brien, Siobhan", email: 'siobhan.obrien@example.test' },
    ])
  }))

Deno.test('loadInductionTutors() changes only the tutors whose details changed', () =>
  withSchools(async (sql) => {
    await loadInductionTutors(sql, tutorsFile)
    const again = await loadInductionTutors(sql, tutorsFile)
    assert.deepEqual([again.added, again.changed, again.unchanged], [0, 0, 2])

    const corrected = 'urn,Name,EMAIL\n9710001,Ada King,ada.king@example.test\n9710002,' +
      '"O\'Brien, Siobhan",siobhan.obrien@example.test\n'
    const summary = await loadInductionTutors(sql, corrected)

    assert.deepEqual(summary, { added: 0, changed: 1, unchanged: 1, rejected: [] })
    assert.deepEqual((await tutorsOf(sql))[0], {
      urn: '9710001',
      full_name: 'Ada King',
      email: 'ada.king@example.test',
    })
  }))

Deno.test('loadInductionTutors() refuses a file without an email column and writes nothing', () =>
  withSchools(async (sql) => {
    await assert.rejects(
      () => loadInductionTutors(sql, 'URN,name\n9710001,Ada Lovelace\n'),
      (error: unknown) =>
        error instanceof RefusedError &&
        error.message ===
          'This is not a list of induction tutors: it has no email column. Nothing was loaded.',
    )
    assert.deepEqual(await tutorsOf(sql), [])
  }))
