/**
 * Reporting schools: `POST /provider/reports/check` runs the report rule without changing
 * anything and `POST /provider/reports` records the valid rows; both answer one row per line
 * given, with the rule's own error messages; `POST /provider/reports/check/errors.csv` answers
 * the check's rows with errors as a CSV file. The list comes as URNs or as the text of a CSV.
 */
import { Hono } from 'hono'
import type { UserEnv } from '../_shared/auth.ts'
import type { Database, Tx, UserClaims } from '../_shared/db.ts'
import { formatCsv } from '../_shared/csv.ts'
import { AppError } from '../_shared/errors.ts'
import { validated } from '../_shared/http.ts'
import { asProvider } from './as_provider.ts'
import {
  findDeliveryPartner,
  type ReportRow,
  reportSchools,
  withSchoolEmails,
} from './provider_data.ts'
import { type ReportSchools, reportSchoolsSchema } from './schemas.ts'
import { parseUrnList } from './urn_list.ts'
import { trustsOfUrns } from './trusts.ts'

export const reportsRoutes = (database: Database) =>
  new Hono<UserEnv>()
    .post('/reports/check', validated('json', reportSchoolsSchema), async (c) => {
      return c.json(await report(database, c.var.claims, c.req.valid('json'), true))
    })
    .post('/reports', validated('json', reportSchoolsSchema), async (c) => {
      return c.json(await report(database, c.var.claims, c.req.valid('json'), false))
    })
    // The check's rows with errors as a file, for a list too long to fix from the screen.
    .post('/reports/check/errors.csv', validated('json', reportSchoolsSchema), async (c) => {
      const { rows } = await report(database, c.var.claims, c.req.valid('json'), true)
      const csv = formatCsv([
        ['row', 'your_data', 'school', 'error'],
        ...rows.filter((row) => row.error !== null)
          .map((row) => [row.row_number, row.given, row.school_name, row.error]),
      ], { byteOrderMark: true })
      return c.body(csv, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="rows-with-errors.csv"',
      })
    })

async function report(
  database: Database,
  claims: UserClaims,
  body: ReportSchools,
  checkOnly: boolean,
) {
  const urns = body.urns ?? urnsFromCsv(body.csv ?? '')
  // The rule's refusals (a delivery partner the provider does not work with, say) are SQL
  // exceptions that the shared error handler turns into 4xx answers.
  return await asProvider(database, claims, async (tx) => {
    const rows = await reportSchools(tx, {
      cohort: body.cohort,
      deliveryPartnerId: body.delivery_partner_id,
      urns,
      checkOnly,
    })
    const partner = await findDeliveryPartner(tx, body.delivery_partner_id) ??
      noSuchDeliveryPartner()
    // The trusts the valid schools belong to, so the check page can ask about each.
    const validUrns = rows.flatMap((row) => row.error === null && row.urn ? [row.urn] : [])
    return {
      cohort: body.cohort,
      delivery_partner: partner,
      check_only: checkOnly,
      counts: counts(rows),
      rows,
      not_emailed: checkOnly ? [] : await notEmailed(tx, rows),
      trusts: await trustsOfUrns(tx, validUrns),
    }
  })
}

/**
 * The schools just reported that we cannot email (no induction tutor, no GIAS address): the
 * provider must be told, as those schools will never hear of the report from us.
 */
async function notEmailed(tx: Tx, rows: ReportRow[]) {
  const reported = rows.flatMap((row) =>
    row.partnership_id === null
      ? []
      : [{ partnership_id: row.partnership_id, urn: row.urn, school_name: row.school_name }]
  )
  return (await withSchoolEmails(tx, reported))
    .filter((school) => school.email_status === 'no_address')
    .map(({ partnership_id, urn, school_name }) => ({ partnership_id, urn, school_name }))
}

/**
 * The rule refuses a delivery partner the provider does not work with, so one that is gone
 * altogether cannot get this far; the answer must never lack the partner's name all the same.
 */
function noSuchDeliveryPartner(): never {
  throw new AppError(422, 'delivery_partner_not_found', 'Choose a delivery partner')
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
