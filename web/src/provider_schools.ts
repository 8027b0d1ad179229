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
  section,
  showPage,
  statusParagraph,
  table,
} from './portal_dom.ts'
import { emailStatusTag, partnershipStatusTag, schoolsWords as words } from './provider_words.ts'

export async function showSchools(root: HTMLElement): Promise<void> {
  const params = new URLSearchParams(location.search)
  const me = await getJson<Me>('/me')
  const cohort = Number(params.get('cohort')) || me.cohorts[0]?.start_year
  if (!cohort) {
    return showPage(root, words.title, [
      heading(words.title),
      paragraph(words.noneYet),
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
    label: words.searchLabel(cohort),
    hint: words.searchHint,
    type: 'search',
    value: q,
    width: 'two-thirds',
  })
  const form = h(
    'form',
    { novalidate: true, role: 'search' },
    group,
    button(words.search, { secondary: true }),
  )
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    location.assign(query({ q: search.value.trim(), page: 1 }))
  })
  const csv = button(words.download(cohort), {
    secondary: true,
    type: 'button',
  })
  csv.addEventListener('click', () =>
    void download(
      `/partnerships.csv?${new URLSearchParams({ cohort: String(cohort) })}`,
      `schools-${cohort}.csv`,
    ))

  showPage(root, words.title, [
    heading(words.title),
    me.cohorts.length > 1
      ? section(
        { element: 'nav', label: words.years },
        plainList(me.cohorts.map((c) =>
          c.start_year === cohort
            ? h('strong', { 'aria-current': 'page' }, `${cohortLabel(c.start_year)}`)
            : link(`?cohort=${c.start_year}`, cohortLabel(c.start_year))
        )),
      )
      : null,
    form,
    statusParagraph(words.found(found.total, q)),
    found.partnerships.length === 0 ? paragraph(q ? words.noMatches : words.noneThisYear) : table({
      caption: words.caption(cohort),
      head: [...words.head],
      rows: found.partnerships.map((p) => [
        link(`/provider/school?id=${p.partnership_id}`, p.school_name),
        p.urn,
        p.delivery_partner_name,
        partnershipStatusTag(p.status),
        emailStatusTag(p.email_status),
      ]),
    }),
    pages > 1 ? pagination(page, pages, (n) => query({ page: n }), words.pages) : null,
    found.total > 0 ? csv : null,
  ])
}
