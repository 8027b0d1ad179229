/**
 * Loads induction tutors from a CSV of URN, name and email into `public.induction_tutors` (one per
 * school) in one transaction, touching only tutors whose details changed. Rows for schools we do
 * not know, or with a missing name or an unusable email address, are rejected with reasons.
 */
import type postgres from 'postgres'
import { readCsvTable } from './csv_table.ts'
import type { Rejection } from './load_summary.ts'

export type TutorLoadSummary = {
  added: number
  changed: number
  unchanged: number
  rejected: Rejection[]
}

type Tutor = { rowNumber: number; urn: string; full_name: string; email: string }

// Deliberately simple: one @, something on both sides, a dot in the domain, no spaces. Notify
// makes the final judgement; this catches the mistakes people make in spreadsheets.
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** Loads the CSV `text` into the database behind `sql`; RefusedError if a column is missing. */
export async function loadInductionTutors(
  sql: postgres.Sql,
  text: string,
): Promise<TutorLoadSummary> {
  const rows = readCsvTable(text, 'a list of induction tutors', ['URN', 'name', 'email'])
  const tutors: Tutor[] = []
  const rejected: Rejection[] = []
  const firstRowOfUrn = new Map<string, number>()
  for (const row of rows) {
    const urn = row.get('URN').replace(/^0+/, '')
    const tutor = {
      rowNumber: row.rowNumber,
      urn,
      full_name: row.get('name'),
      email: row.get('email'),
    }
    const reason = !/^[1-9][0-9]{0,7}$/.test(urn)
      ? 'URN is missing or not a number'
      : tutor.full_name === ''
      ? 'name is blank'
      : tutor.email.length > 254 || !emailPattern.test(tutor.email)
      ? 'email is not a valid email address'
      : firstRowOfUrn.has(urn)
      ? `URN repeats row ${firstRowOfUrn.get(urn)}`
      : undefined
    if (reason) {
      rejected.push({ rowNumber: row.rowNumber, reason })
      continue
    }
    firstRowOfUrn.set(urn, row.rowNumber)
    tutors.push(tutor)
  }

  return await sql.begin(async (tx) => {
    const known = await tx<{ urn: string }[]>`
      select urn from public.schools where urn = any(${tutors.map((tutor) => tutor.urn)})`
    const knownUrns = new Set(known.map((school) => school.urn))
    const loadable = tutors.filter((tutor) => knownUrns.has(tutor.urn))
    for (const tutor of tutors) {
      if (!knownUrns.has(tutor.urn)) {
        rejected.push({ rowNumber: tutor.rowNumber, reason: 'no school has this URN' })
      }
    }
    const written = await upsertTutors(tx, loadable)
    const added = written.filter((row) => row.inserted).length
    return {
      added,
      changed: written.length - added,
      unchanged: loadable.length - written.length,
      rejected: rejected.sort((a, b) => a.rowNumber - b.rowNumber),
    }
  })
}

function upsertTutors(sql: postgres.TransactionSql, tutors: Tutor[]) {
  const incoming = tutors.map(({ urn, full_name, email }) => ({ urn, full_name, email }))
  // `xmax = 0` is Postgres's mark of a row this statement inserted rather than updated.
  return sql<{ inserted: boolean }[]>`
    insert into public.induction_tutors as t (school_id, full_name, email)
    select s.school_id, x.full_name, x.email
    from jsonb_to_recordset(${sql.json(incoming)}::jsonb) as x(urn text, full_name text, email text)
    join public.schools s using (urn)
    on conflict (school_id) do update set
      full_name = excluded.full_name, email = excluded.email, updated_at = now()
    where (t.full_name, t.email) is distinct from (excluded.full_name, excluded.email)
    returning (t.xmax = 0) as inserted`
}
