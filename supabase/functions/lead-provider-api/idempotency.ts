/**
 * `Idempotency-Key` on the API's writes: the first request with a key does its work and stores
 * its answer in the same transaction (app.claim_idempotency_key / app.finish_idempotent_request),
 * so a retry gets that answer again and never reports twice, even when the two arrive together
 * (the second waits for the first's key). The same key with a different request is refused.
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Tx } from '../_shared/db.ts'
import { AppError } from '../_shared/errors.ts'
import { jsonApi } from './json_api.ts'
import { idempotencyKeySchema } from './schemas.ts'

export type Answer = { status: ContentfulStatusCode; body: unknown }

/** The request's key, checked; undefined when none was sent. */
export function idempotencyKey(c: Context): string | undefined {
  const given = c.req.header('idempotency-key')
  if (given === undefined) return undefined
  const parsed = idempotencyKeySchema.safeParse(given)
  if (!parsed.success) {
    throw new AppError(
      400,
      'invalid_idempotency_key',
      'Idempotency-Key must be 1 to 255 printable ASCII characters',
    )
  }
  return parsed.data
}

/**
 * Runs `work` once per key (in `tx`, the request's one transaction) and answers; a replay has the
 * header `Idempotent-Replayed: true`.
 */
export async function once(
  c: Context,
  tx: Tx,
  key: string | undefined,
  request: unknown,
  work: () => Promise<Answer>,
): Promise<Response> {
  if (key === undefined) {
    const answer = await work()
    return jsonApi(c, answer.body, answer.status)
  }
  const fingerprint = `${c.req.method} ${new URL(c.req.url).pathname} ${JSON.stringify(request)}`
  const [stored] = await tx<
    {
      same_request: boolean
      response_status: number | null
      response_body: unknown
    }[]
  >`select * from app.claim_idempotency_key(${key}, ${fingerprint})`
  if (stored) {
    if (!stored.same_request || stored.response_status === null) {
      throw new AppError(
        422,
        'idempotency_key_reused',
        'This Idempotency-Key was used for a different request',
      )
    }
    c.header('idempotent-replayed', 'true')
    return jsonApi(
      c,
      stored.response_body,
      stored.response_status as ContentfulStatusCode,
    )
  }
  const answer = await work()
  // As text, so the stored answer keeps its members in order (the driver's json goes as jsonb).
  await tx`select app.finish_idempotent_request(
    ${key}, ${answer.status}, ${JSON.stringify(answer.body)}::text::json)`
  return jsonApi(c, answer.body, answer.status)
}
