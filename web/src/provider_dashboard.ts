/// <reference lib="dom" />
/**
 * The portal's home: the lead provider's name, a count of schools that reported a mistake, and
 * for each cohort the way to report schools and to see them.
 */
import { getJson, type Me } from './provider_api.ts'
import {
  cohortLabel,
  heading,
  link,
  notificationBanner,
  paragraph,
  plainList,
  plural,
  section,
  showPage,
  subheading,
} from './portal_dom.ts'
import { noDeliveryPartners } from './provider_words.ts'

export async function showDashboard(root: HTMLElement): Promise<void> {
  const me = await getJson<Me>('/me')
  showPage(root, me.lead_provider.name, [
    heading(me.lead_provider.name, 'l', 'Lead provider'),
    me.challenged > 0
      ? notificationBanner({
        heading: `${plural(me.challenged, 'school has', 'schools have')} reported a mistake`,
        body: [
          'Contact the school to find out what went wrong. ',
          link(
            `/provider/schools?cohort=${me.cohorts.find((c) => c.challenged > 0)?.start_year}`,
            'See which schools reported a mistake',
          ),
        ],
      })
      : null,
    me.cohorts.length === 0 ? paragraph(noDeliveryPartners) : null,
    ...me.cohorts.map((cohort) =>
      section(
        {},
        subheading(`${cohortLabel(cohort.start_year)} academic year`),
        plainList([
          cohort.delivery_partners.length > 0
            ? link(
              `/provider/report-schools?cohort=${cohort.start_year}`,
              `Report schools for ${cohortLabel(cohort.start_year)}`,
            )
            : null,
          [
            link(
              `/provider/schools?cohort=${cohort.start_year}`,
              `Your schools for ${cohortLabel(cohort.start_year)}`,
            ),
            ` (${plural(cohort.schools, 'school', 'schools')}` +
            (cohort.challenged ? `, ${cohort.challenged} reported a mistake)` : ')'),
          ],
        ]),
      )
    ),
  ])
}
