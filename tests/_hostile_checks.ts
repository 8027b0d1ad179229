/**
 * How the hostile suites call the functions and judge what comes back. `send` calls a function
 * through the gateway as a browser, Notify or pg_net would, and fails the test on any 5xx: every
 * answer is checked, so a 500 (the only answer that logs `unhandled_error`) cannot pass
 * unnoticed. `assertRefused` holds a refusal to the contract: a 4xx JSON `{error:{code,message}}`
 * (or the Lead Provider API's JSON:API `errors`) with an expected code, and nothing in it that belongs elsewhere. `assertUnchanged` proves a
 * request changed none of the rows of the test's own world.
 */
import assert from 'node:assert/strict'
import type postgres from 'postgres'
import { connect, stack } from './_stack.ts'
import type { ProviderWorld, Reported } from './provider_world.ts'
import { forgedAccessTokens, type ForgedToken } from './_hostile_inputs.ts'

export type Answer = { status: number; text: string; body: unknown; headers: Headers }

export type HostileRequest = {
  method?: string
  /** After `/functions/v1`, e.g. `/challenge/status`. */
  path: string
  /** A user's access token or a key, sent as `Authorization: Bearer`. */
  bearer?: string
  /** A value is sent as JSON; text and bytes are sent as they are. */
  json?: unknown
  /** A stream goes chunked, with no content-length for a size limit to read. */
  raw?: string | Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>
  /** Defaults to `application/json` when there is a body. */
  contentType?: string
  headers?: Record<string, string>
}

export async function send(request: HostileRequest): Promise<Answer> {
  const headers = new Headers({ apikey: stack.publishableKey, ...request.headers })
  if (request.bearer !== undefined) headers.set('authorization', `Bearer ${request.bearer}`)
  const body = request.json === undefined ? request.raw : JSON.stringify(request.json)
  if (body !== undefined) headers.set('content-type', request.contentType ?? 'application/json')
  const method = request.method ?? (body === undefined ? 'GET' : 'POST')
  const response = await fetch(`${stack.apiUrl}/functions/v1${request.path}`, {
    method,
    headers,
    body,
  })
  return await readAnswer(response, `${method} ${request.path}`)
}

/** Reads a function's response, failing the test on a 5xx. */
export async function readAnswer(response: Response, what: string): Promise<Answer> {
  const text = await response.text()
  let parsed: unknown
  try {
    parsed = text === '' ? undefined : JSON.parse(text)
  } catch {
    parsed = undefined
  }
  const answer = { status: response.status, text, body: parsed, headers: response.headers }
  assert.ok(answer.status < 500, `${what} answered ${describe(answer)}`)
  return answer
}

