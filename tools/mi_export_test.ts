import assert from 'node:assert/strict'
import postgres from 'postgres'
import { connect, stack } from '../tests/_stack.ts'
import { parseCsv } from './csv.ts'
import { exportMiView } from './mi_export.ts'
import { RefusedError } from './refused_error.ts'

async function withDatabase(test: (sql: postgres.Sql) => Promise<void>) {
  const sql = connect()
  try {
    await test(sql)
  } finally {
    await sql.end()
  }
}

async function miViews(sql: postgres.Sql): Promise<string[]> {
  const rows = await sql<{ viewname: string }[]>`
    select viewname from pg_catalog.pg_views where schemaname = 'mi' order by viewname`
  return rows.map((row) => row.viewname)
}

Deno.test('exportMiView() gives every mi view as CSV with a header and one record per row', () =>
  withDatabase(async (sql) => {
    const views = await miViews(sql)
    assert.ok(views.includes('challenges_by_reason'))
    for (const view of views) {
      const [count] = await sql<{ rows: number }[]>`select count(*)::int as rows from mi.${
        sql(view)
      }`
      const records = parseCsv(await exportMiView(sql, view))
      assert.equal(records.length, count!.rows + 1, `${view}: header and every row`)
    }
  }))

Deno.test('exportMiView() writes values as Postgres prints them, every reason listed', () =>
  withDatabase(async (sql) => {
    const [header, ...records] = parseCsv(await exportMiView(sql, 'challenges_by_reason'))
    assert.deepEqual(header, [
      'cohort_start_year',
      'reason_code',
      'reason_label',
      'reason_position',
      'challenges',
      'share_of_challenges',
    ])
    const reasons = await sql<{ code: string; label: string }[]>`
      select code, label from public.challenge_reasons order by code`
    const exported = new Set(records.map((record) => `${record[1]}|${record[2]}`))
    for (const { code, label } of reasons) assert.ok(exported.has(`${code}|${label}`), code)
  }))

Deno.test('exportMiView() refuses a name that is not an mi view and lists the views', () =>
  withDatabase(async (sql) => {
    for (const name of ['schools', 'reports; drop view mi.reports', '../reports']) {
      await assert.rejects(() => exportMiView(sql, name), (error: unknown) => {
        assert.ok(error instanceof RefusedError)
        assert.match(error.message, /^There is no MI view called .*The views are: .*reports/)
        return true
      })
    }
  }))

Deno.test('the analyst role can read every mi view and is refused the tables', () =>
  withDatabase(async (sql) => {
    const views = await miViews(sql)
    await sql.begin(async (tx) => {
      await tx`set local role analyst`
      for (const view of views) await tx`select * from mi.${tx(view)} limit 1`
    })
    for (const table of ['schools', 'notifications', 'induction_tutors']) {
      await assert.rejects(
        () =>
          sql.begin(async (tx) => {
            await tx`set local role analyst`
            await tx`select * from public.${tx(table)} limit 1`
          }),
        (error: unknown) => error instanceof postgres.PostgresError && error.code === '42501',
        `analyst reading public.${table}`,
      )
    }
  }))

Deno.test('deno task export-mi writes the view to the --out file', async () => {
  const out = await Deno.makeTempFile({ suffix: '.csv' })
  try {
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        'task',
        'export-mi',
        'challenges_by_reason',
        '--out',
        out,
        '--database-url',
        stack.databaseUrl,
      ],
      cwd: new URL('..', import.meta.url),
    }).output()

    assert.equal(output.code, 0, new TextDecoder().decode(output.stderr))
    const [header] = parseCsv(await Deno.readTextFile(out))
    assert.equal(header?.[0], 'cohort_start_year')
  } finally {
    await Deno.remove(out)
  }
})

Deno.test('exportMiView() guards text a spreadsheet would run as a formula, not numbers', () =>
  withDatabase(async (sql) => {
    // A view of our own, so the test need not build schools with hostile names; dropped after.
    const view = `formula_guard_test_${crypto.randomUUID().slice(0, 8)}`
    await sql`
      create view mi.${sql(view)} as
      select '=HYPERLINK("http://example.test")'::text as school_name, '-1'::text as code,
        -3::int as change, -0.50::numeric as share`
    try {
      await sql`grant select on mi.${sql(view)} to analyst`
      assert.deepEqual(parseCsv(await exportMiView(sql, view)), [
        ['school_name', 'code', 'change', 'share'],
        ['\'=HYPERLINK("http://example.test")', "'-1", '-3', '-0.50'],
      ])
    } finally {
      await sql`drop view mi.${sql(view)}`
    }
  }))
