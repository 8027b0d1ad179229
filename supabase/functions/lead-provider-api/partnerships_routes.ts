/**
 * `/partnerships`: list (filters, sort, cursor pages), one by id, report one, report up to
 * 10,000 at once, and change the delivery partner of one. Another provider's partnership is not
 * found, exactly as an unknown id is.
 */
import { type Context, Hono } from 'hono'
import type { Database, Tx } from '../_shared/db.ts'
import { AppError, fromSqlRefusal } from '../_shared/errors.ts'
import { validated } from '../_shared/http.ts'
import { decodeCursor, findPartnerships, listPartnerships } from './api_data.ts'
import { type Answer, idempotencyKey, once } from './idempotency.ts'
import { jsonApi } from './json_api.ts'
import { reportPartnerships } from './report.ts'
import {
  bulkBodySchema,
  createBodySchema,
  idParamSchema,
  listQuerySchema,
  updateBodySchema,
} from './schemas.ts'
import type { TokenEnv } from './token_auth.ts'

const notFound = () => new AppError(404, 'partnership_not_found', 'Resource not found')

export const partnershipsRoutes = (database: Database) => {
  /** Each write: its work once per Idempotency-Key, in the calling token's one transaction. */
  const onceAsToken = (
    c: Context<TokenEnv>,
    request: unknown,
    work: (tx: Tx) => Promise<Answer>,
  ) => {
    const key = idempotencyKey(c) // a malformed key is refused before any transaction opens
    return database.withApiToken(
      c.var.apiTokenId,
      (tx) => once(c, tx, key, request, () => work(tx)),
    )
  }

  return new Hono<TokenEnv>()
    .get('/partnerships', validated('query', listQuerySchema), async (c) => {
      const query = c.req.valid('query')
      const given = query['page[cursor]']
      const after = given === undefined ? null : decodeCursor(given)
      if (after === null && given !== undefined) {
        throw new AppError(
          400,
          'invalid_cursor',
          'page[cursor] must be a cursor from meta.next_cursor',
        )
      }
      const page = await database.withApiToken(
        c.var.apiTokenId,
        (tx) => listPartnerships(tx, query, after),
      )
      return jsonApi(c, {
        data: page.data,
        meta: { page_size: query['page[size]'], next_cursor: page.next },
      })
    })
    .get('/partnerships/:id', validated('param', idParamSchema), async (c) => {
      const { id } = c.req.valid('param')
      const [found] = await database.withApiToken(
        c.var.apiTokenId,
        (tx) => findPartnerships(tx, [id]),
      )
      if (!found) throw notFound()
      return jsonApi(c, { data: found })
    })
    .post('/partnerships', validated('json', createBodySchema), async (c) => {
      const body = c.req.valid('json')
      return await onceAsToken(c, body, async (tx) => {
        const [result] = await reportPartnerships(tx, [body.data.attributes])
        if (!result || !('data' in result)) {
          const error = result?.errors[0]
          throw new AppError(
            Number(error?.status ?? 422) as 409 | 422,
            error?.code ?? 'not_reported',
            error?.detail ?? 'The school was not reported',
          )
        }
        return { status: 201, body: { data: result.data } }
      })
    })
    .post(
      '/partnerships/bulk',
      validated('json', bulkBodySchema),
      async (c) => {
        const body = c.req.valid('json')
        return await onceAsToken(c, body, async (tx) => {
          const results = await reportPartnerships(
            tx,
            body.data.map((item) => item.attributes),
          )
          const created = results.filter((result) => result.status === '201').length
          return {
            status: 200,
            body: {
              results,
              meta: { created, failed: results.length - created },
            },
          }
        })
      },
    )
    .put(
      '/partnerships/:id',
      validated('param', idParamSchema),
      validated('json', updateBodySchema),
      async (c) => {
        const { id } = c.req.valid('param')
        const body = c.req.valid('json')
        return await onceAsToken(c, { id, body }, async (tx) => {
          try {
            await tx`
              select changed from app.change_delivery_partner(
                ${id}::uuid, ${body.data.attributes.delivery_partner_id}::uuid)`
          } catch (error) {
            throw fromSqlRefusal(error, {
              partnership_not_found: 404,
              partnership_challenged: 409,
            })
          }
          const [found] = await findPartnerships(tx, [id])
          if (!found) throw notFound()
          return { status: 200, body: { data: found } }
        })
      },
    )
}
