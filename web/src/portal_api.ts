/// <reference lib="dom" />
/**
 * A portal's calls to its edge function, with the signed-in person's access token. A 401 saying
 * the session ended sends them to sign in; other refusals, including a 401 that signing in again
 * cannot cure (the project's signing keys, say), become `ApiError`s carrying the function's error
 * code and message, so the page shows a problem instead of sending them round the sign-in page.
 * On a preview page the answers come from its fixture (`portal_preview.ts`) instead.
 */
import { appConfig, type PortalSession } from './portal_session.ts'
import { previewFixture, previewResponse } from './portal_preview.ts'
import { saveFile } from './save_file.ts'
import { serviceProblem } from './portal_words.ts'

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message)
  }
}

/** The codes of a 401 that signing in again cures: no session, or one that has ended. */
const signInAgainCodes = new Set(['unauthorised', 'session_expired'])

/** Whether an answer means the person should sign in (again), rather than see a problem. */
export function needsSignIn(status: number, code: string | undefined): boolean {
  return status === 401 && (code === undefined || signInAgainCodes.has(code))
}

/** Long enough for a 10,000-school report on a slow connection. */
const timeoutMs = 120_000

export function portalApi(functionName: 'provider' | 'support', session: PortalSession) {
  async function request(path: string, body?: unknown): Promise<Response> {
    const preview = previewFixture()
    const response = preview ? previewResponse(preview, path) : await call(path, body)
    if (!response.ok) {
      const answer = await response.json().catch(() => ({}))
      const error = (answer as { error?: { code?: string; message?: string } }).error
      if (needsSignIn(response.status, error?.code)) return session.sendToSignIn()
      throw new ApiError(
        response.status,
        error?.code ?? 'unknown',
        error?.message ?? serviceProblem,
      )
    }
    return response
  }

  async function call(path: string, body?: unknown): Promise<Response> {
    const { apiUrl, publishableKey } = appConfig()
    return await fetch(`${apiUrl}/functions/v1/${functionName}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        apikey: publishableKey,
        authorization: `Bearer ${await session.accessToken()}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      // The functions' answers are `no-store` already. Asking the same of the browser here would
      // also make Chromium skip its cache of CORS preflights (kept 600 s), so every call would
      // send one first.
      signal: AbortSignal.timeout(timeoutMs),
    })
  }

  return {
    async getJson<T>(path: string): Promise<T> {
      return await (await request(path)).json() as T
    },

    async postJson<T>(path: string, body: unknown): Promise<T> {
      return await (await request(path, body)).json() as T
    },

    /**
     * Fetches a file with the person's token (POSTing `body`, if given) and hands it to the
     * browser as a download.
     */
    async download(path: string, filename: string, body?: unknown): Promise<void> {
      saveFile(await (await request(path, body)).blob(), filename)
    },
  }
}
