import assert from 'node:assert/strict'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { differingPins, findFunctions, functionProblems } from './function_pins.ts'

const repoRoot = fileURLToPath(new URL('..', import.meta.url))

Deno.test('differingPins() names a pin that differs from the root or that the root lacks', () => {
  const root = { hono: 'npm:hono@4.13.19', zod: 'npm:zod@4.6.7' }
  assert.deepEqual(differingPins('f', { hono: 'npm:hono@4.13.19' }, root), [])
  assert.deepEqual(differingPins('f', { hono: 'npm:hono@4.13.18', left: 'npm:left-pad@1' }, root), [
    'f/deno.json pins "hono" to npm:hono@4.13.18; the root deno.json pins npm:hono@4.13.19',
    'f/deno.json pins "left", which the root deno.json does not pin',
  ])
})

Deno.test('every function in this repo pins exactly what the root deno.json pins', async () => {
  const functions = await findFunctions(join(repoRoot, 'supabase', 'functions'))
  assert.ok(functions.includes('provider'), functions.join(', '))
  assert.ok(!functions.includes('_shared'))
  assert.deepEqual(await functionProblems(repoRoot, false), [])
})

/** A throwaway repo with the root's deno.json and one function, `f`, importing zod. */
async function repoWithFunction(ownImports: Record<string, string> | undefined): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: 'function-pins-test-' })
  await Deno.writeTextFile(
    join(dir, 'deno.json'),
    JSON.stringify({ imports: { zod: 'npm:zod@4.6.7' } }),
  )
  const functionDir = join(dir, 'supabase', 'functions', 'f')
  await Deno.mkdir(functionDir, { recursive: true })
  await Deno.mkdir(join(dir, 'supabase', 'functions', '_shared'))
  await Deno.writeTextFile(
    join(functionDir, 'index.ts'),
    "import { z } from 'zod'\nconsole.log(z.string().parse('checked'))\n",
  )
  if (ownImports) {
    await Deno.writeTextFile(
      join(functionDir, 'deno.json'),
      JSON.stringify({ imports: ownImports }),
    )
  }
  return dir
}

Deno.test('functionProblems() fails a function whose own deno.json lacks a pin it imports', async () => {
  const dir = await repoWithFunction({})
  try {
    const [problem, ...rest] = await functionProblems(dir)
    assert.deepEqual(rest, [])
    assert.match(problem!, /^f does not type-check with its own deno\.json:\n.*zod/s)
  } finally {
    await Deno.remove(dir, { recursive: true })
  }
})

Deno.test('functionProblems() passes a function pinning what it imports as the root does', async () => {
  const dir = await repoWithFunction({ zod: 'npm:zod@4.6.7' })
  try {
    assert.deepEqual(await functionProblems(dir), [])
  } finally {
    await Deno.remove(dir, { recursive: true })
  }
})

Deno.test('functionProblems() fails a function folder with no deno.json', async () => {
  const dir = await repoWithFunction(undefined)
  try {
    assert.deepEqual(await functionProblems(dir, false), [
      'f has no deno.json: deploy needs one import map per function',
    ])
  } finally {
    await Deno.remove(dir, { recursive: true })
  }
})
