/// <reference lib="dom" />
/**
 * One of the lead provider's schools. When the school has reported a mistake, a banner says so
 * with the reason it gave, so the provider can call them.
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
  showPage(root, school.school_name, [
    challenged
      ? notificationBanner({
        heading: 'This school reported they did not confirm an agreement with you',
        body: [
          `They gave this reason: “${school.challenge_reason_label}”. If you think this is a mistake, contact the school directly. If it is resolved, you can report the school again.`,
        ],
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
      ...(challenged && school.challenged_at
        ? [['Mistake reported on', formatDate(school.challenged_at)] as [string, string]]
        : []),
    ]),
    paragraph(link(`/provider/schools?cohort=${school.cohort}`, 'Back to your schools')),
  ])
}
