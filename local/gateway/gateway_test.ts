/**
 * The gateway's `extraApps`, which benchmarks use to add a floor route: served under
 * `/functions/v1/<name>` with the path a function sees, beside (never instead of) the functions.
 * And methods a `Request` cannot carry, which the gateway refuses with a 4xx as hosted does.
 */
import assert from 'node:assert/strict'
import { startGateway } from './gateway.ts'

/**
 * A gateway with no functions but one extra app under `name`, which records each request it
 * gets; `close()` stops it and removes its empty functions folder.
 */
async function gatewayWithApp(name: string) {
  const functionsDir = await Deno.makeTempDir({ prefix: 'gateway-test-' })
  const requests: Request[] = []
  const gateway = await startGateway({
    port: 0,
    functionsDir,
    functionEnv: {},
    auth: { fetch: () => new Response(null, { status: 501 }) },
    extraApps: {
      [name]: () => ({
        fetch: (request) => {
          requests.push(request)
          return Response.json({ ok: true })
        },
      }),
    },
  })
  const close = async () => {
    await gateway.stop()
    await Deno.remove(functionsDir)
  }
  return { gateway, requests, close }
}

Deno.test('startGateway() serves an extra app under /functions/v1/<name> with its own path', async () => {
  const { gateway, requests, close } = await gatewayWithApp('floor')
  try {
    const response = await fetch(`${gateway.url}/functions/v1/floor/`, { method: 'POST' })
    assert.equal(response.status, 200)
    assert.deepEqual(await response.json(), { ok: true })
    assert.deepEqual(requests.map(({ url }) => new URL(url).pathname), ['/floor/'])
    assert.deepEqual(gateway.functions, ['floor'])

    const other = await fetch(`${gateway.url}/functions/v1/challenge/status`, { method: 'POST' })
    assert.equal(other.status, 404)
    await other.body?.cancel()
  } finally {
    await close()
  }
})

/** Sends `method` over a raw connection: fetch() itself refuses TRACE and TRACK. */
async function rawRequest(url: string, method: string, path: string): Promise<string> {
  const { hostname, port } = new URL(url)
  const connection = await Deno.connect({ hostname, port: Number(port) })
  try {
    await connection.write(
      new TextEncoder().encode(
        `${method} ${path} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`,
      ),
    )
    let text = ''
    const decoder = new TextDecoder()
    for await (const chunk of connection.readable) text += decoder.decode(chunk, { stream: true })
    return text
  } catch (error) {
    connection.close()
    throw error
  }
}

Deno.test('startGateway() answers TRACE and TRACK on a function path with 405, never 500', async () => {
  const { gateway, requests, close } = await gatewayWithApp('echo')
  try {
    for (const method of ['TRACE', 'TRACK', 'track']) {
      for (const path of ['/functions/v1/echo', '/functions/v1/echo/any/path?x=1']) {
        const answer = await rawRequest(gateway.url, method, path)
        assert.match(answer, /^HTTP\/1\.1 405 /, `${method} ${path}`)
        assert.match(answer, /"code":"METHOD_NOT_ALLOWED"/)
      }
    }
    assert.deepEqual(requests, [], 'the function never sees a forbidden method')
    assert.match(await rawRequest(gateway.url, 'GET', '/functions/v1/echo'), /^HTTP\/1\.1 200 /)
  } finally {
    await close()
  }
})
