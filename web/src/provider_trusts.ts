/// <reference lib="dom" />
/**
 * The trust notices on a provider's "confirm schools" step. Mistakes cluster in multi-academy
 * trusts: the provider agreed with the trust and not every school knew. For each trust among the
 * schools on the list, the notice names it, says how many of its schools are being reported,
 * and asks the provider to make sure the trust has told each one.
 */
import { h, insetText, paragraph } from './portal_dom.ts'
import type { ListedTrust } from './provider_api.ts'
import { trustNoticeWords as words } from './provider_words.ts'

/** One GOV.UK inset text per trust (from the check) with a school still on the list. */
export function trustNotices(trusts: ListedTrust[], schools: { urn: string }[]): HTMLElement[] {
  const onList = new Set(schools.map((school) => school.urn))
  return trusts.flatMap((trust) => {
    const listed = trust.listed_urns.filter((urn) => onList.has(urn)).length
    if (listed === 0) return []
    return [insetText(...trustWords(trust, listed))]
  })
}

/** The words of one notice. */
function trustWords(trust: ListedTrust, listed: number): HTMLElement[] {
  const total = Math.max(trust.school_count, listed)
  return [
    paragraph(h('strong', {}, trust.trust_name), words.isTrust(words.share(listed, total))),
    paragraph(words.makeSure(trust.trust_name)),
  ]
}
