/**
 * Deploy settings that must hold for every function: the hosted gateway's JWT check is off for
 * each (they check callers themselves), and each has the files a deploy needs.
 */
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'

const functionsDir = fileURLToPath(new URL('../supabase/functions/', import.meta.url))
const configToml = await Deno.readTextFile(new URL('../supabase/config.toml', import.meta.url))

async function functionNames(): Promise<string[]> {
  const names: string[] = []
  for await (const entry of Deno.readDir(functionsDir)) {
    if (entry.isDirectory && !entry.name.startsWith('_')) names.push(entry.name)
  }
  return names.sort()
}

Deno.test('config.toml turns the gateway JWT check off for every function', async () => {
  for (const name of await functionNames()) {
    const section = configToml.match(
      new RegExp(`^\\[functions\\.${name.replace(/-/g, '\\-')}\\]\\n([^[]*)`, 'm'),
    )
    assert.ok(section, `supabase/config.toml has no [functions.${name}]`)
    assert.match(section[1]!, /^verify_jwt = false$/m, `[functions.${name}] verify_jwt`)
  }
})

Deno.test('every function has index.ts, app.ts and deno.json', async () => {
  for (const name of await functionNames()) {
    for (const file of ['index.ts', 'app.ts', 'deno.json']) {
      const stat = await Deno.stat(`${functionsDir}${name}/${file}`).catch(() => undefined)
      assert.ok(stat?.isFile, `supabase/functions/${name}/${file} is missing`)
    }
  }
})
