/**
 * Reporting partnerships through the API with the portal's own rule, `app.report_schools`: the
 * items of a request are grouped by cohort and delivery partner, each group goes through the
 * rule once (set-based, as a portal upload does), and every item gets its own answer with the
 * rule's own message. A refusal of a whole group (a delivery partner the provider does not work
 * with, an unknown cohort) answers each of its items and leaves the other groups alone.
 */
import type { Tx } from '../_shared/db.ts'
import { AppError, fromSqlRefusal } from '../_shared/errors.ts'
import type { ReportRow } from '../provider/provider_data.ts'
import { findPartnerships, findSchools, type PartnershipResource } from './api_data.ts'
import { type JsonApiError, jsonApiError } from './json_api.ts'
import type { PartnershipAttributes } from './schemas.ts'

export type ItemResult =
  | { status: '201'; data: PartnershipResource }
  | { status: string; errors: JsonApiError[] }

/** The rule's row errors (app.report_schools), with the status and code the API gives each. */
const rowErrors: Record<string, { status: number; code: string }> = {
  'URN is not valid': { status: 422, code: 'urn_not_valid' },
  'School not eligible for funding': {
    status: 422,
    code: 'school_not_eligible_for_funding',
  },
  'School not eligible for inductions': {
    status: 422,
    code: 'school_not_eligible_for_inductions',
  },
  'Your school - already confirmed': { status: 409, code: 'already_confirmed' },
  'Recruited by other provider': {
    status: 409,
    code: 'recruited_by_other_provider',
  },
}

function failed(status: number, code: string, detail: string): ItemResult {
  return {
    status: String(status),
    errors: [jsonApiError(status, code, detail)],
  }
}

/** Reports every item; answers in the order given. */
export async function reportPartnerships(
  tx: Tx,
  items: PartnershipAttributes[],
): Promise<ItemResult[]> {
  const results: (ItemResult | undefined)[] = Array.from({
    length: items.length,
  })
  const urnOf = await schoolUrns(tx, items)
  const groups = new Map<string, number[]>()
  items.forEach((item, index) => {
    const urn = item.urn ?? urnOf.get(item.school_id!)
    if (urn === undefined) {
      results[index] = failed(
        422,
        'school_not_found',
        'There is no school with that school_id',
      )
      return
    }
    const key = `${item.cohort}|${item.delivery_partner_id}`
    groups.set(key, [...(groups.get(key) ?? []), index])
  })

  const created: string[] = []
  const createdAt = new Map<number, string>()
  for (const indexes of groups.values()) {
    const { cohort, delivery_partner_id } = items[indexes[0]!]!
    const urns = indexes.map((index) => items[index]!.urn ?? urnOf.get(items[index]!.school_id!)!)
    let rows: ReportRow[]
    try {
      rows = await tx.savepoint((sp) =>
        sp<ReportRow[]>`
          select row_number, given, urn, school_name, error, partnership_id
          from app.report_schools(${cohort}, ${delivery_partner_id}::uuid, ${urns}::text[], false)`
      )
    } catch (error) {
      const refusal = fromSqlRefusal(error)
      if (!(refusal instanceof AppError)) throw refusal
      for (const index of indexes) {
        results[index] = failed(422, refusal.code, refusal.message)
      }
      continue
    }
    for (const row of rows) {
      const index = indexes[row.row_number - 1]!
      if (row.error !== null) {
        const known = rowErrors[row.error] ??
          { status: 422, code: 'not_reported' }
        results[index] = failed(known.status, known.code, row.error)
      } else if (row.partnership_id !== null) {
        created.push(row.partnership_id)
        createdAt.set(index, row.partnership_id)
      }
    }
  }

  const resources = new Map(
    (await findPartnerships(tx, created)).map((p) => [p.id, p]),
  )
  return results.map((result, index) => {
    if (result) return result
    const data = resources.get(createdAt.get(index) ?? '')
    // The rule keeps the first of a URN given twice and gives the later ones no row.
    return data ? { status: '201', data } : failed(
      422,
      'duplicate_in_request',
      'This school is already in this request',
    )
  })
}

async function schoolUrns(
  tx: Tx,
  items: PartnershipAttributes[],
): Promise<Map<string, string>> {
  const ids = [...new Set(items.flatMap((item) => item.school_id ?? []))]
  if (ids.length === 0) return new Map()
  const schools = await findSchools(tx, { ids })
  return new Map(schools.map((school) => [school.id, school.attributes.urn]))
}
