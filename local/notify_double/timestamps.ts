/** Notify's DATETIME_FORMAT, `%Y-%m-%dT%H:%M:%S.%fZ`: UTC with microseconds. */
export function notifyTimestamp(date: Date): string {
  return date.toISOString().replace(/Z$/, '000Z')
}

export function notifyTimestampOrNull(date: Date | null): string | null {
  return date ? notifyTimestamp(date) : null
}
