/**
 * Writes the lead provider's schools as CSV for the download (RFC 4180, CRLF line ends, a byte
 * order mark so Excel reads it as UTF-8). A cell that a spreadsheet would run as a formula
 * (starting `=`, `+`, `-`, `@`, tab or carriage return) is prefixed with `'`: school names come
 * from outside the service and must not become formulas on a provider's computer.
 */

export type CsvCell = string | number | null

export function toCsv(header: string[], rows: CsvCell[][]): string {
  return '\ufeff' + [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n'
}

function cell(value: CsvCell): string {
  if (value === null) return ''
  let text = String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}
