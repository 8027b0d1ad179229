/** Template manifests: loading, refusing bad ones, and the service's own templates (unit). */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { placeholderNames } from './placeholders.ts'
import { renderEmail } from './render_email.ts'
import { loadTemplates } from './templates.ts'
import { templates as fixtureIds, testTemplatesDir } from './_test_helpers.ts'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

async function manifestDir(manifest: unknown, files: Record<string, string> = {}) {
  const dir = await Deno.makeTempDir({ prefix: 'notify-double-templates-' })
  await Deno.writeTextFile(join(dir, 'templates.json'), JSON.stringify(manifest))
  for (const [name, text] of Object.entries(files)) await Deno.writeTextFile(join(dir, name), text)
  return dir
}

Deno.test('loadTemplates() reads every manifest entry with its body at version 1', async () => {
  const loaded = await loadTemplates([testTemplatesDir])
  assert.deepEqual([...loaded.keys()].sort(), Object.values(fixtureIds).sort())
  const signIn = loaded.get(fixtureIds.signInCode)!
  assert.equal(signIn.body, 'Your code is ((code)).\n')
  assert.equal(signIn.version, 1)
})

Deno.test('loadTemplates() refuses a manifest with a bad id or a body outside its folder', async () => {
  const entry = { id: crypto.randomUUID(), kind: 'k', name: 'n', subject: 's', body: 'b.md' }
  for (const bad of [{ ...entry, id: 'nope' }, { ...entry, body: '../secret.md' }]) {
    const dir = await manifestDir([bad], { 'b.md': 'x' })
    try {
      await assert.rejects(loadTemplates([dir]), /is not a valid manifest/)
    } finally {
      await Deno.remove(dir, { recursive: true })
    }
  }
})

Deno.test('loadTemplates() refuses the same template id in two folders', async () => {
  const entry = { id: crypto.randomUUID(), kind: 'k', name: 'n', subject: 's', body: 'b.md' }
  const dirs = [
    await manifestDir([entry], { 'b.md': 'x' }),
    await manifestDir([entry], { 'b.md': 'y' }),
  ]
  try {
    await assert.rejects(loadTemplates(dirs), /is listed twice/)
  } finally {
    for (const dir of dirs) await Deno.remove(dir, { recursive: true })
  }
})

Deno.test("the service's templates load and use exactly the personalisation their manifest documents", async () => {
  const dirs = [join(repoRoot, 'notify', 'templates')]
  const loaded = await loadTemplates(dirs)
  const documented = new Map<string, string[] | undefined>()
  for (const dir of dirs) {
    const manifest = JSON.parse(await Deno.readTextFile(join(dir, 'templates.json')))
    for (const entry of manifest) documented.set(entry.id, entry.personalisation)
  }
  assert.ok(loaded.size > 0)
  for (const template of loaded.values()) {
    const used = placeholderNames(template.subject, template.body)
    const names = documented.get(template.id) ?? used
    assert.deepEqual([...used].sort(), [...names].sort(), template.kind)
    const rendered = renderEmail(template, Object.fromEntries(names.map((name) => [name, 'x'])))
    assert.ok(rendered.text.trim().length > 0, template.kind)
  }
})
