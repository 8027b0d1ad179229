/**
 * The API's answers in JSON:API's shape (`application/vnd.api+json`): resources as `data`,
 * failures as `errors` with a status, a stable `code`, a title and a sentence. Errors are first
 * made by the functions' one error handler (`_shared/errors.ts`), then reshaped here, so every
 * refusal the shared code knows (bad JSON, body too large, SQL refusals) keeps its code.
 */
import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { type ErrorBody, notFound, onError } from '../_shared/errors.ts'

export const jsonApiType = 'application/vnd.api+json'

export type JsonApiError = {
  status: string
  code: string
  title: string
  detail: string
}

const titles: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorised',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable entity',
  429: 'Too many requests',
  503: 'Service unavailable',
}

export function jsonApiError(
  status: number,
  code: string,
  detail: string,
): JsonApiError {
  return {
    status: String(status),
    code,
    title: titles[status] ?? 'Error',
    detail,
  }
}

/** A JSON:API answer with `body` as it is. */
export function jsonApi(
  c: Context,
  body: unknown,
  status: ContentfulStatusCode = 200,
) {
  return c.body(JSON.stringify(body), status, { 'content-type': jsonApiType })
}

async function reshape(response: Response): Promise<Response> {
  const { error } = await response.json() as ErrorBody
  const headers = new Headers(response.headers)
  headers.set('content-type', jsonApiType)
  headers.delete('content-length')
  return new Response(
    JSON.stringify({
      errors: [jsonApiError(response.status, error.code, error.message)],
    }),
    { status: response.status, headers },
  )
}

export const jsonApiOnError: ErrorHandler = async (error, c) => reshape(await onError(error, c))

export const jsonApiNotFound: NotFoundHandler = async (c) => reshape(await notFound(c))
