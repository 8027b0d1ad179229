/**
 * A benchmark's world: one lead provider with a user, one delivery partner and `count` open
 * schools with a GIAS address each, made by the tests' world builder (tests/world.ts) in a few
 * statements, in the shape the tests' helpers (tests/_notifications_world.ts) take, so a benchmark
 * reports schools as the portal does.
 */
import type postgres from 'postgres'
import * as insert from '../tests/world.ts'

export type BenchWorld = Awaited<ReturnType<typeof createBenchWorld>>

/** A lead provider, delivery partner and `count` eligible schools, made in a few statements. */
export async function createBenchWorld(sql: postgres.Sql, count: number) {
  const cohortId = (await insert.cohort(sql, {
    startYear: 2026,
    earliestChallengeDeadline: '2026-10-31',
  }, 'reuse'))!
  const leadProviderId = await insert.leadProvider(sql, 'Bench Lead Provider')
  const deliveryPartnerId = await insert.deliveryPartner(sql, 'Bench Delivery Partner')
  await insert.relationships(sql, leadProviderId, [deliveryPartnerId], cohortId)
  const email = 'bench@provider.example.test'
  const userId = await insert.authUser(sql, email)
  await insert.providerUser(sql, { userId, leadProviderId, email, fullName: 'Bench User' })
  const urns = await insert.schools(
    sql,
    Array.from({ length: count }, (_, index) => ({
      urn: String(90_000_001 + index),
      name: `Bench School ${index + 1}`,
      giasEmail: `office-${index + 1}@school.example.test`,
      localAuthority: 'Bench Borough',
    })),
  )
  return {
    label: 'bench',
    leadProvider: { id: leadProviderId, name: 'Bench Lead Provider' },
    deliveryPartner: { id: deliveryPartnerId, name: 'Bench Delivery Partner' },
    users: [{ id: userId, email }],
    schools: urns.map(({ urn }) => ({
      id: '',
      urn,
      name: '',
      giasEmail: null,
    })),
  }
}
