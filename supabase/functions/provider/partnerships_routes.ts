/**
 * The lead provider's schools: `GET /provider/partnerships` (one cohort, searchable, a page at a
 * time), `GET /provider/partnerships.csv` (the download) and `GET /provider/partnerships/:id`
 * (one school). Another provider's partnership is simply not found.
 */
import { Hono } from 'hono'
import type { UserEnv } from '../_shared/auth.ts'
import type { Database } from '../_shared/db.ts'
import { formatCsv } from '../_shared/csv.ts'
import { AppError } from '../_shared/errors.ts'
import { validated } from '../_shared/http.ts'
import { asProvider } from './as_provider.ts'
import {
  allPartnerships,
  findPartnership,
  listPartnerships,
  withSchoolEmails,
} from './provider_data.ts'
import { partnershipParamSchema, partnershipsQuerySchema } from './schemas.ts'

export const pageSize = 20

/** `YYYY-MM-DD` on the date people in England saw it happen. */
const londonDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' })

export const partnershipsRoutes = (database: Database) =>
  new Hono<UserEnv>()
    .get('/partnerships', validated('query', partnershipsQuerySchema), async (c) => {
      const { cohort, q, page } = c.req.valid('query')
      const found = await asProvider(database, c.var.claims, async (tx, provider) => {
        const { total, partnerships } = await listPartnerships(
          tx,
          { leadProviderId: provider.lead_provider_id, cohort, search: q },
          { limit: pageSize, offset: (page - 1) * pageSize },
        )
        return { total, partnerships: await withSchoolEmails(tx, partnerships) }
      })
      return c.json({ cohort, q, page, page_size: pageSize, ...found })
    })
    .get('/partnerships.csv', validated('query', partnershipsQuerySchema), async (c) => {
      const { cohort, q } = c.req.valid('query')
      const partnerships = await asProvider(
        database,
        c.var.claims,
        (tx, provider) =>
          allPartnerships(tx, { leadProviderId: provider.lead_provider_id, cohort, search: q }),
      )
      const csv = formatCsv([
        ['urn', 'school_name', 'delivery_partner', 'status', 'challenge_reason', 'reported_on'],
        ...partnerships.map((p) => [
          p.urn,
          p.school_name,
          p.delivery_partner_name,
          p.status === 'challenged' ? 'Reported a mistake' : 'Confirmed',
          p.challenge_reason_label,
          londonDate.format(p.reported_at),
        ]),
      ], { byteOrderMark: true })
      return c.body(csv, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="schools-${cohort}.csv"`,
      })
    })
    .get('/partnerships/:id', validated('param', partnershipParamSchema), async (c) => {
      const { id } = c.req.valid('param')
      const partnership = await asProvider(database, c.var.claims, async (tx, provider) => {
        const found = await findPartnership(tx, provider.lead_provider_id, id)
        return found && (await withSchoolEmails(tx, [found]))[0]
      })
      if (!partnership) {
        throw new AppError(404, 'partnership_not_found', 'We could not find that school')
      }
      return c.json(partnership)
    })
