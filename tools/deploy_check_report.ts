/**
 * The deploy check's findings and how they are printed: one line per check, saying what was
 * found and, when something is wrong, what to do about it. A finding never carries a secret: the
 * checks compare keys, they do not show them.
 */

export type Outcome = 'ok' | 'fail' | 'skip'

export type Finding = {
  outcome: Outcome
  /** What was checked, e.g. "Vault secret notifications_function_url". */
  check: string
  /** What was found. */
  detail: string
  /** What to do about it (failures only). */
  fix?: string
}

export function ok(check: string, detail: string): Finding {
  return { outcome: 'ok', check, detail }
}

export function fail(check: string, detail: string, fix: string): Finding {
  return { outcome: 'fail', check, detail, fix }
}

/** A check that could not run with what was given; not a failure. */
export function skip(check: string, detail: string): Finding {
  return { outcome: 'skip', check, detail }
}

const labels: Record<Outcome, string> = { ok: 'ok  ', fail: 'FAIL', skip: 'skip' }

/** The report: a line per finding, then a closing line counting the problems. */
export function formatReport(findings: Finding[]): string {
  const lines = findings.map(({ outcome, check, detail, fix }) =>
    `${labels[outcome]}  ${check}: ${detail}${fix ? ` Fix: ${fix}` : ''}`
  )
  const problems = findings.filter((finding) => finding.outcome === 'fail').length
  lines.push(
    problems === 0
      ? 'Nothing is missing or wrong.'
      : `${problems} ${problems === 1 ? 'problem' : 'problems'} found.`,
  )
  return lines.join('\n')
}

/** 1 when anything is wrong, else 0; skipped checks are not failures. */
export function exitCode(findings: Finding[]): 0 | 1 {
  return findings.some((finding) => finding.outcome === 'fail') ? 1 : 0
}
