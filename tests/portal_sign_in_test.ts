/**
 * The portals' sign-in page in real Chromium when the code cannot be sent: GOV.UK Notify (the
 * double, with a fault aimed at this person's address) refuses the email, so the Send Email Hook
 * fails and Auth says so, and the page shows a GOV.UK error summary at once instead of "Check your
 * email". Once Notify accepts again, asking again works. axe checks the error state.
 */
import assert from 'node:assert/strict'
import { assertAccessible, type Page, viewports, withBrowser } from './_browser.ts'
import { createUser, mailbox, stack } from './_stack.ts'

const notSent = 'We could not send a code to that email address. Try again in a few minutes'

async function refuseNextEmailTo(email: string): Promise<void> {
  const response = await fetch(`${stack.notifyUrl}/_double/faults`, {
    method: 'POST',
    body: JSON.stringify({ kind: '400', to: email }),
  })
  assert.equal(response.status, 201)
  await response.body?.cancel()
}

function heading(page: Page, text: string) {
  return page.getByRole('heading', { level: 1 }).filter({ hasText: text })
}

for (
  const [portal, title] of [
    ['provider', 'Sign in to report schools'],
    ['support', 'Sign in to the DfE support tools'],
  ] as const
) {
  Deno.test(`browser: the ${portal} sign-in page says so when Notify refuses to send the code`, async () => {
    const { email } = await createUser(`${portal}-refused`)
    await refuseNextEmailTo(email)

    await withBrowser(async (browser) => {
      const context = await browser.newContext({ viewport: viewports.desktop })
      const page = await context.newPage()
      await page.goto(`${stack.webUrl}/${portal}/sign-in`)
      await heading(page, title).waitFor()
      await page.getByLabel('Email address').fill(email)
      await page.getByRole('button', { name: 'Continue' }).click()

      const summary = page.getByRole('alert')
      await summary.getByRole('link', { name: notSent }).waitFor()
      assert.match(await summary.innerText(), /There is a problem/)
      assert.match(await page.title(), /^Error: Sign in/)
      await page.getByText('If it still does not work, email the Department for Education')
        .waitFor()
      assert.equal(await page.getByLabel('Email address').inputValue(), email)
      assert.equal(await heading(page, 'Check your email').count(), 0)
      await assertAccessible(page, 'code not sent')
      assert.deepEqual(await mailbox({ to: email }), [])

      // Notify accepts the next one: the person carries on as usual.
      await page.getByRole('button', { name: 'Continue' }).click()
      await heading(page, 'Check your email').waitFor()
      assert.equal((await mailbox({ to: email })).length, 1)
      await context.close()
    })
  })
}
