/**
 * RFC 4180 CSV: parsing the files people upload (GIAS extracts, tutor lists) and writing the MI
 * export. Tolerates what real files carry: a UTF-8 byte order mark, CRLF or LF line ends, quoted
 * fields with embedded commas, quotes and line breaks.
 */

/** A file that cannot be read as CSV; `line` is the 1-based physical line where it went wrong. */
export class CsvSyntaxError extends Error {
  constructor(message: string, readonly line: number) {
    super(`${message} (line ${line})`)
    this.name = 'CsvSyntaxError'
  }
}

/** Splits CSV text into records of fields. Blank lines between records are skipped. */
export function parseCsv(text: string): string[][] {
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text
  const records: string[][] = []
  let record: string[] = []
  let field = ''
  let quoted = false
  let fieldWasQuoted = false
  let line = 1
  let quoteOpenedOnLine = 0

  const endField = () => {
    record.push(field)
    field = ''
    fieldWasQuoted = false
  }
  const endRecord = () => {
    endField()
    const blank = record.length === 1 && record[0] === ''
    if (!blank) records.push(record)
    record = []
  }

  for (let i = 0; i < input.length; i++) {
    const char = input[i]
    if (quoted) {
      if (char === '"') {
        if (input[i + 1] === '"') {
          field += '"'
          i++
        } else {
          quoted = false
        }
      } else {
        if (char === '\n') line++
        field += char
      }
      continue
    }
    if (char === '"') {
      if (field !== '' || fieldWasQuoted) {
        throw new CsvSyntaxError(
          'A quote appears inside a field that does not start with one',
          line,
        )
      }
      quoted = true
      fieldWasQuoted = true
      quoteOpenedOnLine = line
    } else if (char === ',') {
      endField()
    } else if (char === '\r' && input[i + 1] === '\n') {
      // CRLF: the LF ends the record on the next pass
    } else if (char === '\n') {
      endRecord()
      line++
    } else {
      if (fieldWasQuoted) {
        throw new CsvSyntaxError('Text follows the closing quote of a field', line)
      }
      field += char
    }
  }
  if (quoted) throw new CsvSyntaxError('A quoted field is never closed', quoteOpenedOnLine)
  if (field !== '' || fieldWasQuoted || record.length > 0) endRecord()
  return records
}

/** Writes records as CSV with CRLF line ends, quoting only fields that need it. */
export function formatCsv(records: readonly (readonly string[])[]): string {
  return records.map((fields) => fields.map(quoteIfNeeded).join(',') + '\r\n').join('')
}

function quoteIfNeeded(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field
}
