/**
 * Reading the CSV files people upload to the tools (GIAS extracts, tutor lists) with `csv-parse`.
 * Tolerates what real files carry: a UTF-8 byte order mark, CRLF or LF line ends (mixed, too),
 * quoted fields with embedded commas, quotes and line breaks, rows of differing lengths. Writing
 * CSV is `formatCsv` in supabase/functions/_shared/csv.ts, the one writer.
 */
import { CsvError, parse } from 'csv-parse/sync'

/** A file that cannot be read as CSV; `line` is the 1-based physical line where it went wrong. */
export class CsvSyntaxError extends Error {
  constructor(message: string, readonly line: number) {
    super(`${message} (line ${line})`)
    this.name = 'CsvSyntaxError'
  }
}

/** Our words for csv-parse's errors: theirs quote the field, which may be personal data. */
const problems: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'A quoted field is never closed',
  INVALID_OPENING_QUOTE: 'A quote appears inside a field that does not start with one',
  CSV_INVALID_CLOSING_QUOTE: 'Text follows the closing quote of a field',
}

/**
 * One record and the row a spreadsheet shows it on (1-based): a blank line is a row there, and a
 * quoted line break is not, so a person can find the record by this number.
 */
export type CsvRecord = { fields: string[]; row: number }

/** Splits CSV text into records of fields. Blank lines between records are skipped. */
export function parseCsv(text: string): string[][] {
  return readCsvRecords(text).map((record) => record.fields)
}

/** As parseCsv, with the spreadsheet row of each record. */
export function readCsvRecords(text: string): CsvRecord[] {
  // Where the last whole record ended, to name the line an unclosed quote opened on: csv-parse
  // reports the end of the file, which does not help anyone find the quote.
  let lastRecord = { lines: 0, emptyLines: 0 }
  const rows: number[] = []
  try {
    const records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      record_delimiter: ['\r\n', '\n'],
      on_record: (fields: string[], { lines, empty_lines, records }) => {
        lastRecord = { lines, emptyLines: empty_lines }
        rows.push(records + empty_lines)
        return fields
      },
    })
    return records.map((fields, index) => ({ fields, row: rows[index]! }))
  } catch (error) {
    if (!(error instanceof CsvError)) throw error
    const line = error.code === 'CSV_QUOTE_NOT_CLOSED'
      ? lastRecord.lines + (Number(error.empty_lines) - lastRecord.emptyLines) + 1
      : Number(error.lines)
    throw new CsvSyntaxError(problems[error.code] ?? 'This line cannot be read as CSV', line)
  }
}
