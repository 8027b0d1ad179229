/**
 * Turns what a lead provider uploads or pastes (a CSV of school URNs, or a column copied from a
 * spreadsheet) into the list `app.report_schools` takes: one entry per line, so that the rule's
 * row numbers are the person's own line numbers. Blank lines and a header row become empty
 * entries, which the rule skips without a row. Only the first column of each line is read.
 */

/** The largest upload accepted, as the upload page says ("Maximum file size: 2MB"). */
export const maxUploadBytes = 2 * 1024 * 1024

/** The most lines the report rule takes at once (`app.report_schools` refuses more). */
export const maxLines = 20_000

export type UrnListResult =
  | { ok: true; urns: string[] }
  | { ok: false; code: 'file_too_large' | 'too_many_rows' | 'no_urns'; message: string }

/** Spaces a spreadsheet may leave around a value, including no-break and other Unicode spaces. */
const spaces =
  /^[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+|[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+$/g

export function parseUrnList(text: string): UrnListResult {
  if (new TextEncoder().encode(text).byteLength > maxUploadBytes) {
    return { ok: false, code: 'file_too_large', message: 'The file must be smaller than 2MB' }
  }
  const lines = text.replace(/^\ufeff/, '').split(/\r\n|\r|\n/)
  while (lines.length > 0 && lines.at(-1)!.replace(spaces, '') === '') lines.pop()
  if (lines.length > maxLines) {
    return {
      ok: false,
      code: 'too_many_rows',
      message: `The file must have no more than ${maxLines.toLocaleString('en-GB')} rows`,
    }
  }
  const urns = lines.map(firstField)
  const header = urns.findIndex((value) => value !== '')
  if (header !== -1 && !/\d/.test(urns[header]!)) urns[header] = ''
  if (urns.every((value) => value === '')) {
    return { ok: false, code: 'no_urns', message: 'Enter at least one school URN' }
  }
  return { ok: true, urns }
}

/**
 * The first field of a CSV line, unquoted and trimmed. Fields end at a comma, a tab (cells
 * copied from a spreadsheet) or a semicolon (CSV saved where the decimal mark is a comma).
 */
function firstField(line: string): string {
  const trimmed = line.replace(spaces, '')
  if (trimmed.startsWith('"')) {
    const closing = /^"((?:[^"]|"")*)"/.exec(trimmed)
    if (closing) return closing[1]!.replaceAll('""', '"').replace(spaces, '')
  }
  return trimmed.split(/[,\t;]/, 1)[0]!.replace(spaces, '')
}
