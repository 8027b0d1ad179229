/**
 * `deno task load-gias <file.csv> [--database-url URL]`: loads or updates schools from a GIAS
 * establishments extract and prints how many were added, changed, closed, unchanged and rejected.
 */
import { runLoadCommand } from './_cli.ts'
import { loadGias } from './gias_loader.ts'

await runLoadCommand(
  'deno task load-gias <file.csv> [--database-url URL]',
  loadGias,
  (summary) => ({
    Added: summary.added,
    Changed: summary.changed,
    Closed: summary.closed,
    Unchanged: summary.unchanged,
  }),
)
