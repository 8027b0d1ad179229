import assert from 'node:assert/strict'
import { join } from 'node:path'
import { buildSite } from './build.ts'
import { componentsNamed, govukComponentNames, portalSurface, publicSurface } from './styles.ts'

/** Every file under `dir` (relative paths) whose name ends with `ext`. */
async function filesEndingWith(dir: string, ext: string, under = ''): Promise<string[]> {
  const found: string[] = []
  for await (const entry of Deno.readDir(join(dir, under))) {
    const path = join(under, entry.name)
    if (entry.isDirectory) found.push(...await filesEndingWith(dir, ext, path))
    else if (entry.name.endsWith(ext)) found.push(path)
  }
  return found
}

Deno.test('unit: each surface stylesheet holds every GOV.UK component its pages and scripts use, and no fonts', async () => {
  const outDir = await Deno.makeTempDir({ prefix: 'styles-test-' })
  try {
    await buildSite({
      outDir,
      apiUrl: 'https://project.example',
      supportEmail: 'help@example.gov.uk',
      preview: true,
    })
    const known = await govukComponentNames()
    const portalFile = (path: string) => /^(provider|support)[/-]/.test(path.replace('assets/', ''))
    const used = { site: new Set<string>(), portal: new Set<string>() }
    for (
      const path of [
        ...await filesEndingWith(outDir, '.html'),
        ...await filesEndingWith(outDir, '.js'),
      ]
    ) {
      const text = await Deno.readTextFile(join(outDir, path))
      for (const name of componentsNamed(text, known)) {
        used[portalFile(path) ? 'portal' : 'site'].add(name)
      }
    }
    for (const surface of [publicSurface, portalSurface]) {
      const missing = [...used[surface.name as 'site' | 'portal']].filter((name) =>
        !surface.components.includes(name)
      )
      assert.deepEqual(missing, [], `add to the ${surface.name} surface in web/styles.ts`)
    }
    for (const css of await filesEndingWith(outDir, '.css')) {
      assert.doesNotMatch(await Deno.readTextFile(join(outDir, css)), /@font-face/, css)
    }
  } finally {
    await Deno.remove(outDir, { recursive: true })
  }
})

Deno.test('unit: componentsNamed() finds components by block, element and modifier classes', () => {
  const known = ['button', 'error-summary', 'summary-list', 'tag']
  const text = '<div class="govuk-error-summary__body govuk-button--secondary govuk-!-margin-0 ' +
    'govuk-frontend-supported">govuk-summary-list</div>'
  assert.deepEqual(
    [...componentsNamed(text, known)].sort(),
    ['button', 'error-summary', 'summary-list'],
  )
})
