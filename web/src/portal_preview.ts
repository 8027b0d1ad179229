/// <reference lib="dom" />
/**
 * A portal page's preview: one state of the page shown by the portal's own script, with the
 * function's answers taken from a page fixture (`web/fixtures/<portal>/<state>.json`) that the
 * build writes into the page (`data-app-preview-fixture`) instead of asked for over the network.
 * The build makes these pages only for previews (`web/portal_preview_build.ts`); a live page has
 * no fixture, and this module then changes nothing.
 */

/** One state of one portal page, as the function would answer for it. */
export type PortalFixture = {
  /** The page (`data-app-portal-page`): "dashboard", "schools", "find-school"... */
  page: string
  /** What the preview index calls this state. */
  title: string
  /** The page's query string, as a link to this state would carry it: "?id=...". */
  search?: string
  /** A journey's step, as the browser's history would hold it (reporting schools). */
  state?: unknown
  /** The function's answers by path and query ("/me", "/partnerships?cohort=2026&q=&page=1"). */
  answers: Record<string, unknown>
  /**
   * The function's refusals by path and query, for states that come of one (no access, a
   * problem): the status and the error code and message the function would send.
   */
  refusals?: Record<string, { status: number; code: string; message: string }>
}

let fixture: PortalFixture | null | undefined

/** The fixture this page previews, or null on a live page. */
export function previewFixture(): PortalFixture | null {
  if (fixture === undefined) {
    const carrier = document.querySelector<HTMLElement>('[data-app-preview-fixture]')
    fixture = carrier ? JSON.parse(carrier.dataset.appPreviewFixture!) as PortalFixture : null
  }
  return fixture
}

/** Puts the fixture's address and journey step in place before the page reads them. */
export function enterPreview(): void {
  const found = previewFixture()
  if (found) history.replaceState(found.state ?? null, '', found.search ?? location.search)
}

/**
 * The fixture's answer to a call as a response: by path and query, else by path alone, a
 * refusal first; a path the fixture does not answer gets the function's 404, so a gap in a
 * fixture shows.
 */
export function previewResponse(found: PortalFixture, path: string): Response {
  const refusal = found.refusals?.[path] ?? found.refusals?.[path.split('?')[0]!]
  if (refusal) {
    const { status, code, message } = refusal
    return Response.json({ error: { code, message } }, { status })
  }
  const answer = found.answers[path] ?? found.answers[path.split('?')[0]!]
  return answer === undefined
    ? Response.json({ error: { code: 'not_found', message: 'Not in the fixture' } }, {
      status: 404,
    })
    : Response.json(answer)
}
