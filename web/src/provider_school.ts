/// <reference lib="dom" />
/**
 * One of the lead provider's schools, with what they plan with: whether our email reached the
 * school (and what to do when it did not, or could not be sent), the last day the school can
 * report a mistake, and whom to contact there. When the school has reported a mistake, a banner
 * says so with the reason it gave and the address to contact.
 */
import { ApiError } from './portal_api.ts'
import { getJson, type PartnershipDetail } from './provider_api.ts'
import {
  formatDate,
  heading,
  link,
  notificationBanner,
  paragraph,
  showPage,
  summaryList,
} from './portal_dom.ts'
import {
  emailNextStep,
  emailStatusTag,
  partnershipStatusTag,
  schoolContact,
  schoolWords as words,
  supportEmailOf,
} from './provider_words.ts'

export async function showSchool(root: HTMLElement): Promise<void> {
  const id = new URLSearchParams(location.search).get('id') ?? ''
  let school: PartnershipDetail
  try {
    school = await getJson<PartnershipDetail>(`/partnerships/${encodeURIComponent(id)}`)
  } catch (failure) {
    if (failure instanceof ApiError && (failure.status === 404 || failure.status === 400)) {
      return showPage(root, words.notFound, [
        heading(words.notFound),
        paragraph(words.notFoundBody, link('/provider/schools', words.yourSchools), '.'),
      ])
    }
    throw failure
  }
  const challenged = school.status === 'challenged'
  const nextStep = challenged ? null : emailNextStep(school.email_status, supportEmailOf(root))
  showPage(root, school.school_name, [
    challenged
      ? notificationBanner({
        heading: words.challengedHeading,
        body: [
          words.reason(school.challenge_reason_label),
          fragment([
            words.ifMistake,
            ...schoolContact(school),
            words.ifResolved,
          ]),
        ],
      })
      : null,
    nextStep
      ? notificationBanner({
        heading: school.email_status === 'no_address' ? words.notEmailed : words.notReached,
        body: [fragment(nextStep)],
      })
      : null,
    heading(school.school_name, 'l', words.year(school.cohort)),
    summaryList([
      [words.urn, school.urn],
      [words.deliveryPartner, school.delivery_partner_name],
      [words.localAuthority, school.local_authority ?? words.noLocalAuthority],
      [words.trust, school.trust_name ?? words.noTrust],
      [words.reportedOn, formatDate(school.reported_at)],
      [words.status, partnershipStatusTag(school.status)],
      [words.email, emailStatusTag(school.email_status)],
      [words.contact, fragment(schoolContact(school))],
      challenged && school.challenged_at
        ? [words.challengedOn, formatDate(school.challenged_at)]
        : [words.deadline, formatDate(school.deadline)],
    ]),
    paragraph(link(`/provider/schools?cohort=${school.cohort}`, words.back)),
  ])
}

/** Several pieces of text and links as one child of a paragraph or a summary list value. */
function fragment(children: (Node | string)[]): DocumentFragment {
  const pieces = document.createDocumentFragment()
  pieces.append(...children)
  return pieces
}
