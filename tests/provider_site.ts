/**
 * The lead provider portal's pages for browser tests. Until `web/build.ts` builds the portal
 * (see web/provider_build.ts), the stack's static site does not have them; then this renders
 * them as the build would (the site's renderer, stylesheet and content security policy, the
 * portal script bundled for the browser) and serves them at the site's own origin through
 * Playwright's request routing, so the pages call the API exactly as they will when built.
 */
import { join } from 'node:path'
import chromium from '@sparticuz/chromium'
import { chromium as playwright } from 'playwright-core'
import { type Browser, type BrowserContext, withBrowser } from './_browser.ts'
import { stack } from './_stack.ts'
import { providerScriptEntry, renderProviderPages } from '../web/provider_build.ts'
import { contentSecurityPolicy, inlineScriptHashes } from '../web/src/csp.ts'
import { createRenderer } from '../web/src/render.ts'
import { serviceName } from '../web/src/site.ts'

const supportEmail = 'continuing-professional-development@digital.education.gov.uk'
const scriptName = 'provider-test.js'

type Site = Map<string, { body: string; contentType: string }>

let built: Promise<Site | undefined> | undefined

/**
 * A browser for the portal tests: `withBrowser`'s own once the static site has the portal. Until
 * then Chromium must also be told to let routed pages call the API on 127.0.0.1: a page Playwright
 * fulfils has no address of its own, so Chrome's Local Network Access checks count it as public
 * and refuse its requests to the loopback address, which a page the real site served would make.
 */
export async function withPortalBrowser<T>(fn: (browser: Browser) => Promise<T>): Promise<T> {
  if (!(await (built ??= buildPortal()))) return await withBrowser(fn)
  const browser = await playwright.launch({
    executablePath: Deno.env.get('CHROME_PATH') || await chromium.executablePath(),
    args: [
      ...chromium.args.filter((flag) => !/^--(disable-web-security|single-process)\b/.test(flag)),
      '--disable-features=LocalNetworkAccessChecks',
    ],
    headless: true,
  })
  try {
    return await fn(browser)
  } finally {
    await browser.close()
  }
}

/** Serves the portal's pages in `context` unless the static site already has them. */
export async function servePortal(context: BrowserContext): Promise<void> {
  const site = await (built ??= buildPortal())
  if (!site) return
  await context.route(`${stack.webUrl}/**`, async (route) => {
    const { pathname } = new URL(route.request().url())
    const file = site.get(pathname)
    if (file) await route.fulfill({ status: 200, contentType: file.contentType, body: file.body })
    else await route.fallback()
  })
}

async function buildPortal(): Promise<Site | undefined> {
  const probe = await fetch(`${stack.webUrl}/provider/sign-in`)
  await probe.body?.cancel()
  if (probe.ok) return undefined

  const home = await (await fetch(stack.webUrl)).text()
  const stylesheet = home.match(/href="\/assets\/(app-[0-9a-f]+\.css)"/)?.[1]
  if (!stylesheet) throw new Error('the static site has no stylesheet: did web/build.ts run?')
  const render = createRenderer({ serviceName, supportEmail, assetPath: '/assets' })
  const pages = renderProviderPages(render, {
    stylesheet,
    script: scriptName,
    assetPath: '/assets',
  })
  const policy = contentSecurityPolicy({
    apiOrigin: new URL(stack.apiUrl).origin,
    scriptHashes: await inlineScriptHashes([...pages.values()].join('\n')),
  })
  const site: Site = new Map()
  for (const [file, html] of pages) {
    const body = html.replace('__CONTENT_SECURITY_POLICY__', policy.replaceAll('"', '&quot;'))
    const path = `/${file.replace(/(index)?\.html$/, '')}`.replace(/\/$/, '') || '/'
    site.set(path, { body, contentType: 'text/html; charset=utf-8' })
  }
  site.set(`/assets/${scriptName}`, {
    body: await bundle(providerScriptEntry),
    contentType: 'text/javascript; charset=utf-8',
  })
  return site
}

async function bundle(entry: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: 'provider-bundle-' })
  try {
    const output = join(dir, 'portal.js')
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ['bundle', '--quiet', '--platform', 'browser', '--output', output, entry],
      stdout: 'null',
      stderr: 'piped',
    }).output()
    if (code !== 0) throw new Error(new TextDecoder().decode(stderr))
    return await Deno.readTextFile(output)
  } finally {
    await Deno.remove(dir, { recursive: true })
  }
}
