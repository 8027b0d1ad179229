/**
 * Wording the static site's templates share with code outside them, given to every template as
 * a global by the renderer (`render.ts`): the sentence for a blank reason is also the challenge
 * function's 422 message, and GOV.UK's words for a problem on our side are also every
 * function's 500 message, so each is written once, in the functions' shared wording.
 */
import { reasonRequired, serviceProblem } from '../../supabase/functions/_shared/wording.ts'

export const siteWords = { reasonRequired, serviceProblem }
