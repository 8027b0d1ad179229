/**
 * The gateway's `extraApps`, which benchmarks use to add a floor route: served under
 * `/functions/v1/<name>` with the path a function sees, beside (never instead of) the functions.
 */
import assert from 'node:assert/strict'
import { startGateway } from './gateway.ts'

Deno.test('startGateway() serves an extra app under /functions/v1/<name> with its own path', async () => {
  const functionsDir = await Deno.makeTempDir({ prefix: 'gateway-test-' })
  const paths: string[] = []
  const gateway = await startGateway({
    port: 0,
    functionsDir,
    auth: { fetch: () => new Response(null, { status: 501 }) },
    extraApps: {
      floor: {
        fetch: (request) => {
          paths.push(new URL(request.url).pathname)
          return Response.json({ ok: true })
        },
      },
    },
  })
  try {
    const response = await fetch(`${gateway.url}/functions/v1/floor/`, { method: 'POST' })
    assert.equal(response.status, 200)
    assert.deepEqual(await response.json(), { ok: true })
    assert.deepEqual(paths, ['/floor/'])
    assert.deepEqual(gateway.functions, ['floor'])

    const other = await fetch(`${gateway.url}/functions/v1/challenge/status`, { method: 'POST' })
    assert.equal(other.status, 404)
    await other.body?.cancel()
  } finally {
    await gateway.stop()
    await Deno.remove(functionsDir)
  }
})
