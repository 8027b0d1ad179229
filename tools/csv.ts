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

/** Splits CSV text into records of fields. Blank lines between records are skipped. */
export function parseCsv(text: string): string[][] {
  // Where the last whole record ended, to name the line an unclosed quote opened on: csv-parse
  // reports the end of the file, which does not help anyone find the quote.
  let lastRecord = { lines: 0, emptyLines: 0 }
  try {
    return parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      record_delimiter: ['\r\n', '\n'],
      on_record: (record: string[], { lines, empty_lines }) => {
        lastRecord = { lines, emptyLines: empty_lines }
        return record
      },
    })
  } catch (error) {
    if (!(error instanceof CsvError)) throw error
    const line = error.code === 'CSV_QUOTE_NOT_CLOSED'
      ? lastRecord.lines + (Number(error.empty_lines) - lastRecord.emptyLines) + 1
      : Number(error.lines)
    throw new CsvSyntaxError(problems[error.code] ?? 'This line cannot be read as CSV', line)
  }
}
