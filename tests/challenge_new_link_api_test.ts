/**
 * POST /challenge/new-link over real HTTP through the gateway: bad bodies are 4xx with a code and
 * record nothing; the per-client limit counts each address in x-forwarded-for on its own, and the
 * per-URN limit holds whatever address the caller claims.
 */
import assert from 'node:assert/strict'
import { connect, stack } from './_stack.ts'

async function ask(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${stack.apiUrl}/functions/v1/challenge/new-link`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', apikey: stack.publishableKey, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  const json = await response.json() as { status?: string; error?: { code: string } }
  return { status: response.status, code: json.error?.code ?? json.status }
}

Deno.test('POST /challenge/new-link refuses bad bodies with a 4xx code and records nothing', async () => {
  const sql = connect()
  try {
    await sql`delete from app.new_link_requests`
    assert.deepEqual(await ask({}), { status: 400, code: 'invalid_request' })
    assert.deepEqual(await ask({ urn: 123456 }), { status: 400, code: 'invalid_request' })
    assert.deepEqual(await ask({ urn: '1'.repeat(51) }), { status: 400, code: 'invalid_request' })
    assert.deepEqual(await ask('{"urn":'), { status: 400, code: 'malformed_json' })
    const [row] = await sql<{ count: number }[]>`
      select count(*)::int as count from app.new_link_requests`
    assert.equal(row!.count, 0)
  } finally {
    await sql.end()
  }
})

Deno.test('POST /challenge/new-link limits each client address and each URN on its own', async () => {
  const sql = connect()
  try {
    await sql`delete from app.new_link_requests`
    const first = { 'x-forwarded-for': '203.0.113.7, 10.0.0.1' }
    const second = { 'x-forwarded-for': '198.51.100.9' }
    for (let i = 0; i < 10; i++) {
      assert.deepEqual(await ask({ urn: String(80_000_000 + i) }, first), {
        status: 200,
        code: 'accepted',
      })
    }
    assert.deepEqual(await ask({ urn: '80000099' }, first), { status: 429, code: 'client_limit' })
    assert.deepEqual(await ask({ urn: '80000099' }, second), { status: 200, code: 'accepted' })

    // Three for one URN, from three made-up addresses: the fourth is refused all the same.
    for (const address of ['192.0.2.1', '192.0.2.2']) {
      assert.equal((await ask({ urn: '80000099' }, { 'x-forwarded-for': address })).status, 200)
    }
    assert.deepEqual(await ask({ urn: ' 80000099 ' }, { 'x-forwarded-for': '192.0.2.3' }), {
      status: 429,
      code: 'urn_limit',
    })
    const hashes = await sql<{ hash: string }[]>`
      select distinct encode(client_hash, 'hex') as hash from app.new_link_requests`
    // Stored as hashes only: no address appears in the table.
    assert.ok(hashes.every((row) => /^[0-9a-f]{64}$/.test(row.hash)))
  } finally {
    await sql.end()
  }
})
