/**
 * Wording both portals (lead providers, DfE support) say, in one place: the sign-in and resend
 * pages' email address check, and GOV.UK's words for a problem on our side, which the functions
 * send too (`supabase/functions/_shared/wording.ts`).
 */
export { serviceProblem } from '../../supabase/functions/_shared/wording.ts'

/** An email address that is not one. */
export const emailFormatWrong =
  'Enter an email address in the correct format, like name@example.com'
