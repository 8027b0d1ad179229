/**
 * The frame every function is built in: `functionApp(name, config)` gives a Hono app under
 * `/<name>` with CORS for our site, security headers, a body size limit, JSON-only request
 * bodies and the one error shape; `validated(target, schema)` checks input with zod and answers
 * a 400 in that shape.
 */
import { Hono } from 'hono'
import type { Env, ValidationTargets } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { zValidator } from '@hono/zod-validator'
import type { z } from 'zod'
import { securityHeaders, webOriginCors } from './cors.ts'
import type { Config } from './config.ts'
import { AppError, notFound, onError } from './errors.ts'

export type FunctionAppOptions = {
  /** Largest request body accepted, in bytes. */
  maxBodyBytes?: number
  /** Request body media types accepted; JSON by default. */
  bodyTypes?: RegExp
}

const methodsWithBody = new Set(['POST', 'PUT', 'PATCH'])
const jsonType = /^application\/json\s*(;|$)/i

/** `config.webOrigin` is the one origin CORS admits. */
export function functionApp<E extends Env = Env>(
  name: string,
  config: Pick<Config, 'webOrigin'>,
  { maxBodyBytes = 64 * 1024, bodyTypes = jsonType }: FunctionAppOptions = {},
) {
  const app = new Hono<E>().basePath(`/${name}`)
  app.onError(onError)
  app.notFound(notFound)
  app.use(securityHeaders())
  app.use(webOriginCors(config))
  app.use(
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: () => {
        throw new AppError(413, 'payload_too_large', 'The request body is too large')
      },
    }),
  )
  app.use(async (c, next) => {
    if (methodsWithBody.has(c.req.method) && hasBody(c.req.raw)) {
      const type = c.req.header('content-type') ?? ''
      if (!bodyTypes.test(type)) {
        throw new AppError(415, 'unsupported_media_type', 'Send the request body as JSON')
      }
    }
    await next()
  })
  return app
}

/**
 * zod validation of one part of the request; the first problem becomes a 400 `invalid_request`,
 * as does text the database cannot store (see `unstorableTextAt`).
 */
export function validated<T extends z.ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: T,
) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      const [issue] = result.error.issues
      throw invalidRequest(issue?.path ?? [], issue?.message ?? 'invalid input')
    }
    const path = unstorableTextAt(result.data)
    if (path) throw invalidRequest(path, 'contains a character that is not allowed')
  })
}

function invalidRequest(path: PropertyKey[], message: string): AppError {
  const where = path.length ? `${path.map(String).join('.')}: ` : ''
  return new AppError(400, 'invalid_request', `${where}${message}`)
}

/**
 * Where validated input holds text Postgres cannot take: U+0000 (text columns and parameters
 * refuse it, which would be a 500) or a lone UTF-16 surrogate (it has no UTF-8 form, and the
 * driver would quietly store U+FFFD instead). Walks only data that passed the schema, so its
 * depth is the schema's.
 */
export function unstorableTextAt(value: unknown, path: PropertyKey[] = []): PropertyKey[] | null {
  if (typeof value === 'string') {
    return value.includes('\0') || !value.isWellFormed() ? path : null
  }
  if (typeof value !== 'object' || value === null) return null
  for (const [key, item] of Object.entries(value)) {
    const found = unstorableTextAt(item, [...path, Array.isArray(value) ? Number(key) : key])
    if (found) return found
  }
  return null
}

function hasBody(request: Request): boolean {
  const length = request.headers.get('content-length')
  return length === null ? request.body !== null : Number(length) > 0
}
