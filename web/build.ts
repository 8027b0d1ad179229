/**
 * Builds the static site into `web/dist/`: GOV.UK Frontend's assets copied to our own origin, one
 * stylesheet, the report page's and each signed-in portal's scripts bundled (a portal's with its
 * precompiled component templates, `portal_templates_build.ts`), every page rendered with the
 * GOV.UK Nunjucks macros, and (unless `--no-preview`) a preview of every state of the report page
 * and of the portals' pages from its page fixture, listed in `previews.json`.
 *
 *   deno run -A web/build.ts [--no-preview]
 *
 * `SUPABASE_URL` is where the pages call the challenge function (allowed in the content security
 * policy); `SUPPORT_EMAIL` is the contact shown on every page. The local stack calls `buildSite()`
 * itself, into a folder of its own, so two stacks never serve each other's pages. Deploys should
 * pass `--no-preview`: the preview's made-up schools have no place on the live site.
 */
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { renderPortalPages } from './portal_build.ts'
import { type PreviewLink, renderPortalPreviews } from './portal_preview_build.ts'
import { writePortalEntry } from './portal_templates_build.ts'
import { providerPortal } from './provider_build.ts'
import { supportPortal } from './support_build.ts'
import { compactHtml } from './src/compact_html.ts'
import { contentSecurityPolicy, headerPolicy, inlineScriptHashes } from './src/csp.ts'
import { detailsView, type LinkDetails } from './src/link_details.ts'
import { createRenderer, govukFrontendDist, type Renderer } from './src/render.ts'
import { type ReportStateId, reportStateIds, reportStates } from './src/report_states.ts'
import { defaultSupportEmail, serviceName } from './src/site.ts'
import { compileSurface, portalSurface, publicSurface, type Surface } from './styles.ts'

export type BuildOptions = {
  outDir: string
  /** The API's base URL (the Supabase project URL); pages may connect to its origin only. */
  apiUrl: string
  supportEmail: string
  preview: boolean
}

/** A page fixture: what the service answered for one state of the report page. */
export type ReportFixture = {
  state: ReportStateId
  details?: LinkDetails
  school_name?: string
}

const webDir = fileURLToPath(new URL('./', import.meta.url))
const assetPath = '/assets'

/** Pages other than the report page: template name -> output file. */
const simplePages = {
  'pages/index.njk': 'index.html',
  'pages/accessibility.njk': 'accessibility.html',
  'pages/cookies.njk': 'cookies.html',
  'pages/privacy.njk': 'privacy.html',
  'pages/404.njk': '404.html',
}

