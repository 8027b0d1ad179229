/** Serves the challenge function (the school's "report a mistake" link). */
import { platformDeps } from '../_shared/function_deps.ts'
import { createChallengeApp } from './app.ts'

Deno.serve(createChallengeApp(platformDeps()).fetch)
