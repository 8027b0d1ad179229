/**
 * Loads a GIAS establishments extract into `public.schools`: upserts by URN in one transaction,
 * touching only rows whose values changed, and says what it did. A file that is not a GIAS extract
 * is refused before anything is written.
 */
import type postgres from 'postgres'
import { readCsvTable } from './csv_table.ts'
import { giasColumns, type School, schoolFromGiasRow } from './gias_school.ts'
import type { Rejection } from './load_summary.ts'

export type GiasLoadSummary = {
  added: number
  changed: number
  /** Schools that were open (or proposed to open or close) before this load and are now closed. */
  closed: number
  unchanged: number
  rejected: Rejection[]
}

/** Loads the CSV `text` into the database behind `sql`; throws RefusedError for a non-GIAS file. */
export async function loadGias(sql: postgres.Sql, text: string): Promise<GiasLoadSummary> {
  const rows = readCsvTable(text, 'a GIAS establishments extract', Object.values(giasColumns))

  const schools: School[] = []
  const rejected: Rejection[] = []
  const firstRowOfUrn = new Map<string, number>()
  for (const row of rows) {
    const result = schoolFromGiasRow(row)
    if ('reason' in result) {
      rejected.push({ rowNumber: row.rowNumber, reason: result.reason })
      continue
    }
    const earlier = firstRowOfUrn.get(result.school.urn)
    if (earlier !== undefined) {
      rejected.push({ rowNumber: row.rowNumber, reason: `URN repeats row ${earlier}` })
      continue
    }
    firstRowOfUrn.set(result.school.urn, row.rowNumber)
    schools.push(result.school)
  }

  const written = await sql.begin((tx) => upsertSchools(tx, schools))
  const added = written.filter((row) => row.previous_status === null).length
  const closed =
    written.filter((row) =>
      row.previous_status !== null && row.previous_status !== 'closed' && row.status === 'closed'
    ).length
  const changed = written.length - added - closed
  return { added, changed, closed, unchanged: schools.length - written.length, rejected }
}

type WrittenRow = { status: School['status']; previous_status: School['status'] | null }

// The rows travel as one JSON parameter, so a whole GIAS extract (about 50,000 rows) fits in one
// statement without meeting Postgres's limit on bind parameters. All parts of the statement see the
// table as it was before it, which is how `before` gives the previous status.
function upsertSchools(sql: postgres.TransactionSql, schools: School[]): Promise<WrittenRow[]> {
  return sql<WrittenRow[]>`
    with incoming as (
      select * from jsonb_to_recordset(${sql.json(schools)}::jsonb) as x(
        urn text, name text, status text, establishment_type text, is_independent boolean,
        in_england boolean, local_authority text, trust_uid text, trust_name text, trust_type text)
    ),
    before as (
      select s.urn, s.status from public.schools s join incoming i using (urn)
    ),
    written as (
      insert into public.schools as s (urn, name, status, establishment_type, is_independent,
        in_england, local_authority, trust_uid, trust_name, trust_type)
      select urn, name, status, establishment_type, is_independent, in_england, local_authority,
        trust_uid, trust_name, trust_type
      from incoming
      on conflict (urn) do update set
        name = excluded.name, status = excluded.status,
        establishment_type = excluded.establishment_type, is_independent = excluded.is_independent,
        in_england = excluded.in_england, local_authority = excluded.local_authority,
        trust_uid = excluded.trust_uid, trust_name = excluded.trust_name,
        trust_type = excluded.trust_type
      where (s.name, s.status, s.establishment_type, s.is_independent, s.in_england,
          s.local_authority, s.trust_uid, s.trust_name, s.trust_type)
        is distinct from (excluded.name, excluded.status, excluded.establishment_type,
          excluded.is_independent, excluded.in_england, excluded.local_authority,
          excluded.trust_uid, excluded.trust_name, excluded.trust_type)
      returning s.urn, s.status
    )
    select w.status, b.status as previous_status
    from written w left join before b using (urn)`
}
