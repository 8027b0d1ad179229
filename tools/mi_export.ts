/**
 * One `mi` view as CSV, read as the `analyst` role, so an export can never show more than analysts
 * may see. Values are exactly as Postgres prints them, times in London time with their offset.
 */
import type postgres from 'postgres'
import { formatCsv } from './csv.ts'
import { RefusedError } from './refused_error.ts'

/** The whole of `mi.<view>` as CSV with a header row; refuses a name that is not an `mi` view. */
export async function exportMiView(sql: postgres.Sql, view: string): Promise<string> {
  return await sql.begin(async (tx) => {
    await tx`set local role analyst`
    await tx`set local time zone 'Europe/London'`
    const views = await analystViewNames(tx)
    if (!views.includes(view)) {
      throw new RefusedError(
        `There is no MI view called "${view}". The views are: ${views.join(', ')}.`,
      )
    }
    // raw(): each value as the text Postgres sends, so numbers and times are not reformatted.
    const result = await tx`select * from mi.${tx(view)}`.raw()
    const decoder = new TextDecoder()
    return formatCsv([
      result.columns.map((column) => column.name),
      ...result.map((row) => row.map((value) => value === null ? '' : decoder.decode(value))),
    ])
  })
}

// information_schema lists only what the current role may read, so this is the analyst's own list.
async function analystViewNames(sql: postgres.TransactionSql): Promise<string[]> {
  const rows = await sql<{ table_name: string }[]>`
    select table_name from information_schema.views
    where table_schema = 'mi' order by table_name`
  return rows.map((row) => row.table_name)
}
