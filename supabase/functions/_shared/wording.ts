/**
 * Sentences that both a function's answer and a page say, written once: the functions send them
 * as error messages, the pages import them (`web/src/*_words.ts`; the static pages' templates get
 * them as the renderer's globals), and the tests check against them.
 */

/** Nothing chosen from the list of reasons for a mistake. */
export const reasonRequired = 'Select a reason why you think this confirmation is incorrect'

/** Support's note on a mistake it reports is too long. */
export const noteTooLong = 'The note must be 2,000 characters or fewer'

/** An API token's name, left blank or too long. */
export const tokenNameRequired = 'Enter a name for the token'
export const tokenNameTooLong = 'The name must be 100 characters or fewer'

/** Anything that went wrong on our side: GOV.UK's words for it. */
export const serviceProblem = 'Sorry, there is a problem with the service'
