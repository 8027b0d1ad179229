/**
 * Reporting schools: `POST /provider/reports/check` runs the report rule without changing
 * anything and `POST /provider/reports` records the valid rows; both answer one row per line
 * given, with the rule's own error messages. The list comes as URNs or as the text of a CSV.
 */
import { Hono } from 'hono'
import type { UserEnv } from '../_shared/auth.ts'
import type { UserClaims } from '../_shared/db.ts'
import { AppError } from '../_shared/errors.ts'
import { validated } from '../_shared/http.ts'
import { asProvider } from './as_provider.ts'
import { findDeliveryPartner, type ReportRow, reportSchools } from './provider_data.ts'
import { type ReportSchools, reportSchoolsSchema } from './schemas.ts'
import { parseUrnList } from './urn_list.ts'
import { trustsOfUrns } from './trusts.ts'

export const reportsRoutes = new Hono<UserEnv>()
  .post('/reports/check', validated('json', reportSchoolsSchema), async (c) => {
    return c.json(await report(c.var.claims, c.req.valid('json'), true))
  })
  .post('/reports', validated('json', reportSchoolsSchema), async (c) => {
    return c.json(await report(c.var.claims, c.req.valid('json'), false))
  })

async function report(
  claims: UserClaims,
  body: ReportSchools,
  checkOnly: boolean,
) {
  const urns = body.urns ?? urnsFromCsv(body.csv ?? '')
  // The rule's refusals (a delivery partner the provider does not work with, say) are SQL
  // exceptions that the shared error handler turns into 4xx answers.
  return await asProvider(claims, async (tx) => {
    const rows = await reportSchools(tx, {
      cohort: body.cohort,
      deliveryPartnerId: body.delivery_partner_id,
      urns,
      checkOnly,
    })
    const partner = await findDeliveryPartner(tx, body.delivery_partner_id)
    // The trusts the valid schools belong to, so the check page can ask about each.
    const validUrns = rows.flatMap((row) => row.error === null && row.urn ? [row.urn] : [])
    return {
      cohort: body.cohort,
      delivery_partner: partner,
      check_only: checkOnly,
      counts: counts(rows),
      rows,
      trusts: await trustsOfUrns(tx, validUrns),
    }
  })
}

function urnsFromCsv(csv: string): string[] {
  const parsed = parseUrnList(csv)
  if (!parsed.ok) {
    throw new AppError(parsed.code === 'file_too_large' ? 413 : 422, parsed.code, parsed.message)
  }
  return parsed.urns
}

function counts(rows: ReportRow[]) {
  const errors = rows.filter((row) => row.error !== null).length
  return {
    rows: rows.length,
    errors,
    valid: rows.length - errors,
    confirmed: rows.filter((row) => row.partnership_id !== null).length,
  }
}