/** What gives away the inside of the service: stack traces, SQL, driver and engine errors. */
const leaks = [
  /\n\s+at\s/,
  /file:\/\//,
  /node_modules/,
  /\b(Type|Range|Reference|Syntax)Error\b/,
  /PostgresError/,
  /syntax error at or near/i,
  /invalid input syntax/i,
  /violates .* constraint/i,
  /relation "/i,
  /sqlstate/i,
  /\b(select|insert|update|delete)\b[^"]*\b(from|into|set)\b/i,
]

export type Refusal = {
  /** The codes this refusal may carry; the status must be a 4xx in any case. */
  codes: readonly string[]
  /** Text that must not appear anywhere in the answer: another provider's names, tokens. */
  secrets?: readonly string[]
}

export function assertRefused(answer: Answer, { codes, secrets = [] }: Refusal): void {
  const what = describe(answer)
  assert.ok(answer.status >= 400 && answer.status < 500, `not a 4xx: ${what}`)
  assert.match(answer.headers.get('content-type') ?? '', /^application\/(vnd\.api\+)?json/, what)
  const error = errorOf(answer.body)
  assert.ok(error, `no error object: ${what}`)
  assert.ok(
    typeof error.code === 'string' && codes.includes(error.code),
    `code not one of ${codes.join(', ')}: ${what}`,
  )
  assert.ok(typeof error.message === 'string' && error.message.length > 0, `no message: ${what}`)
  for (const leak of leaks) assert.doesNotMatch(answer.text, leak, what)
  assertNoSecrets(answer, secrets)
}

/**
 * The error in an answer: ours `{error:{code,message}}`, or the Lead Provider API's JSON:API
 * `{errors:[{code,detail}]}` (its first error).
 */
function errorOf(body: unknown): { code?: unknown; message?: unknown } | undefined {
  const { error, errors } = (body ?? {}) as {
    error?: { code?: unknown; message?: unknown }
    errors?: { code?: unknown; detail?: unknown }[]
  }
  const first = Array.isArray(errors) ? errors[0] : undefined
  return error ?? (first && { code: first.code, message: first.detail })
}

/** For answers that may echo what was sent (a search), so only named secrets are looked for. */
export function assertNoSecrets(answer: Answer, secrets: readonly string[]): void {
  for (const secret of secrets) {
    assert.ok(!answer.text.includes(secret), `gives away "${secret}": ${describe(answer)}`)
  }
}

function describe(answer: Answer): string {
  return `${answer.status} ${answer.text.slice(0, 300)}`
}

/** The rows a test's world owns, by partnership, school or lead provider. */
export type Scope = {
  partnershipIds?: string[]
  schoolIds?: string[]
  leadProviderIds?: string[]
}

/**
 * Every row a request could change in the scope: the partnerships (and the schools they name),
 * their events, their emails and their link tokens, as JSON text to compare.
 */
export async function snapshot(sql: postgres.Sql, scope: Scope): Promise<unknown> {
  const ids = {
    partnerships: uuidArray(scope.partnershipIds),
    schools: uuidArray(scope.schoolIds),
    leadProviders: uuidArray(scope.leadProviderIds),
  }
  const [row] = await sql`
    with p as (
      select * from public.partnerships
      where partnership_id = any(${ids.partnerships}::uuid[])
        or school_id = any(${ids.schools}::uuid[])
        or lead_provider_id = any(${ids.leadProviders}::uuid[])
    )
    select
      (select json_agg(p order by p.partnership_id) from p) as partnerships,
      (select json_agg(s order by s.school_id) from public.schools s
        where s.school_id in (select school_id from p)
          or s.school_id = any(${ids.schools}::uuid[])) as schools,
      (select json_agg(e order by e.event_id) from public.partnership_events e
        where e.partnership_id in (select partnership_id from p)) as events,
      (select json_agg(n order by n.notification_id) from public.notifications n
        where n.partnership_id in (select partnership_id from p)) as notifications,
      (select json_agg(json_build_object('hash', encode(t.token_hash, 'hex'),
          'partnership_id', t.partnership_id, 'notification_id', t.notification_id)
          order by t.token_hash) from public.link_tokens t
        where t.partnership_id in (select partnership_id from p)) as link_tokens`
  return row
}

/**
 * A uuid[] literal. The driver sends an empty JavaScript array as '' on a connection that has
 * not yet loaded array types, which Postgres refuses, so the literal is written here.
 */
function uuidArray(ids: string[] = []): string {
  return `{${ids.join(',')}}`
}

/** Runs `fn` and proves the rows in `scope` are exactly as they were. */
export async function assertUnchanged<T>(
  sql: postgres.Sql,
  scope: Scope,
  fn: () => Promise<T>,
): Promise<T> {
  const before = await snapshot(sql, scope)
  const result = await fn()
  assert.deepEqual(await snapshot(sql, scope), before, 'a refused request changed the database')
  return result
}

/**
 * A test body given a `reportedOnce` world (tests/provider_world.ts), run with proof that its
 * rows, lead providers A's and B's and the reported schools', did not change.
 */
export function withUnchangedWorld<W extends ProviderWorld & Reported>(
  world: () => Promise<W>,
  fn: (w: W) => Promise<void>,
): () => Promise<void> {
  return async () => {
    const w = await world()
    const sql = connect()
    try {
      const scope = {
        leadProviderIds: [w.a.id, w.b.id],
        schoolIds: w.reported.map((school) => school.id),
      }
      await assertUnchanged(sql, scope, () => fn(w))
    } finally {
      await sql.end()
    }
  }
}

/**
 * Runs `fn` (which calls a function's app in this process) and proves the function logged no
 * error: `onError` logs every unexpected error, so this is "no 500 in the logs" first-hand.
 */
export async function assertNoErrorLogged<T>(fn: () => Promise<T>): Promise<T> {
  const logged: unknown[][] = []
  const consoleError = console.error
  console.error = (...args: unknown[]) => logged.push(args)
  try {
    return await fn()
  } finally {
    console.error = consoleError
    assert.deepEqual(logged, [], 'a function logged an error')
  }
}

/**
 * forgedAccessTokens() made against the running stack: its issuer, its JWKS's key id and its
 * publishable key, the public facts an attacker has.
 */
export async function forgedStackTokens(
  genuine: string,
  otherUserId: string,
): Promise<ForgedToken[]> {
  const { keys } = await (await fetch(`${stack.apiUrl}/auth/v1/.well-known/jwks.json`)).json()
  return await forgedAccessTokens({
    genuine,
    issuer: `${stack.apiUrl}/auth/v1`,
    kid: keys[0].kid,
    publishableKey: stack.publishableKey,
    otherUserId,
  })
}
