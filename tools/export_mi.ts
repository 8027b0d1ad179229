/**
 * `deno task export-mi <view> [--out file.csv] [--database-url URL]`: writes one `mi` view as CSV,
 * read as the analyst role, to the file or to standard output.
 */
import { connectTo, readCommandLine, runCommand } from './_cli.ts'
import { exportMiView } from './mi_export.ts'

const { positionals: [view], databaseUrl, out } = readCommandLine(
  Deno.args,
  'deno task export-mi <view> [--out file.csv] [--database-url URL]',
  1,
)

await runCommand(async () => {
  const sql = connectTo(databaseUrl)
  try {
    const csv = await exportMiView(sql, view!)
    if (out) await Deno.writeTextFile(out, csv)
    else await Deno.stdout.write(new TextEncoder().encode(csv))
  } finally {
    await sql.end()
  }
})
