/// <reference lib="dom" />
/**
 * The trust notices on a provider's "confirm schools" step. Mistakes cluster in multi-academy
 * trusts: the provider agreed with the trust and not every school knew. For each trust among the
 * schools on the list, the notice names it, says how many of its schools are being reported,
 * and asks the provider to make sure the trust has told each one.
 */
import { h, insetText, paragraph } from './portal_dom.ts'
import type { ListedTrust } from './provider_api.ts'

/** One GOV.UK inset text per trust (from the check) with a school still on the list. */
export function trustNotices(trusts: ListedTrust[], schools: { urn: string }[]): HTMLElement[] {
  const onList = new Set(schools.map((school) => school.urn))
  return trusts.flatMap((trust) => {
    const listed = trust.listed_urns.filter((urn) => onList.has(urn)).length
    if (listed === 0) return []
    return [insetText(...trustWords(trust, listed))]
  })
}

/** The words of one notice; exported for the unit test. */
export function trustWords(trust: ListedTrust, listed: number): HTMLElement[] {
  const total = Math.max(trust.school_count, listed)
  const share = listed === total
    ? `all ${total === 1 ? '1 school' : `${total} schools`} in this trust`
    : `${listed} of the ${total} schools in this trust`
  return [
    paragraph(
      h('strong', {}, trust.trust_name),
      ` is a multi-academy trust. You are reporting ${share}.`,
    ),
    paragraph(
      `Before you confirm, make sure ${trust.trust_name} has told each of these schools that you ` +
        'will deliver their early career teacher training. A school that did not know may report ' +
        'a mistake.',
    ),
  ]
}
