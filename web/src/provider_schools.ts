/// <reference lib="dom" />
/**
 * "Your schools": the lead provider's schools in one cohort, searchable by school, URN or
 * delivery partner, a page at a time, challenged schools first with a red "Reported a mistake"
 * tag, and the whole cohort as a CSV download. The page's address holds the cohort, search and
 * page, so the browser's back button and bookmarks work.
 */
import { download, getJson, type Me, type PartnershipPage } from './provider_api.ts'
import {
  button,
  cohortLabel,
  h,
  heading,
  inputField,
  link,
  pagination,
  paragraph,
  plainList,
  plural,
  section,
  showPage,
  statusParagraph,
  table,
  tag,
} from './portal_dom.ts'
import { emailStatusTag } from './provider_words.ts'

export async function showSchools(root: HTMLElement): Promise<void> {
  const params = new URLSearchParams(location.search)
  const me = await getJson<Me>('/me')
  const cohort = Number(params.get('cohort')) || me.cohorts[0]?.start_year
  if (!cohort) {
    return showPage(root, 'Your schools', [
      heading('Your schools'),
      paragraph('You have not reported any schools yet.'),
    ])
  }
  const q = (params.get('q') ?? '').slice(0, 200)
  const page = Math.max(1, Number(params.get('page')) || 1)
  const query = (changes: Record<string, string | number>) =>
    `?${new URLSearchParams({ cohort: String(cohort), q, page: String(page), ...changes })}`
  const found = await getJson<PartnershipPage>(
    `/partnerships${query({})}`,
  )
  const pages = Math.max(1, Math.ceil(found.total / found.page_size))

  const { group, control: search } = inputField({
    id: 'q',
    label: `Search schools in the ${cohortLabel(cohort)} cohort`,
    hint: 'By school name, URN or delivery partner',
    type: 'search',
    value: q,
    width: 'two-thirds',
  })
  const form = h(
    'form',
    { novalidate: true, role: 'search' },
    group,
    button('Search', { secondary: true }),
  )
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    location.assign(query({ q: search.value.trim(), page: 1 }))
  })
  const csv = button(`Download schools for ${cohortLabel(cohort)} (CSV)`, {
    secondary: true,
    type: 'button',
  })
  csv.addEventListener('click', () =>
    void download(
      `/partnerships.csv?${new URLSearchParams({ cohort: String(cohort) })}`,
      `schools-${cohort}.csv`,
    ))

  showPage(root, 'Your schools', [
    heading('Your schools'),
    me.cohorts.length > 1
      ? section(
        { element: 'nav', label: 'Academic years' },
        plainList(me.cohorts.map((c) =>
          c.start_year === cohort
            ? h('strong', { 'aria-current': 'page' }, `${cohortLabel(c.start_year)}`)
            : link(`?cohort=${c.start_year}`, cohortLabel(c.start_year))
        )),
      )
      : null,
    form,
    statusParagraph(
      q
        ? `${plural(found.total, 'school matches', 'schools match')} “${q}”`
        : plural(found.total, 'school', 'schools'),
    ),
    found.partnerships.length === 0
      ? paragraph(
        q
          ? 'There are no matching results.'
          : 'You have not reported any schools for this academic year.',
      )
      : table({
        caption: `Schools for ${cohortLabel(cohort)}`,
        head: ['School', 'URN', 'Delivery partner', 'Status', 'Email to the school'],
        rows: found.partnerships.map((p) => [
          link(`/provider/school?id=${p.partnership_id}`, p.school_name),
          p.urn,
          p.delivery_partner_name,
          p.status === 'challenged' ? tag('Reported a mistake', 'red') : tag('Confirmed', 'green'),
          emailStatusTag(p.email_status),
        ]),
      }),
    pages > 1 ? pagination(page, pages, (n) => query({ page: n }), 'Pages of schools') : null,
    found.total > 0 ? csv : null,
  ])
}