export async function buildSite(options: BuildOptions): Promise<void> {
  const { outDir } = options
  await Deno.remove(outDir, { recursive: true }).catch(ignoreNotFound)
  await Deno.mkdir(join(outDir, 'assets'), { recursive: true })
  const govukAssets = await copyGovukAssets(outDir)
  const stylesheet = await writeStylesheet(outDir, publicSurface, govukAssets)
  const portalStylesheet = await writeStylesheet(outDir, portalSurface, govukAssets)
  const reportScript = await bundleScript(
    outDir,
    join(webDir, 'src/report_page.ts'),
    'report',
  )
  const newLinkScript = await bundleScript(
    outDir,
    join(webDir, 'src/new_link_page.ts'),
    'new-link',
  )

  const render = createRenderer({
    serviceName,
    supportEmail: options.supportEmail,
    // GOV.UK Frontend's template takes its icons and manifest from here.
    assetPath: govukAssets,
    apiUrl: options.apiUrl,
  })
  const pages = new Map<string, string>()
  const common = { stylesheet, scripts: [] }
  for (const [template, file] of Object.entries(simplePages)) {
    pages.set(file, render(template, common))
  }
  pages.set(
    'report-a-mistake.html',
    render('pages/report-a-mistake.njk', {
      stylesheet,
      scripts: [{
        src: `${assetPath}/${reportScript}`,
        module: true,
      }],
      stateTemplates: reportStateIds.map((id) => ({
        id,
        title: reportStates[id].title,
        html: renderState(render, id, null),
      })),
    }),
  )
  pages.set(
    'get-a-new-link.html',
    render('pages/get-a-new-link.njk', {
      stylesheet,
      scripts: [{
        src: `${assetPath}/${newLinkScript}`,
        module: true,
      }],
    }),
  )
  const previews: PreviewLink[] = []
  const portalBuild = await Deno.makeTempDir({ prefix: 'portal-build-' })
  try {
    for (const portal of portals) {
      const entry = await writePortalEntry(join(portalBuild, portal.name), portal.scriptEntry)
      const assets = {
        stylesheet: portalStylesheet,
        script: await bundleScript(outDir, entry, portal.name),
        assetPath,
      }
      for (const [file, html] of renderPortalPages(render, portal, assets)) pages.set(file, html)
      if (!options.preview) continue
      const preview = await renderPortalPreviews(render, portal, assets)
      for (const [file, html] of preview.pages) pages.set(file, html)
      previews.push(...preview.links)
    }
  } finally {
    await Deno.remove(portalBuild, { recursive: true })
  }
  if (options.preview) {
    for (const [file, html] of await renderPreview(render, stylesheet, previews)) {
      pages.set(file, html)
    }
    // Every preview's address, for the checks that visit each one.
    await Deno.writeTextFile(join(outDir, 'previews.json'), JSON.stringify(previews, null, 2))
  }

  for (const [file, html] of pages) pages.set(file, compactHtml(html))
  const policy = {
    apiOrigin: new URL(options.apiUrl).origin,
    scriptHashes: await inlineScriptHashes([...pages.values()].join('\n')),
  }
  for (const [file, html] of pages) {
    const path = join(outDir, file)
    await Deno.mkdir(join(path, '..'), { recursive: true })
    await Deno.writeTextFile(
      path,
      html.replace(
        cspPlaceholder,
        escapeAttribute(contentSecurityPolicy(policy)),
      ),
    )
  }
  // For hosts that read a `_headers` file (Netlify, Cloudflare Pages): framing needs a header.
  // Everything under /assets/ is named by its content, so a browser may keep it for a year and
  // never ask again; pages keep the host's default (revalidate each time, answered 304).
  await Deno.writeTextFile(
    join(outDir, '_headers'),
    `/*\n  Content-Security-Policy: ${headerPolicy(policy)}\n  X-Content-Type-Options: nosniff\n` +
      `  Referrer-Policy: no-referrer\n` +
      `${assetPath}/*\n  Cache-Control: public, max-age=31536000, immutable\n`,
  )
}

/** The signed-in portals, each a set of pages filled by one script. */
const portals = [providerPortal, supportPortal]

/** Pages are rendered before the policy is known (it hashes their inline script). */
const cspPlaceholder = '__CONTENT_SECURITY_POLICY__'

function renderState(
  render: Renderer,
  id: ReportStateId,
  fixture: ReportFixture | null,
): string {
  const { partial, error } = reportStates[id]
  const data = fixture &&
    (fixture.details
      ? { ...detailsView(fixture.details), reasons: fixture.details.reasons }
      : { school_name: fixture.school_name ?? '' })
  return render(`report/${partial}.njk`, { data, error: Boolean(error) })
}

/**
 * `preview/report-a-mistake/<state>.html` for every page fixture, and an index of every preview;
 * `previews` (the portals') gains the report page's.
 */
async function renderPreview(
  render: Renderer,
  stylesheet: string,
  previews: PreviewLink[],
): Promise<Map<string, string>> {
  const pages = new Map<string, string>()
  const fixtures = await readFixtures()
  for (const fixture of fixtures) {
    pages.set(
      `preview/report-a-mistake/${fixture.state}.html`,
      render('pages/report-state-preview.njk', {
        stylesheet,
        scripts: [],
        pageTitle: reportStates[fixture.state].title,
        stateHtml: renderState(render, fixture.state, fixture),
      }),
    )
  }
  previews.unshift(...fixtures.map(({ state }) => ({
    href: `/preview/report-a-mistake/${state}`,
    title: `Report a mistake: ${state.replaceAll('_', ' ')}`,
  })))
  pages.set(
    'preview/index.html',
    render('pages/preview-index.njk', { stylesheet, scripts: [], previews }),
  )
  return pages
}

