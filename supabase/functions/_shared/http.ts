/**
 * The frame every function is built in: `functionApp(name, config)` gives a Hono app under
 * `/<name>` with CORS for our site, security headers, a body size limit, JSON-only request
 * bodies and the one error shape; `validated(target, schema)` checks input with zod and answers
 * a 400 in that shape; `validatedJsonText(schema)` does the same for a JSON body that a browser
 * sent labelled `text/plain`.
 */
import { Hono } from 'hono'
import type { Env, ValidationTargets } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'
import { validator } from 'hono/validator'
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

/**
 * JSON, or JSON labelled `text/plain`: what a page sends as a CORS "simple request", which a
 * browser sends without an OPTIONS preflight first. For functions a page calls without a session;
 * their routes read the body with `validatedJsonText`.
 */
export const jsonOrPlainText = /^(application\/json|text\/plain)\s*(;|$)/i

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
  return zValidator(target, schema, refuseInvalid)
}

/**
 * `validated('json', schema)` for a body parsed as JSON whatever its label (`application/json` or
 * `text/plain`, as `jsonOrPlainText` admits), and checked exactly as strictly: malformed JSON is a
 * 400 `malformed_json`, anything the schema refuses a 400 `invalid_request`.
 */
export function validatedJsonText<T extends z.ZodType>(schema: T) {
  return validator('json', async (_value, c): Promise<z.output<T>> => {
    let body: unknown
    try {
      body = await c.req.json()
    } catch {
      // The message Hono gives for the same fault; errors.ts maps it to `malformed_json`.
      throw new HTTPException(400, { message: 'Malformed JSON in request body' })
    }
    const result = schema.safeParse(body)
    refuseInvalid(result)
    return result.data as z.output<T>
  })
}

/** The first problem zod found becomes a 400 `invalid_request`, as does unstorable text. */
function refuseInvalid(
  result:
    | { success: true; data: unknown }
    | { success: false; error: { issues: readonly { path: PropertyKey[]; message: string }[] } },
): void {
  if (!result.success) {
    const [issue] = result.error.issues
    throw invalidRequest(issue?.path ?? [], issue?.message ?? 'invalid input')
  }
  const path = unstorableTextAt(result.data)
  if (path) throw invalidRequest(path, 'contains a character that is not allowed')
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
