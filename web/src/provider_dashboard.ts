/// <reference lib="dom" />
/**
 * The portal's home: the lead provider's name, a count of schools that reported a mistake, and
 * for each cohort the way to report schools and to see them.
 */
import { getJson, type Me } from './provider_api.ts'
import {
  heading,
  link,
  notificationBanner,
  paragraph,
  plainList,
  section,
  showPage,
  subheading,
} from './portal_dom.ts'
import { dashboardWords as words, noDeliveryPartners } from './provider_words.ts'

export async function showDashboard(root: HTMLElement): Promise<void> {
  const me = await getJson<Me>('/me')
  showPage(root, me.lead_provider.name, [
    heading(me.lead_provider.name, 'l', words.caption),
    me.challenged > 0
      ? notificationBanner({
        heading: words.challenged(me.challenged),
        body: [
          words.contactSchool,
          link(
            `/provider/schools?cohort=${me.cohorts.find((c) => c.challenged > 0)?.start_year}`,
            words.seeChallenged,
          ),
        ],
      })
      : null,
    me.cohorts.length === 0 ? paragraph(noDeliveryPartners) : null,
    ...me.cohorts.map((cohort) =>
      section(
        {},
        subheading(words.year(cohort.start_year)),
        plainList([
          cohort.delivery_partners.length > 0
            ? link(
              `/provider/report-schools?cohort=${cohort.start_year}`,
              words.report(cohort.start_year),
            )
            : null,
          [
            link(`/provider/schools?cohort=${cohort.start_year}`, words.schools(cohort.start_year)),
            words.schoolCount(cohort.schools, cohort.challenged),
          ],
        ]),
      )
    ),
  ])
}
