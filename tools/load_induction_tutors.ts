/**
 * `deno task load-tutors <file.csv> [--database-url URL]`: loads the induction tutors schools have
 * nominated from a CSV with the columns URN, name and email, and prints what it did.
 */
import { runLoadCommand } from './_cli.ts'
import { loadInductionTutors } from './induction_tutors_loader.ts'

await runLoadCommand(
  'deno task load-tutors <file.csv> [--database-url URL]',
  loadInductionTutors,
  (summary) => ({
    Added: summary.added,
    Changed: summary.changed,
    Unchanged: summary.unchanged,
  }),
)
