/// <reference lib="dom" />
/**
 * Starts a portal's script: every portal page names itself in `data-app-portal-page` and this
 * shows it. A failure ends on a page that says what to do: the portal's own "you cannot use
 * this" page when its function refuses the person, else GOV.UK's "there is a problem" page.
 */
import { ApiError } from './portal_api.ts'
import { enterPreview } from './portal_preview.ts'
import { problemWords as words } from './portal_words.ts'
import { type Child, heading, paragraph, showPage } from './portal_dom.ts'

export type PortalPage = (root: HTMLElement) => void | Promise<void>

export type PortalPages = {
  pages: Record<string, PortalPage>
  /** The function's error code for a signed-in person who may not use this portal. */
  notAllowedCode: string
  notAllowed: { title: string; body: Child[] }
}

export function startPortal(portal: PortalPages): void {
  enterPreview()
  const root = document.querySelector<HTMLElement>('[data-app-portal-page]')
  if (root) void show(root, portal)
}

async function show(root: HTMLElement, portal: PortalPages): Promise<void> {
  const page = portal.pages[root.dataset.appPortalPage ?? '']
  try {
    if (!page) throw new Error('unknown portal page')
    await page(root)
  } catch (failure) {
    if (failure instanceof ApiError && failure.code === portal.notAllowedCode) {
      const { title, body } = portal.notAllowed
      showPage(root, title, [heading(title), ...body])
      return
    }
    showPage(root, words.title, [
      heading(words.title),
      paragraph(words.tryLater),
      paragraph(words.nothingLost),
    ])
  }
}
