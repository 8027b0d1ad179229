/**
 * `deno task bench`: every benchmark, one after another, each with its own stack (its output
 * passed through as it comes), then issue 16's "Must show" figures from this one run in one
 * table, each beside its limit. The figures are read from what the benchmarks print (their final
 * JSON, or the page-weight lines); one a benchmark did not print is shown as missing. Never
 * passes or fails on a figure: the exit code is only whether every benchmark ran.
 *
 *   npx -y deno@2.9.6 run -A bench/all.ts
 */

/** In the order `deno task bench` has always run them; arguments are each one's defaults. */
const benchmarks = [
  'report_page_weight.ts',
  'challenge_load.ts',
  'provider_report_10000.ts',
  'provider_check_page_10000.ts',
  'notifications_drain.ts',
  'growth.ts',
  'lead_provider_api_bulk.ts',
] as const
type Benchmark = typeof benchmarks[number]

const outputs = new Map<Benchmark, string>()
let failed = 0
for (const name of benchmarks) {
  console.log(`\n=== bench/${name}`)
  const { code, text } = await run(new URL(name, import.meta.url).pathname)
  outputs.set(name, text)
  if (code !== 0) {
    failed++
    console.log(`bench/${name} exited with ${code}`)
  }
}

const page = pageWeight(outputs.get('report_page_weight.ts') ?? '')
const challenge = lastJson(outputs.get('challenge_load.ts'))
const drain = lastJson(outputs.get('notifications_drain.ts'))
const growth = growthFigures(outputs.get('growth.ts') ?? '')
const at = (value: unknown, ...path: string[]): number | undefined => {
  let here = value
  for (const key of path) here = (here as Record<string, unknown> | undefined)?.[key]
  return typeof here === 'number' ? here : undefined
}
/** A mix with reports is printed under its share, e.g. `10_percent_reports`, and a suffix. */
const mixRatios = (suffix: string) =>
  Object.entries((challenge?.ratio_to_floor ?? {}) as Record<string, unknown>)
    .find(([key]) => key.endsWith(suffix))?.[1]
const reportMix = mixRatios('_percent_reports')
const reportMixNoEmail = mixRatios('_percent_reports_queueing_no_email')
const busy = at(drain, 'wake_ups_that_found_a_run_going')
const sendingSeconds = at(drain, 'seconds_of_sending')

const rows: [string, string, number | undefined, string][] = [
  [
    '1',
    'sender wake-ups that found a run going, per second of sending',
    busy !== undefined && sendingSeconds ? round(busy / sendingSeconds, 3) : undefined,
    `at most 1 (${busy ?? '?'} in ${sendingSeconds ?? '?'} s)`,
  ],
  ['2', '25,000-email drain rate / limit', at(drain, 'drain_rate_ratio_to_limit'), 'at least 0.97'],
  ['2', 'busiest rolling minute / limit', at(drain, 'busiest_minute_ratio_to_limit'), 'at most 1'],
  ['2', 'retries after a 429', at(drain, 'retries_after_429'), '0'],
  ['2', 'duplicates', at(drain, 'duplicates'), '0'],
  ['2', 'losses', at(drain, 'losses'), '0'],
  [
    '2',
    'commit to first email, ms',
    at(drain, 'commit_to_first_email_accepted_ms'),
    'at most 1,000',
  ],
  ['3', 'report page cold: requests', page.cold?.requests, 'at most 6'],
  ['3', 'report page cold: KB as sent', page.cold?.kb, 'at most 100'],
  ['3', 'report page warm: requests', page.warm?.requests, 'at most 3'],
  ['3', 'report page warm: KB as sent', page.warm?.kb, 'at most 5'],
  [
    '4',
    'challenge p99 / floor, checks only',
    at(challenge, 'ratio_to_floor', 'checks_only', 'p99'),
    'at most 1.3',
  ],
  ['4', 'challenge p99 / floor, with reports', at(reportMix, 'p99'), 'at most 2'],
  [
    '4',
    'challenge p99 / floor, reports queueing no email',
    at(reportMixNoEmail, 'p99'),
    "none: the report's own cost",
  ],
  ['4', 'challenge errors (answers not 200)', challengeErrors(challenge), '0'],
  [
    '5',
    'list page p50, largest size / 10k',
    at(growth.summary, 'list_page_p50_ratio_last_to_first'),
    'at most 1.5',
  ],
  ['5', 'claim of 50 with every school email due, p50 ms', growth.lastClaimP50, 'under 10'],
  [
    '5',
    'slowest mi view at the largest size, server ms',
    at(growth.summary, 'slowest_mi_view_at_last_size_ms'),
    'under 1,000',
  ],
]
console.log('\nissue 16, Must show, from this run:')
console.table(rows.map(([item, figure, value, limit]) => ({
  'must show': item,
  figure,
  value: value ?? 'missing',
  limit,
})))
Deno.exit(failed === 0 ? 0 : 1)

/** Runs one benchmark, passing its output through, and returns its stdout. */
async function run(path: string): Promise<{ code: number; text: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ['run', '-A', path],
    stdout: 'piped',
    stderr: 'inherit',
  }).spawn()
  const decoder = new TextDecoder()
  let text = ''
  for await (const chunk of child.stdout) {
    await Deno.stdout.write(chunk)
    text += decoder.decode(chunk, { stream: true })
  }
  const { code } = await child.status
  return { code, text }
}

/** The last JSON object a benchmark printed over several lines (`JSON.stringify(_, null, 2)`). */
function lastJson(text: string | undefined): Record<string, unknown> | undefined {
  const start = text?.lastIndexOf('\n{\n')
  if (text === undefined || start === undefined || start < 0) return undefined
  const end = text.indexOf('\n}\n', start)
  try {
    return JSON.parse(text.slice(start + 1, end < 0 ? undefined : end + 2))
  } catch {
    return undefined
  }
}

/**
 * bench/report_page_weight.ts's first such line for each load, the report page's:
 * `report page, cold (empty cache): 5 requests (0 CORS preflights; …), 80.1 KB transferred`.
 */
function pageWeight(text: string) {
  const load = (name: string) => {
    const match = text.match(
      new RegExp(`${name}[^:\\n]*: (\\d+) requests[^\\n]*?, ([\\d.]+) KB transferred`),
    )
    return match ? { requests: Number(match[1]), kb: Number(match[2]) } : undefined
  }
  return { cold: load('cold'), warm: load('warm') }
}

/** bench/growth.ts prints one line of JSON per size, then its summary. */
function growthFigures(text: string) {
  const sizes = text.split('\n').filter((line) => line.startsWith('{"')).map((line) => {
    try {
      return JSON.parse(line) as { claim_50_ms?: { p50?: number } }
    } catch {
      return {}
    }
  })
  return { summary: lastJson(text), lastClaimP50: sizes.at(-1)?.claim_50_ms?.p50 }
}

function challengeErrors(result: Record<string, unknown> | undefined): number | undefined {
  const byStatus = result?.answers_by_status as
    | Record<string, Record<string, number>>
    | undefined
  if (!byStatus) return undefined
  return Object.values(byStatus).reduce(
    (sum, answers) =>
      sum +
      Object.entries(answers).reduce((n, [status, count]) => status === '200' ? n : n + count, 0),
    0,
  )
}

function round(value: number, places: number): number {
  return Math.round(value * 10 ** places) / 10 ** places
}
