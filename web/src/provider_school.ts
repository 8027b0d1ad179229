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
  cohortLabel,
  formatDate,
  heading,
  link,
  notificationBanner,
  paragraph,
  showPage,
  summaryList,
  tag,
} from './portal_dom.ts'
import { emailNextStep, emailStatusTag, schoolContact, supportEmailOf } from './provider_words.ts'

export async function showSchool(root: HTMLElement): Promise<void> {
  const id = new URLSearchParams(location.search).get('id') ?? ''
  let school: PartnershipDetail
  try {
    school = await getJson<PartnershipDetail>(`/partnerships/${encodeURIComponent(id)}`)
  } catch (failure) {
    if (failure instanceof ApiError && (failure.status === 404 || failure.status === 400)) {
      return showPage(root, 'School not found', [
        heading('School not found'),
        paragraph(
          'We could not find that school in your list. Check the link, or go to ',
          link('/provider/schools', 'your schools'),
          '.',
        ),
      ])
    }
    throw failure
  }
  const challenged = school.status === 'challenged'
  const nextStep = challenged ? null : emailNextStep(school.email_status, supportEmailOf(root))
  showPage(root, school.school_name, [
    challenged
      ? notificationBanner({
        heading: 'This school reported they did not confirm an agreement with you',
        body: [
          `They gave this reason: “${school.challenge_reason_label}”.`,
          fragment([
            'If you think this is a mistake, contact the school: ',
            ...schoolContact(school),
            '. If it is resolved, you can report the school again.',
          ]),
        ],
      })
      : null,
    nextStep
      ? notificationBanner({
        heading: school.email_status === 'no_address'
          ? 'We have not emailed this school'
          : 'Our email did not reach this school',
        body: [fragment(nextStep)],
      })
      : null,
    heading(school.school_name, 'l', `${cohortLabel(school.cohort)} academic year`),
    summaryList([
      ['URN', school.urn],
      ['Delivery partner', school.delivery_partner_name],
      ['Local authority', school.local_authority ?? 'No local authority assigned'],
      ['Trust', school.trust_name ?? 'Not in a trust'],
      ['Reported on', formatDate(school.reported_at)],
      [
        'Status',
        challenged ? tag('Reported a mistake', 'red') : tag('Confirmed', 'green'),
      ],
      ['Email to the school', emailStatusTag(school.email_status)],
      ['Contact', fragment(schoolContact(school))],
      challenged && school.challenged_at
        ? ['Mistake reported on', formatDate(school.challenged_at)]
        : ['School can report a mistake until', formatDate(school.deadline)],
    ]),
    paragraph(link(`/provider/schools?cohort=${school.cohort}`, 'Back to your schools')),
  ])
}

/** Several pieces of text and links as one child of a paragraph or a summary list value. */
function fragment(children: (Node | string)[]): DocumentFragment {
  const pieces = document.createDocumentFragment()
  pieces.append(...children)
  return pieces
}
