import assert from 'node:assert/strict'
import { connect } from '../tests/_stack.ts'

const guide = await Deno.readTextFile(new URL('../docs/mi.md', import.meta.url))
const queries = [...guide.matchAll(/```sql\n([\s\S]*?)```/g)].map((match) => match[1]!)

Deno.test('every SQL example in docs/mi.md runs as the analyst role', async () => {
  assert.ok(queries.length >= 8, `found ${queries.length} examples`)
  const sql = connect()
  try {
    for (const query of queries) {
      await sql.begin(async (tx) => {
        await tx`set local role analyst`
        await tx.unsafe(query).simple().catch((error: Error) => {
          throw new Error(`${error.message} in:\n${query}`)
        })
      })
    }
  } finally {
    await sql.end()
  }
})