async function readFixtures(): Promise<ReportFixture[]> {
  return await Promise.all(
    reportStateIds.map(async (state) => {
      const fixture: ReportFixture = JSON.parse(
        await Deno.readTextFile(
          join(webDir, 'fixtures/report', `${state}.json`),
        ),
      )
      if (fixture.state !== state) {
        throw new Error(
          `fixtures/report/${state}.json is for ${fixture.state}`,
        )
      }
      return fixture
    }),
  )
}

/** A surface's stylesheet (see styles.ts) as `/assets/<name>-<content hash>.css`; its URL. */
async function writeStylesheet(
  outDir: string,
  surface: Surface,
  govukAssets: string,
): Promise<string> {
  const css = await compileSurface(surface, `${govukAssets}/images`)
  const name = `${surface.name}-${await shortHash(css)}.css`
  await Deno.writeTextFile(join(outDir, 'assets', name), css)
  return `${assetPath}/${name}`
}

/**
 * GOV.UK Frontend's icons and manifest, in a folder named by their content so they may be cached
 * like every other asset; its URL. Its fonts are not used (see styles.ts).
 */
async function copyGovukAssets(outDir: string): Promise<string> {
  const source = join(govukFrontendDist, 'govuk/assets')
  const files = [
    'manifest.json',
    ...[...Deno.readDirSync(join(source, 'images'))].map((entry) => `images/${entry.name}`).sort(),
  ]
  const contents = await Promise.all(files.map((file) => Deno.readFile(join(source, file))))
  const hash = await shortHash(new Uint8Array(await new Blob(contents).arrayBuffer()))
  const folder = `govuk-${hash}`
  await Deno.mkdir(join(outDir, 'assets', folder, 'images'), { recursive: true })
  for (const [index, file] of files.entries()) {
    await Deno.writeFile(join(outDir, 'assets', folder, file), contents[index]!)
  }
  return `${assetPath}/${folder}`
}

/** A page script and what it imports, as one minified file named `<name>-<content hash>.js`. */
async function bundleScript(
  outDir: string,
  entry: string,
  name: string,
): Promise<string> {
  const bundled = join(outDir, 'assets', `${name}.js`)
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      'bundle',
      '--quiet',
      '--platform',
      'browser',
      '--minify',
      '--output',
      bundled,
      entry,
    ],
    stdout: 'null',
    stderr: 'piped',
  }).output()
  if (code !== 0) {
    throw new Error(`bundling ${name} failed:\n${decode(stderr)}`)
  }
  const file = `${name}-${await shortHash(
    await Deno.readTextFile(bundled),
  )}.js`
  await Deno.rename(bundled, join(outDir, 'assets', file))
  return file
}

async function shortHash(content: string | Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest(
    'SHA-256',
    typeof content === 'string' ? new TextEncoder().encode(content) : content,
  )
  return [...new Uint8Array(digest).slice(0, 5)].map((b) => b.toString(16).padStart(2, '0'))
    .join('')
}

function escapeAttribute(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('"', '&quot;')
}

function decode(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes)
}

function ignoreNotFound(error: unknown): void {
  if (!(error instanceof Deno.errors.NotFound)) throw error
}

if (import.meta.main) {
  const apiUrl = Deno.env.get('SUPABASE_URL')
  if (!apiUrl) {
    console.error(
      'Set SUPABASE_URL to the API the pages call (the Supabase project URL).',
    )
    Deno.exit(1)
  }
  await buildSite({
    outDir: join(webDir, 'dist'),
    apiUrl,
    supportEmail: Deno.env.get('SUPPORT_EMAIL') || defaultSupportEmail,
    preview: !Deno.args.includes('--no-preview'),
  })
}
