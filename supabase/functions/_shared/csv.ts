/**
 * The one CSV writer for every CSV the service produces (the provider download, the MI export):
 * RFC 4180 by `csv-stringify`, CRLF line ends, quoting only fields that need it. A text cell a
 * spreadsheet would run as a formula (starting `=`, `+`, `-`, `@`, tab or carriage return) gets a
 * leading `'`: school names and other text come from outside the service and must never become
 * formulas on the computer of whoever opens the file. Numbers are written as they are.
 */
import { stringify } from 'csv-stringify/sync'

/** A number exactly as the database printed it (`-0.50`): written as is, never guarded. */
export type NumberText = { readonly numberText: string }

export type CsvCell = string | number | null | NumberText

export type CsvOptions = {
  /** Start with a byte order mark, so Excel reads the file as UTF-8 (for downloads people open). */
  byteOrderMark?: boolean
}

export function formatCsv(
  records: readonly (readonly CsvCell[])[],
  { byteOrderMark = false }: CsvOptions = {},
): string {
  return stringify(records as CsvCell[][], {
    bom: byteOrderMark,
    record_delimiter: '\r\n',
    // csv-stringify quotes a field holding the whole record delimiter; a lone CR or LF must be
    // quoted too, or a reader splits the record there.
    quoted_match: /[\r\n]/,
    escape_formulas: true,
    cast: {
      object: (value) => ({ value: (value as NumberText).numberText, escape_formulas: false }),
    },
  })
}
