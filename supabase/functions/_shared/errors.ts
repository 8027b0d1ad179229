/**
 * One error type and one JSON error shape for every function: `{"error":{"code","message"}}`,
 * with a stable machine code and a sentence for people. Anything unexpected becomes a 500 with a
 * generic message, logged by kind only: no request data, SQL parameters or stack traces.
 */
import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { serviceProblem } from './wording.ts'

export class AppError extends Error {
  override readonly name = 'AppError'

  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

export type ErrorBody = { error: { code: string; message: string } }

/** A refusal raised by an `app.*` SQL function: SQLSTATE P0001, code as message, sentence as hint. */
type SqlRefusal = { code: 'P0001'; message: string; hint?: string }

function isSqlRefusal(error: unknown): error is SqlRefusal {
  return error instanceof Error && 'code' in error && error.code === 'P0001'
}

/**
 * Turns a refusal raised by SQL into an AppError, with the status chosen per code (422 when the
 * code is not listed); anything else is returned unchanged, to be rethrown.
 *
 *   catch (error) { throw fromSqlRefusal(error, { partnership_not_found: 404 }) }
 */
export function fromSqlRefusal(
  error: unknown,
  statuses: Record<string, ContentfulStatusCode> = {},
): unknown {
  if (!isSqlRefusal(error)) return error
  return new AppError(statuses[error.message] ?? 422, error.message, error.hint ?? error.message)
}

const codesByStatus: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorised',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
}

export const onError: ErrorHandler = (error, c) => {
  if (error instanceof AppError) return errorResponse(c, error.status, error.code, error.message)
  const refusal = fromSqlRefusal(error)
  if (refusal instanceof AppError) {
    return errorResponse(c, refusal.status, refusal.code, refusal.message)
  }
  if (error instanceof HTTPException && error.status < 500) {
    // Hono raises these for bodies it cannot parse; its messages name no request data.
    if (error.message === 'Malformed JSON in request body') {
      return errorResponse(c, 400, 'malformed_json', 'The request body must be valid JSON')
    }
    const code = codesByStatus[error.status] ?? 'bad_request'
    return errorResponse(c, error.status, code, error.message || 'The request was not valid')
  }
  console.error(JSON.stringify({ level: 'error', event: 'unhandled_error', ...describe(error) }))
  return errorResponse(c, 500, 'internal_error', serviceProblem)
}

export const notFound: NotFoundHandler = (c) =>
  errorResponse(c, 404, 'not_found', 'There is nothing at this address')

export function errorResponse(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
) {
  return c.json<ErrorBody>({ error: { code, message } }, status)
}

/**
 * What is safe to log about an unexpected error. Database errors can quote the values that
 * caused them (in message and detail), so only their SQLSTATE and constraint are kept.
 */
function describe(error: unknown): Record<string, string | undefined> {
  if (!(error instanceof Error)) return { kind: typeof error }
  if ('severity' in error && 'code' in error) {
    const { code, constraint_name: constraint } = error as {
      code?: string
      constraint_name?: string
    }
    return { kind: 'database', sqlstate: code, constraint }
  }
  return { kind: error.name, message: error.message }
}
