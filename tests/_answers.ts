/** Assertions on the functions' JSON answers, shared by the end-to-end tests. */
import assert from 'node:assert/strict'

/**
 * Asserts that `answer` is the error `{ error: { code } }` with HTTP `status`; a failure shows
 * `context` (what was sent, say) and the start of the body.
 */
export function assertError(
  answer: { status: number; body: unknown; text?: string },
  status: number,
  code: string,
  context?: string,
): void {
  const body = (answer.text ?? JSON.stringify(answer.body)).slice(0, 500)
  const shown = context === undefined ? body : `${context}: ${body}`
  assert.equal(answer.status, status, shown)
  assert.equal((answer.body as { error?: { code?: string } }).error?.code, code, shown)
}
