/**
 * Admits DfE support users only: anyone else signed in gets 403 before any route runs, so no
 * route can forget the check. Routes then read under RLS as the caller (`withSupportUser`), which
 * may also read what support alone writes.
 */
import type { MiddlewareHandler } from 'hono'
import type { UserEnv } from '../_shared/auth.ts'
import type { Database } from '../_shared/db.ts'
import { AppError } from '../_shared/errors.ts'

export function requireSupportUser(database: Database): MiddlewareHandler<UserEnv> {
  return async (c, next) => {
    const [caller] = await database.withUser(
      c.var.claims,
      (tx) =>
        tx<
          { is_support_user: boolean }[]
        >`select app.is_support_user() as is_support_user`,
    )
    if (!caller?.is_support_user) {
      throw new AppError(
        403,
        'not_support_user',
        'You do not have access to the DfE support tools',
      )
    }
    await next()
  }
}
