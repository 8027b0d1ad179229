/**
 * A CSV file with a header row, read as named records. Shared by the loaders, which refuse a file
 * that is not valid CSV or whose header lacks the columns they need before looking at any row.
 */
import { type CsvRecord, CsvSyntaxError, readCsvRecords } from './csv.ts'
import { RefusedError } from './refused_error.ts'

/**
 * One data record: its row number as a spreadsheet shows it (the header is row 1; blank lines
 * count, a line break inside a quoted value does not).
 */
export type CsvRow = { rowNumber: number; get: (column: string) => string }

/**
 * Reads `text` as `fileKind` (e.g. 'a GIAS establishments extract'), whose header must name every
 * one of `requiredColumns` (ignoring case and surrounding spaces). Values are trimmed. Throws
 * RefusedError, saying what is wrong, for a file that cannot be read or lacks a column.
 */
export function readCsvTable(
  text: string,
  fileKind: string,
  requiredColumns: readonly string[],
): CsvRow[] {
  let header: CsvRecord | undefined, records: CsvRecord[]
  try {
    ;[header, ...records] = readCsvRecords(text)
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error
    throw new RefusedError(`This file is not valid CSV: ${error.message}. Nothing was loaded.`)
  }
  const positions = new Map(
    (header?.fields ?? []).map((name, index) => [name.trim().toLowerCase(), index]),
  )
  const missing = requiredColumns.filter((column) => !positions.has(column.toLowerCase()))
  if (missing.length > 0) {
    throw new RefusedError(
      `This is not ${fileKind}: it has no ${missing.join(', ')} column. Nothing was loaded.`,
    )
  }
  return records.map(({ fields, row }) => ({
    rowNumber: row,
    get: (column) => (fields[positions.get(column.toLowerCase()) ?? -1] ?? '').trim(),
  }))
}
