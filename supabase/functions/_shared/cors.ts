/**
 * Cross-origin access for our own site only, and the security headers every function response
 * carries. Functions answer JSON to `fetch`, so the headers forbid everything a browser could
 * otherwise do with a response rendered as a page.
 */
import type { MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'
import { secureHeaders } from 'hono/secure-headers'
import { type Config, NotConfiguredError } from './config.ts'

/**
 * CORS for `WEB_ORIGIN` alone: other origins get no Access-Control-Allow-Origin header. Without a
 * usable `WEB_ORIGIN` (logged by config.ts) no origin is admitted, but the request still runs:
 * callers that are not browsers (pg_net, Notify) need no CORS.
 */
export function webOriginCors(config: Pick<Config, 'webOrigin'>): MiddlewareHandler {
  return cors({
    origin: (origin) => (origin === allowedOrigin(config) ? origin : null),
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['authorization', 'apikey', 'content-type', 'x-client-info'],
    exposeHeaders: ['content-disposition'],
    maxAge: 600,
  })
}

export function securityHeaders(): MiddlewareHandler {
  const headers = secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    crossOriginResourcePolicy: 'same-site',
    referrerPolicy: 'no-referrer',
  })
  return async (c, next) => {
    await headers(c, next)
    // Answers carry personal data and change as people act: never store them.
    if (!c.res.headers.has('cache-control')) c.header('cache-control', 'no-store')
  }
}

function allowedOrigin(config: Pick<Config, 'webOrigin'>): string | null {
  try {
    return config.webOrigin()
  } catch (error) {
    if (error instanceof NotConfiguredError) return null
    throw error
  }
}
