/// <reference lib="dom" />
/**
 * The school (`?urn=`) and partnership (`&id=`) a support page's address names, loaded from the
 * `support` function; when there is no such school or partnership, the page says so and offers
 * the search instead.
 */
import { heading, link, paragraph, showPage } from './portal_dom.ts'
import { type SchoolPartnership, type SchoolRecord, schoolRecord } from './support_api.ts'
import { notFoundWords as words } from './support_words.ts'

export type Target = { record: SchoolRecord; partnership: SchoolPartnership; schoolHref: string }

export function schoolHref(urn: string): string {
  return `/support/school?urn=${encodeURIComponent(urn)}`
}

/** `?urn=`'s school record, or null once the page says it was not found. */
export async function loadSchool(root: HTMLElement): Promise<SchoolRecord | null> {
  const urn = new URLSearchParams(location.search).get('urn') ?? ''
  const record = urn ? await schoolRecord(urn) : null
  if (!record) showNotFound(root, words.school)
  return record
}

/** `?urn=`'s school and its partnership `?id=`, or null once the page says it was not found. */
export async function loadTarget(root: HTMLElement): Promise<Target | null> {
  const record = await loadSchool(root)
  if (!record) return null
  const id = new URLSearchParams(location.search).get('id')
  const partnership = record.partnerships.find((p) => p.partnership_id === id)
  if (!partnership) {
    showNotFound(root, words.partnership)
    return null
  }
  return { record, partnership, schoolHref: schoolHref(record.school.urn) }
}

function showNotFound(root: HTMLElement, title: string): void {
  showPage(root, title, [
    heading(title),
    paragraph(words.check, link('/support', words.find), words.byUrn),
  ])
}
