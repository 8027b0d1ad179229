/**
 * GOV.UK Notify's error responses: `{"status_code": 403, "errors": [{"error": "AuthError",
 * "message": "..."}]}`. Types and wording follow alphagov/notifications-api (`app/v2/errors.py`,
 * `app/authentication/auth.py`) and the error tables at docs.notifications.service.gov.uk.
 */

export type NotifyErrorItem = { error: string; message: string }
export type NotifyErrorBody = { status_code: number; errors: NotifyErrorItem[] }

export class NotifyError extends Error {
  constructor(readonly status: number, readonly errors: NotifyErrorItem[]) {
    super(errors.map((item) => item.message).join('; '))
  }

  toBody(): NotifyErrorBody {
    return { status_code: this.status, errors: this.errors }
  }
}

export function authError(status: 401 | 403, message: string): NotifyError {
  return new NotifyError(status, [{ error: 'AuthError', message }])
}

export function badRequest(message: string): NotifyError {
  return new NotifyError(400, [{ error: 'BadRequestError', message }])
}

/** JSON-schema failures: Notify lists every one of them in a single 400. */
export function validationError(messages: string[]): NotifyError {
  return new NotifyError(400, messages.map((message) => ({ error: 'ValidationError', message })))
}

/** `RateLimitError` in app/v2/errors.py: "normal" keys are called LIVE in messages. */
export function rateLimitError(limit: number): NotifyError {
  return new NotifyError(429, [{
    error: 'RateLimitError',
    message: `Exceeded rate limit for key type LIVE of ${limit} requests per 60 seconds`,
  }])
}

export function noResultFound(): NotifyError {
  return new NotifyError(404, [{ error: 'NoResultFound', message: 'No result found' }])
}

export function internalServerError(): NotifyError {
  return new NotifyError(500, [{ error: 'Exception', message: 'Internal server error' }])
}

export function notifyErrorResponse(error: NotifyError): Response {
  return Response.json(error.toBody(), { status: error.status })
}
