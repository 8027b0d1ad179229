/**
 * docs/schema_snapshot.md must match the stack's freshly migrated database. `deno task
 * schema-snapshot` runs this file with `--update`, which rewrites the snapshot instead.
 */
import assert from 'node:assert/strict'
import { connect } from '../tests/_stack.ts'
import { schemaSnapshot } from './schema_snapshot.ts'

const snapshotFile = new URL('../docs/schema_snapshot.md', import.meta.url)

Deno.test('docs/schema_snapshot.md is the migrated database shape (deno task schema-snapshot)', async () => {
  const sql = connect()
  let current: string
  try {
    current = await schemaSnapshot(sql)
  } finally {
    await sql.end()
  }
  if (Deno.args.includes('--update')) {
    await Deno.writeTextFile(snapshotFile, current)
    return
  }
  const committed = await Deno.readTextFile(snapshotFile).catch(() => '')
  if (committed === current) return
  const committedLines = committed.split('\n')
  const currentLines = current.split('\n')
  const line = currentLines.findIndex((text, index) => text !== committedLines[index])
  assert.fail(
    'docs/schema_snapshot.md is stale: run `deno task schema-snapshot` and commit the result.\n' +
      `First difference at line ${line + 1}:\n` +
      `  committed: ${committedLines[line] ?? '(end of file)'}\n` +
      `  database:  ${currentLines[line] ?? '(end of file)'}`,
  )
})
