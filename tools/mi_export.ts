/**
 * One `mi` view as CSV, read as the `analyst` role, so an export can never show more than analysts
 * may see. Values are exactly as Postgres prints them, times in London time with their offset;
 * text that a spreadsheet would run as a formula is guarded, as in every CSV we produce.
 */
import type postgres from 'postgres'
import { formatCsv, type NumberText } from '../supabase/functions/_shared/csv.ts'
import { RefusedError } from './refused_error.ts'

/**
 * Type OIDs of int2, int4, int8, oid, float4, float8 and numeric: their values are numbers, which
 * the writer's formula guard leaves as they are (a negative share stays a number in Excel).
 */
const numericTypes = new Set([21, 23, 20, 26, 700, 701, 1700])

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
    const numeric = result.columns.map((column) => numericTypes.has(column.type))
    return formatCsv([
      result.columns.map((column) => column.name),
      ...result.map((row) =>
        row.map((value, index): string | NumberText | null => {
          if (value === null) return null
          const text = decoder.decode(value)
          return numeric[index] ? { numberText: text } : text
        })
      ),
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
