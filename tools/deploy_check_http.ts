/**
 * The deploy check's one way of asking a project something over HTTP: a request with a time
 * limit whose answer is read as JSON when it is JSON. A request that gets no answer becomes a
 * value, not an exception, so one unreachable endpoint fails its own check and no other.
 */

export type Answer =
  | { status: number; body: unknown }
  | { unreachable: string }

/** Long enough for a function's cold start; a check that waits longer tells no one anything. */
const timeoutMs = 20_000

export async function ask(url: string, init: RequestInit = {}): Promise<Answer> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) })
    const text = await response.text()
    return { status: response.status, body: parseJson(text) }
  } catch (error) {
    const reason = error instanceof DOMException && error.name === 'TimeoutError'
      ? `no answer within ${timeoutMs / 1000} s`
      : error instanceof Error
      ? error.message
      : String(error)
    return { unreachable: reason }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** A JSON body as a record, or an empty one, so fields can be read without type tests. */
export function fields(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? body as Record<string, unknown>
    : {}
}

/** Our functions' error code (`{"error":{"code"}}`, or JSON:API `errors`), if the body is one. */
export function errorCode(body: unknown): string | undefined {
  const { error, errors } = fields(body)
  // Ours `{error: {code}}`, or the Lead Provider API's JSON:API `{errors: [{code}]}`.
  const code = fields(Array.isArray(errors) ? errors[0] : error).code
  return typeof code === 'string' ? code : undefined
}
