/**
 * What the loaders report back: counts, and the rows they could not load with reasons. Shared so
 * both commands speak the same way.
 */

/** A row not loaded; `rowNumber` as a spreadsheet shows it (the header is row 1). */
export type Rejection = { rowNumber: number; reason: string }

/** The summary lines a command prints: one count per outcome, then each rejected row. */
export function formatSummary(counts: Record<string, number>, rejected: Rejection[]): string {
  const lines = Object.entries(counts).map(([label, count]) => `${label}: ${count}`)
  lines.push(`Rejected: ${rejected.length}`)
  for (const { rowNumber, reason } of rejected) lines.push(`  row ${rowNumber}: ${reason}`)
  return lines.join('\n')
}
