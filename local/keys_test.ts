/** Unit: the local project's keys, made once and kept, and an older keys.json brought up to date. */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { loadOrCreateKeys } from './keys.ts'

const hookSecretFormat = /^v1,whsec_[A-Za-z0-9+/=]{32,88}$/

Deno.test('unit: loadOrCreateKeys() makes every key once, the hook secret in Auth’s format', async () => {
  const dir = await Deno.makeTempDir({ prefix: 'local-keys-test-' })
  try {
    const made = await loadOrCreateKeys(dir)
    assert.match(made.sendEmailHookSecret, hookSecretFormat)
    assert.equal(atob(made.sendEmailHookSecret.slice('v1,whsec_'.length)).length, 32)
    assert.deepEqual(await loadOrCreateKeys(dir), made)
  } finally {
    await Deno.remove(dir, { recursive: true })
  }
})

Deno.test('unit: loadOrCreateKeys() adds a hook secret to a keys.json made before it existed', async () => {
  const dir = await Deno.makeTempDir({ prefix: 'local-keys-test-' })
  try {
    const { sendEmailHookSecret: _, ...older } = await loadOrCreateKeys(dir)
    await Deno.writeTextFile(join(dir, 'keys.json'), JSON.stringify(older))
    const updated = await loadOrCreateKeys(dir)
    assert.deepEqual({ ...updated, sendEmailHookSecret: undefined }, {
      ...older,
      sendEmailHookSecret: undefined,
    })
    assert.match(updated.sendEmailHookSecret, hookSecretFormat)
    assert.deepEqual(await loadOrCreateKeys(dir), updated)
  } finally {
    await Deno.remove(dir, { recursive: true })
  }
})
