/**
 * Handler tests: a function's app built by its factory with a literal configuration and a
 * database bound to one transaction, which is rolled back when the test ends, whatever happened;
 * requests go through `app.request()`, with no gateway, Auth or Notify in between. The
 * transaction is on the database of the stack `deno task test` starts (tests/_stack.ts), the only
 * part of it these tests use: each test builds its own small world inside the transaction
 * (supabase/tests/_db.ts), so nothing it does is ever seen by another test.
 */
import { literalConfig } from '../supabase/functions/_shared/config.ts'
import { type Database, transactionDatabase } from '../supabase/functions/_shared/db.ts'
import { testAuthUser, testTokenIssuer } from '../local/auth/_test_user.ts'
import { connect, rolledBack, type Tx } from '../supabase/tests/_db.ts'

/** The project and site of the literal configuration; nothing listens at either. */
export const supabaseUrl = 'https://project.example.test'
export const webOrigin = 'https://site.example.test'

const issuer = await testTokenIssuer(supabaseUrl)

/** Every part a function reads that needs no outside service, as literal values. */
export const testConfig = literalConfig({
  supabaseUrl,
  webOrigin,
  jwks: issuer.jwks,
  secretKeys: [`sb_secret_${crypto.randomUUID()}`],
  supportEmail: 'support@example.test',
  notifyCallbackToken: `callback-${crypto.randomUUID()}`,
})

/** An access token for the user `userId` (of the test's world), signed as sign-in signs one. */
export function accessToken(userId: string, email = 'someone@example.test'): Promise<string> {
  return issuer.accessToken({ ...testAuthUser(email), id: userId })
}

/** `Authorization: Bearer <token>` headers, with a JSON content type when there is a body. */
export function bearer(token: string, body?: unknown): RequestInit {
  return body === undefined ? { headers: { authorization: `Bearer ${token}` } } : {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }
}

/** A POST of `body` as JSON. */
export function postJson(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  }
}

/**
 * A Deno test given a transaction (`tx`, as the database's owner, for building the world and
 * looking at the result) and `database`, the same transaction as the app's data access.
 */
export function handlerTest(
  name: string,
  fn: (context: { tx: Tx; database: Database }) => Promise<void>,
): void {
  Deno.test(name, async () => {
    const sql = connect(1, 'handler tests')
    try {
      await rolledBack(sql, (tx) => fn({ tx, database: transactionDatabase(tx) }))
    } finally {
      await sql.end()
    }
  })
}
