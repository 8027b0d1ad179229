/**
 * Finding a school: `GET /support/schools?q=` (by URN or part of its name) and
 * `GET /support/schools/:urn` (its partnerships, their events and every email, and the reasons
 * support may report a mistake for, so the pages offer exactly the school journey's).
 */
import { Hono } from 'hono'
import type { UserEnv } from '../_shared/auth.ts'
import type { Database } from '../_shared/db.ts'
import { AppError } from '../_shared/errors.ts'
import { validated } from '../_shared/http.ts'
import { readChallengeReasons } from '../_shared/challenge_reasons.ts'
import { findSchool, schoolPartnerships, searchSchools } from './support_data.ts'
import { schoolSearchSchema, urnParamSchema } from './schemas.ts'

/** The most matches a search answers; the pages ask for more of the name beyond that. */
export const searchLimit = 50

export const schoolsRoutes = (database: Database) =>
  new Hono<UserEnv>()
    .get('/schools', validated('query', schoolSearchSchema), async (c) => {
      const { q } = c.req.valid('query')
      const schools = await database.withSupportUser(c.var.claims, (tx) =>
        searchSchools(tx, q, searchLimit))
      return c.json({ q, limit: searchLimit, schools })
    })
    .get('/schools/:urn', validated('param', urnParamSchema), async (c) => {
      const { urn } = c.req.valid('param')
      const found = await database.withSupportUser(c.var.claims, async (tx) => {
        const school = await findSchool(tx, urn)
        return school &&
          {
            school,
            partnerships: await schoolPartnerships(tx, school.school_id),
            reasons: await readChallengeReasons(tx),
          }
      })
      if (!found) {
        throw new AppError(
          404,
          'school_not_found',
          'We could not find a school with that URN',
        )
      }
      const { school_id: _, ...school } = found.school
      return c.json({ school, partnerships: found.partnerships, reasons: found.reasons })
    })
