/**
 * Trusts in the provider's journey, against the running stack: the check answer lists each
 * multi-academy trust among the valid schools with its size; in real Chromium the confirm step
 * names each trust, says how many of its schools are being reported (following removals) and asks
 * the provider to make sure the trust has told each school, with axe and 320 px reflow clean;
 * and the school's first email names its trust.
 */
import assert from 'node:assert/strict'
import type postgres from 'postgres'
import { assertAccessible, type Page, viewports, withBrowser } from './_browser.ts'
import { connect, latestSignInCode, stack, waitForEmail } from './_stack.ts'
import {
  callProvider,
  createProviderWorld,
  createSchools,
  type ProviderWorld,
  type TestSchool,
} from './provider_world.ts'

type Trusts = {
  oak: TestSchool[]
  elm: TestSchool[]
  single: TestSchool
  oakName: string
  elmName: string
}

/** Oak trust has 3 open schools (and a closed one), Elm trust 2; one school is in no trust. */
async function createTrusts(sql: postgres.Sql): Promise<Trusts> {
  const tag = crypto.randomUUID().slice(0, 8)
  const oak = await createSchools(sql, 4)
  const elm = await createSchools(sql, 2)
  const [single] = await createSchools(sql, 1)
  const oakName = `Oak Learning Trust ${tag}`
  const elmName = `Elm Academies Trust ${tag}`
  const join = async (schools: TestSchool[], uid: string, name: string) => {
    await sql`
      update public.schools set trust_uid = ${uid}, trust_name = ${name},
        trust_type = 'multi_academy_trust'
      where school_id = any(${schools.map((s) => s.id)}::uuid[])`
  }
  await join(oak, `OAK${tag}`, oakName)
  await join(elm, `ELM${tag}`, elmName)
  await sql`update public.schools set status = 'closed' where school_id = ${oak[3]!.id}`
  return { oak: oak.slice(0, 3), elm, single: single!, oakName, elmName }
}

async function withWorld(fn: (w: ProviderWorld, t: Trusts) => Promise<void>): Promise<void> {
  const w = await createProviderWorld({ schools: 0 })
  const sql = connect()
  try {
    await fn(w, await createTrusts(sql))
  } finally {
    await sql.end()
  }
}

Deno.test('POST /provider/reports/check lists the trusts of the valid schools with their size', async () => {
  await withWorld(async (w, t) => {
    const urns = [t.oak[0]!.urn, t.oak[1]!.urn, t.elm[0]!.urn, t.elm[1]!.urn, t.single.urn, '1X']
    const answer = await callProvider('/reports/check', {
      token: w.a.accessToken,
      body: { cohort: w.cohort, delivery_partner_id: w.a.deliveryPartner.id, urns },
    })
    assert.equal(answer.status, 200, answer.text)
    const trusts = (answer.body as { trusts: { trust_name: string }[] }).trusts
    assert.deepEqual(
      trusts.map((trust) => ({ ...trust, trust_uid: undefined })),
      [
        {
          trust_uid: undefined,
          trust_name: t.elmName,
          school_count: 2,
          listed_urns: [t.elm[0]!.urn, t.elm[1]!.urn].sort(),
        },
        {
          trust_uid: undefined,
          trust_name: t.oakName,
          school_count: 3,
          listed_urns: [t.oak[0]!.urn, t.oak[1]!.urn].sort(),
        },
      ],
    )
  })
})

function mainText(page: Page): Promise<string> {
  return page.getByRole('main').innerText().then((text) => text.replace(/\s+/g, ' '))
}

Deno.test(
  'browser: the confirm step names each trust, how many of its schools are reported, and asks ' +
    'that the trust has told each school; the school’s email names its trust',
  async () => {
    await withWorld(async (w, t) => {
      await withBrowser(async (browser) => {
        const context = await browser.newContext({ viewport: viewports.desktop })
        context.setDefaultTimeout(15_000)
        const page = await context.newPage()
        await page.goto(`${stack.webUrl}/provider/schools?cohort=${w.cohort}`)
        await page.waitForURL(/\/provider\/sign-in\?next=/)
        await page.getByLabel('Email address').fill(w.a.user.email)
        await page.getByRole('button', { name: 'Continue' }).click()
        await page.getByRole('heading', { name: 'Check your email' }).waitFor()
        await page.getByLabel('Code').fill(await latestSignInCode(w.a.user.email))
        await page.getByRole('button', { name: 'Sign in' }).click()
        await page.waitForURL(`${stack.webUrl}/provider/schools?cohort=${w.cohort}`)
        await page.getByRole('link', { name: 'Home', exact: true }).click()
        await page.getByRole('link', { name: `Report schools for ${w.cohort} to ${w.cohort + 1}` })
          .click()
        await page.getByRole('heading', { name: 'Choose the delivery partner' }).waitFor()
        await page.getByLabel(w.a.deliveryPartner.name).check()
        await page.getByRole('button', { name: 'Continue' }).click()
        await page.getByRole('heading', { name: 'Upload a CSV of school URNs' }).waitFor()
        const listed = [t.oak[0]!, t.oak[1]!, t.elm[0]!, t.elm[1]!, t.single]
        await page.getByLabel('Or paste the URNs').fill(listed.map((s) => s.urn).join('\n'))
        await page.getByRole('button', { name: 'Continue' }).click()
        await page.getByRole('heading', { name: /Confirm that you have an agreement with 5/ })
          .waitFor()

        let main = await mainText(page)
        assert.ok(
          main.includes(
            `${t.oakName} is a multi-academy trust. You are reporting 2 of the 3 schools in this trust.`,
          ),
          main,
        )
        assert.ok(
          main.includes(
            `${t.elmName} is a multi-academy trust. You are reporting all 2 schools in this trust.`,
          ),
          main,
        )
        assert.ok(
          main.includes(
            `Before you confirm, make sure ${t.oakName} has told each of these schools that you ` +
              'will deliver their early career teacher training.',
          ),
          main,
        )
        await assertAccessible(page, 'confirm step with trusts')

        // The notices follow the list: remove one Oak school and both Elm schools.
        for (const school of [t.oak[1]!, t.elm[0]!, t.elm[1]!]) {
          await page.getByRole('button', { name: `Remove ${school.name}` }).click()
          await page.getByText(`${school.name} has been removed`).waitFor()
        }
        main = await mainText(page)
        assert.ok(main.includes('You are reporting 1 of the 3 schools in this trust.'), main)
        assert.ok(!main.includes(t.elmName), main)

        await page.getByRole('button', { name: 'Confirm' }).click()
        await page.getByRole('heading', { name: /2 schools confirmed/ }).waitFor()
      })
      const email = await waitForEmail(`office@${t.oak[0]!.urn}.example.test`)
      assert.ok(email.body.includes(`${t.oak[0]!.name} is part of ${t.oakName}.`), email.body)
      const plain = await waitForEmail(`office@${t.single.urn}.example.test`)
      assert.ok(!plain.body.includes('is part of'), plain.body)
    })
  },
)
