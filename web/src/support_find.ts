/// <reference lib="dom" />
/**
 * "Find a school": search by URN or part of the name, and the matching schools as a list to pick
 * from. The search is in the page's address (`?q=`), so back and bookmarks work.
 */
import {
  button,
  errorSummary,
  h,
  heading,
  inputField,
  link,
  paragraph,
  showPage,
  statusParagraph,
  table,
} from './portal_dom.ts'
import { getJson, type SchoolSearch, type SupportUser } from './support_api.ts'
import { findWords as words } from './support_words.ts'

/** As the function allows. */
const maxQueryLength = 200

export async function showFindSchool(root: HTMLElement): Promise<void> {
  const q = (new URLSearchParams(location.search).get('q') ?? '').trim().slice(0, maxQueryLength)
  // Asked first, so someone who may not use the tools is told so before they search.
  const { user } = await getJson<{ user: SupportUser }>('/me')
  const found = q ? await getJson<SchoolSearch>(`/schools?${new URLSearchParams({ q })}`) : null
  render({ root, user }, q, found)
}

type FindPage = { root: HTMLElement; user: SupportUser }

function render(page: FindPage, q: string, found: SchoolSearch | null, error?: string): void {
  const { root, user } = page
  const { group, control: input } = inputField({
    id: 'q',
    label: words.label,
    hint: words.hint,
    error,
    type: 'search',
    spellcheck: false,
    value: q,
    width: 'two-thirds',
  })
  const form = h('form', { novalidate: true, role: 'search' }, group, button(words.search))
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const wanted = input.value.trim()
    if (!wanted) return render(page, '', null, words.required)
    location.assign(`?${new URLSearchParams({ q: wanted.slice(0, maxQueryLength) })}`)
  })
  showPage(root, words.title, [
    errorSummary(error ? [{ field: 'q', text: error }] : []),
    heading(words.title),
    paragraph(words.signedInAs(user.full_name, user.email)),
    form,
    found ? results(q, found) : null,
  ], { hasErrors: Boolean(error) })
}

function results(q: string, { limit, schools: found }: SchoolSearch): HTMLElement {
  return h(
    'div',
    {},
    statusParagraph(words.found(found.length, q)),
    found.length === 0 ? null : table({
      caption: words.caption,
      head: [...words.head],
      rows: found.map((school) => [
        link(`/support/school?urn=${encodeURIComponent(school.urn)}`, school.name),
        school.urn,
        school.local_authority ?? words.noLocalAuthority,
        String(school.partnerships),
      ]),
    }),
    found.length === limit ? paragraph(words.limited(limit)) : null,
  )
}
