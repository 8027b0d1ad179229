/**
 * pg_cron's schedule language, for the local cron runner: five cron fields (minute, hour, day of
 * month, month, day of week; each `*`, numbers, `a-b` ranges, `,` lists and `/n` steps on `*` or a
 * range), the @hourly style macros, and pg_cron's '1 seconds' to '59 seconds'. Times are UTC, as
 * pg_cron's default `cron.timezone`. Accepts exactly what cron._validate_schedule in shim.sql does.
 */

export type Schedule =
  | { kind: 'seconds'; every: number }
  | {
    kind: 'cron'
    minutes: Set<number>
    hours: Set<number>
    days: Set<number>
    months: Set<number>
    weekdays: Set<number>
    /** Vixie cron (and pg_cron) treat a field starting with `*` as unrestricted. */
    anyDay: boolean
    anyWeekday: boolean
  }

const macros: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
}

/** Lowest and highest value of each of the five fields; day of week 7 is Sunday, as 0. */
const bounds = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]] as const

export function parseSchedule(text: string): Schedule {
  const trimmed = text.trim()
  const seconds = /^([1-5]?[0-9]) seconds?$/.exec(trimmed)
  if (seconds?.[1] !== undefined) {
    const every = Number(seconds[1])
    if (every >= 1 && every <= 59) return { kind: 'seconds', every }
    throw invalid(text)
  }
  const fields = (macros[trimmed.toLowerCase()] ?? trimmed).split(/\s+/)
  if (fields.length !== 5) throw invalid(text)
  const [minutes, hours, days, months, weekdays] = fields.map((field, index) => {
    const [low, high] = bounds[index] ?? [0, 0]
    return parseField(field, low, high, text)
  })
  if (!minutes || !hours || !days || !months || !weekdays) throw invalid(text)
  if (weekdays.has(7)) weekdays.add(0)
  return {
    kind: 'cron',
    minutes,
    hours,
    days,
    months,
    weekdays,
    anyDay: fields[2]?.startsWith('*') ?? true,
    anyWeekday: fields[4]?.startsWith('*') ?? true,
  }
}

/**
 * The slot `at` falls in when the schedule is due then, else null: the UTC minute for cron
 * schedules, the n-second interval for seconds schedules. A job runs at most once per slot.
 */
export function dueSlot(schedule: Schedule, at: Date): number | null {
  const time = at.getTime()
  if (schedule.kind === 'seconds') return Math.floor(time / (schedule.every * 1000))
  const dayMatches = schedule.days.has(at.getUTCDate())
  const weekdayMatches = schedule.weekdays.has(at.getUTCDay())
  // As in cron: when both day fields are restricted, either may match.
  const dayOk = schedule.anyDay || schedule.anyWeekday
    ? dayMatches && weekdayMatches
    : dayMatches || weekdayMatches
  const due = dayOk &&
    schedule.minutes.has(at.getUTCMinutes()) &&
    schedule.hours.has(at.getUTCHours()) &&
    schedule.months.has(at.getUTCMonth() + 1)
  return due ? Math.floor(time / 60_000) : null
}

function parseField(field: string, low: number, high: number, text: string): Set<number> {
  const values = new Set<number>()
  for (const part of field.split(',')) {
    const match = /^(?:(\*)|(\d{1,2})(?:-(\d{1,2}))?)(?:\/(\d{1,2}))?$/.exec(part)
    if (!match) throw invalid(text)
    const [, star, first, last, step] = match
    // A step needs a range to walk: `*/5` and `1-30/5` are fine, `5/10` is not.
    if (step !== undefined && star === undefined && last === undefined) throw invalid(text)
    const from = star ? low : Number(first)
    const to = star ? high : last !== undefined ? Number(last) : from
    const by = step !== undefined ? Number(step) : 1
    if (from < low || to > high || to < from || by < 1) throw invalid(text)
    for (let value = from; value <= to; value += by) values.add(value)
  }
  return values
}

function invalid(text: string): Error {
  return new Error(`invalid schedule: ${text}`)
}
