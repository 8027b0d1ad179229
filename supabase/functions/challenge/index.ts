/** Serves the challenge function (the school's "report a mistake" link). */
import { app } from './app.ts'

Deno.serve(app.fetch)
