/** Shared by the double's tests: fixtures, a started double, a receipt catcher, a signed JWT. */
import assert from 'node:assert/strict'
import { Buffer } from 'node:buffer'
import { createHmac } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { NotifyClient } from 'notifications-node-client'
import { parseApiKey } from './api_keys.ts'
import { generateApiKey, type NotifyDoubleOptions, startNotifyDouble } from './server.ts'

export const testTemplatesDir = fileURLToPath(new URL('./testdata/', import.meta.url))

export const templates = {
  partnershipCheck: '0b9d6f8e-8d0a-4f6c-a1c4-3f1e2d5b7a90',
  signInCode: '5c2a7e41-9f3b-4d8e-b6a0-1e4f7c9d2b35',
}

export const fullPersonalisation = {
  school_name: 'Oak Hill Primary',
  lead_provider: 'Best Practice Network',
  report_link: 'https://report.example.gov.uk/report-a-mistake#token',
  show_help: 'yes',
  reasons: ['We have not confirmed an agreement', 'This looks like a mistake'],
}

export type TestDouble = { url: string; apiKey: string; client: NotifyClient }

/** Starts a double on a free port with a fresh API key (and any others given), runs the test, and always stops it. */
export async function withDouble(
  options: Partial<NotifyDoubleOptions>,
  test: (double: TestDouble) => Promise<void>,
): Promise<void> {
  const apiKey = generateApiKey('test')
  const double = await startNotifyDouble({
    port: 0,
    templatesDirs: [testTemplatesDir],
    ...options,
    apiKeys: [apiKey, ...options.apiKeys ?? []],
  })
  try {
    await test({ url: double.url, apiKey, client: new NotifyClient(double.url, apiKey) })
  } finally {
    await double.stop()
  }
}

/** The body and status of a failed call made with notifications-node-client (axios). */
export async function notifyFailure(
  call: Promise<unknown>,
): Promise<{ status: number; data: unknown }> {
  try {
    await call
  } catch (error) {
    const response = (error as { response?: { status: number; data: unknown } }).response
    if (response) return response
    throw error
  }
  throw new Error('expected the call to fail')
}

/**
 * Asserts that a call made with notifications-node-client failed as Notify fails: with `status`,
 * and Notify's body naming this one error. `context` names the case in a failure message.
 */
export async function assertNotifyRefused(
  call: Promise<unknown>,
  { status, error, message }: { status: number; error: string; message: string },
  context?: string,
): Promise<void> {
  const failure = await notifyFailure(call)
  assert.equal(failure.status, status, context)
  assert.deepEqual(failure.data, notifyErrorBody(status, error, message), context)
}

/** Notify's body for a refusal naming one error. */
export function notifyErrorBody(status: number, error: string, message: string) {
  return { status_code: status, errors: [{ error, message }] }
}

/** Asserts that a raw HTTP response is Notify's refusal with `status`, naming this one error. */
export async function assertNotifyErrorResponse(
  response: Response,
  { status, error, message }: { status: number; error: string; message: string },
): Promise<void> {
  assert.equal(response.status, status)
  assert.deepEqual(await response.json(), notifyErrorBody(status, error, message))
}

export type Receipt = { authorization: string | null; body: Record<string, unknown> }

/** An HTTP server standing in for the service's callback endpoint. */
export function startReceiptServer(answer: (attempt: number) => number = () => 200) {
  const receipts: Receipt[] = []
  let attempts = 0
  const server = Deno.serve({ port: 0, hostname: '127.0.0.1', onListen() {} }, async (request) => {
    receipts.push({
      authorization: request.headers.get('authorization'),
      body: await request.json(),
    })
    return new Response(null, { status: answer(++attempts) })
  })
  return {
    url: `http://127.0.0.1:${server.addr.port}/callback`,
    receipts,
    stop: () => server.shutdown(),
  }
}

export type ReceiptServer = ReturnType<typeof startReceiptServer>

/** Runs `test` with a receipt server (startReceiptServer()), always stopping it after. */
export async function withReceiptServer(
  test: (callback: ReceiptServer) => Promise<void>,
  answer?: (attempt: number) => number,
): Promise<void> {
  const callback = startReceiptServer(answer)
  try {
    await test(callback)
  } finally {
    await callback.stop()
  }
}

/** Polls until the check passes; gives up after a generous wait so a broken test still ends. */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
): Promise<T> {
  const giveUpAt = Date.now() + 10_000
  for (;;) {
    const result = await check()
    if (result !== undefined) return result
    if (Date.now() > giveUpAt) throw new Error('gave up waiting')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** A Notify JWT signed by hand, for cases the real client will not produce. */
export function signToken(
  apiKey: string,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = { typ: 'JWT', alg: 'HS256' },
): string {
  const { secret } = parseApiKey(apiKey)
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const unsigned = `${encode(header)}.${encode(claims)}`
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`
}

export function serviceId(apiKey: string): string {
  return parseApiKey(apiKey).serviceId
}
