/**
 * Benchmark: what it costs to open the report page from the email link, cold (empty cache, as a
 * school's first visit) and warm (the same browser reloading it). Starts a whole local stack of
 * its own on free ports with a temporary data folder, makes one open link, and loads the page in
 * real Chromium until the form is showing. Prints requests and bytes, by kind, as sent by the
 * local static server (uncompressed) and as gzip would send them, and the warm load's share of
 * the cold one (the cold load is the floor a first visit pays). Never passes or fails.
 *
 *   npx -y deno@2.9.6 run -A bench/report_page_weight.ts
 */
import { gzipSync } from 'node:zlib'
import postgres from 'postgres'
import { startBenchStack } from './_stack.ts'
import { ratio } from './_stats.ts'

const stack = await startBenchStack('report-page-weight')
const { createSchoolLink } = await import('../tests/_challenge_world.ts')
const { withBrowser } = await import('../tests/_browser.ts')

type Load = { requests: number; bytes: number; gzipBytes: number; byKind: Map<string, number[]> }

try {
  const sql = postgres(stack.urls.db, { max: 1, onnotice: () => {} })
  const link = await createSchoolLink(sql)
  await sql.end()
  const url = `${stack.urls.web}/report-a-mistake#${link.token}`

  await withBrowser(async (browser) => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const cdp = await context.newCDPSession(page)
    await cdp.send('Network.enable')

    let load: Load
    const kinds = new Map<string, string>()
    cdp.on('Network.requestWillBeSent', (event) => {
      load.requests++
      kinds.set(
        event.requestId,
        event.request.method === 'OPTIONS' ? 'Preflight' : event.type ?? 'Other',
      )
    })
    const bodies: Promise<void>[] = []
    cdp.on('Network.loadingFinished', (event) => {
      const kind = kinds.get(event.requestId) ?? 'Other'
      const tally = load.byKind.get(kind) ?? [0, 0]
      load.byKind.set(kind, [tally[0]! + 1, tally[1]! + event.encodedDataLength])
      load.bytes += event.encodedDataLength
      // Served from the cache: nothing went over the wire to compress.
      if (event.encodedDataLength === 0) return
      bodies.push(
        cdp.send('Network.getResponseBody', { requestId: event.requestId }).then(
          ({ body, base64Encoded }) => {
            const bytes = base64Encoded
              ? Uint8Array.from(atob(body), (c) => c.charCodeAt(0))
              : new TextEncoder().encode(body)
            load.gzipBytes += bytes.length > 0 ? gzipSync(bytes).length : 0
          },
          () => {}, // A preflight has no body.
        ),
      )
    })

    async function measure(name: string, go: () => Promise<unknown>): Promise<Load> {
      load = { requests: 0, bytes: 0, gzipBytes: 0, byKind: new Map() }
      bodies.length = 0
      await go()
      await page.getByRole('button', { name: 'Submit' }).waitFor()
      await page.waitForLoadState('networkidle')
      await Promise.all(bodies)
      console.log(
        `${name}: ${load.requests} requests, ${kb(load.bytes)} transferred ` +
          `(about ${kb(load.gzipBytes)} with gzip)`,
      )
      for (const [kind, [count, bytes]] of [...load.byKind].sort((a, b) => b[1][1]! - a[1][1]!)) {
        console.log(
          `  ${kind.padEnd(10)} ${String(count).padStart(3)} requests ${kb(bytes!).padStart(10)}`,
        )
      }
      return load
    }

    const cold = await measure('cold (empty cache)', () => page.goto(url))
    const warm = await measure('warm (reload)', () => page.reload())
    console.log(
      `warm / cold: requests ${ratio(warm.requests, cold.requests)}, ` +
        `bytes ${ratio(warm.bytes, cold.bytes)}`,
    )
    await context.close()
  })
} finally {
  await stack.stop()
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`
}
