/**
 * Benchmark: what it costs to open the report page from the email link, and the two portals' entry
 * pages (`/provider`, `/support`), cold (empty cache, as a first visit) and warm (the same browser
 * again: the report page reloaded, a portal opened anew). Starts a whole local stack of its own on
 * free ports with a temporary data folder, makes one open link, and loads each page in real
 * Chromium until it is ready to use (the report form; a portal's sign-in form, where a first visit
 * lands). Prints requests and bytes, by kind, as sent by the local static server (uncompressed,
 * headers included) and as they would be with each body gzipped, CORS preflights counted apart
 * and requests the browser's cache answered left out (and counted apart), and the
 * report page's figures as ratios to issue 16's limits (cold: 6 requests, 100 KB; warm: 3
 * requests, 5 KB; 1 KB = 1,024 bytes). Never passes or fails.
 *
 *   npx -y deno@2.9.6 run -A bench/report_page_weight.ts
 */
import { gzipSync } from 'node:zlib'
import postgres from 'postgres'
import { startBenchStack } from './_stack.ts'
import { ratio } from './_stats.ts'
import type { BrowserContext, Page } from '../tests/_browser.ts'

const stack = await startBenchStack('report-page-weight')
const { createSchoolLink } = await import('../tests/_challenge_world.ts')
const { withBrowser } = await import('../tests/_browser.ts')

type Load = {
  /** Requests that went over the network; `fromCache` were answered by the browser's cache. */
  requests: number
  fromCache: number
  preflights: number
  bytes: number
  gzipBytes: number
  byKind: Map<string, number[]>
}

/** A page to weigh: how to open it cold and warm, and when it is ready to use. */
type Target = {
  name: string
  url: string
  ready(page: Page): Promise<unknown>
  warm(page: Page, url: string): Promise<unknown>
}

const limits = { cold: { requests: 6, kb: 100 }, warm: { requests: 3, kb: 5 } }

try {
  const sql = postgres(stack.urls.db, { max: 1, onnotice: () => {} })
  const link = await createSchoolLink(sql)
  await sql.end()
  const signInReady = (page: Page) => page.getByLabel('Email address').waitFor()
  const targets: Target[] = [
    {
      name: 'report page',
      url: `${stack.urls.web}/report-a-mistake#${link.token}`,
      ready: (page) => page.getByRole('button', { name: 'Submit' }).waitFor(),
      warm: (page) => page.reload(),
    },
    ...['provider', 'support'].map((portal) => ({
      name: `/${portal} (signed out: lands on its sign-in page)`,
      url: `${stack.urls.web}/${portal}`,
      ready: signInReady,
      warm: (page: Page, url: string) => page.goto(url),
    })),
  ]

  await withBrowser(async (browser) => {
    for (const target of targets) {
      const context = await browser.newContext()
      const { cold, warm } = await weigh(context, target)
      if (target.name === 'report page') {
        console.log(
          `report page against the limits: cold requests ${
            ratio(cold.requests, limits.cold.requests)
          }, cold bytes ${ratio(cold.bytes / 1024, limits.cold.kb)}; warm requests ${
            ratio(warm.requests, limits.warm.requests)
          }, warm bytes ${ratio(warm.bytes / 1024, limits.warm.kb)} (1 or less is within)`,
        )
      }
      await context.close()
    }
  })
} finally {
  await stack.stop()
}

async function weigh(context: BrowserContext, target: Target) {
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')

  let load: Load
  const kinds = new Map<string, string>()
  cdp.on('Network.requestServedFromCache', () => {
    load.requests--
    load.fromCache++
  })
  cdp.on('Network.requestWillBeSent', (event) => {
    load.requests++
    const preflight = event.request.method === 'OPTIONS'
    if (preflight) load.preflights++
    kinds.set(event.requestId, preflight ? 'Preflight' : event.type ?? 'Other')
  })
  const notModified = new Set<string>()
  // The status as it came over the wire (for a revalidated copy Chromium reports the cached 200
  // everywhere else).
  cdp.on('Network.responseReceivedExtraInfo', (event) => {
    if (event.statusCode === 304) notModified.add(event.requestId)
  })
  const bodies: Promise<void>[] = []
  cdp.on('Network.loadingFinished', (event) => {
    // Served from the cache: nothing went over the wire.
    if (event.encodedDataLength === 0) return
    const sent = event.encodedDataLength
    const kind = kinds.get(event.requestId) ?? 'Other'
    const tally = load.byKind.get(kind) ?? [0, 0]
    load.byKind.set(kind, [tally[0]! + 1, tally[1]! + sent])
    load.bytes += sent
    // A 304 has no body (Chromium would hand back the cached one); a preflight neither.
    if (notModified.has(event.requestId) || kinds.get(event.requestId) === 'Preflight') {
      load.gzipBytes += sent
      return
    }
    bodies.push(
      cdp.send('Network.getResponseBody', { requestId: event.requestId }).then(
        ({ body, base64Encoded }) => {
          const bytes = base64Encoded
            ? Uint8Array.from(atob(body), (c) => c.charCodeAt(0))
            : new TextEncoder().encode(body)
          // The headers as sent, and the body as gzip would make it.
          const gzipped = bytes.length > 0 ? gzipSync(bytes).length : 0
          load.gzipBytes += sent - bytes.length + gzipped
        },
        () => {
          load.gzipBytes += sent
        },
      ),
    )
  })

  async function measure(name: string, go: () => Promise<unknown>): Promise<Load> {
    load = { requests: 0, fromCache: 0, preflights: 0, bytes: 0, gzipBytes: 0, byKind: new Map() }
    bodies.length = 0
    await go()
    await target.ready(page)
    await page.waitForLoadState('networkidle')
    await Promise.all(bodies)
    console.log(
      `${target.name}, ${name}: ${load.requests} requests (${load.preflights} CORS preflights; ` +
        `${load.fromCache} more answered by the browser's cache), ` +
        `${kb(load.bytes)} transferred (about ${kb(load.gzipBytes)} with gzip)`,
    )
    for (const [kind, [count, bytes]] of [...load.byKind].sort((a, b) => b[1][1]! - a[1][1]!)) {
      console.log(
        `  ${kind.padEnd(10)} ${String(count).padStart(3)} requests ${kb(bytes!).padStart(10)}`,
      )
    }
    return load
  }

  const cold = await measure('cold (empty cache)', () => page.goto(target.url))
  const warm = await measure('warm', () => target.warm(page, target.url))
  console.log(
    `${target.name}, warm / cold: requests ${ratio(warm.requests, cold.requests)}, ` +
      `bytes ${ratio(warm.bytes, cold.bytes)}`,
  )
  return { cold, warm }
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`
}
