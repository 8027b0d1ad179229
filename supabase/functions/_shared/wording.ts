/**
 * Sentences that both a function's answer and a page say, written once: the functions send them
 * as error messages, the pages import them (`web/src/*_words.ts`; the static pages' templates get
 * them as the renderer's globals), and the tests check against them.
 */

/** Nothing chosen from the list of reasons for a mistake. */
export const reasonRequired = 'Select a reason why you think this confirmation is incorrect'
