/**
 * Helpers for the database tests: a connection to the stack's migrated database (tests/_stack.ts, as
 * `postgres`, which is not a superuser, as on hosted), transactions that always roll back, acting
 * as the roles the platform uses, and a small world of providers, users and schools with names
 * unique to the test, made with the one world builder (tests/world.ts).
 */
import postgres from 'postgres'
import { stack } from '../../tests/_stack.ts'
import * as insert from '../../tests/world.ts'

export type Sql = postgres.Sql
export type Tx = postgres.TransactionSql

/**
 * The platform's database roles, and ours: `app_user` for signed-in users' queries from the
 * functions (_shared/db.ts `withUser`), `analyst` for MI.
 */
export type DatabaseRole =
  | 'anon'
  | 'authenticated'
  | 'app_user'
  | 'app_support_user'
  | 'service_role'
  | 'analyst'

const rollback = Symbol('rollback')

/** `applicationName` tags the connections, so a test can find its own in pg_stat_activity. */
export function connect(max = 1, applicationName = 'database tests'): Sql {
  return postgres(stack.databaseUrl, {
    max,
    onnotice: () => {},
    connection: { application_name: applicationName },
  })
}

/** A Deno test with its own connection, closed afterwards. */
export function dbTest(name: string, fn: (sql: Sql) => Promise<void>, max = 1): void {
  Deno.test(name, async () => {
    const sql = connect(max)
    try {
      await fn(sql)
    } finally {
      await sql.end()
    }
  })
}

/** A Deno test run in a transaction of its own that is rolled back whatever happens. */
export function txTest(name: string, fn: (tx: Tx) => Promise<void>): void {
  dbTest(name, (sql) => rolledBack(sql, fn))
}

/** The same, with a fresh `createWorld` in the transaction. */
export function worldTest(name: string, fn: (tx: Tx, world: World) => Promise<void>): void {
  txTest(name, async (tx) => await fn(tx, await createWorld(tx)))
}

/** Runs `fn` in a transaction that is rolled back whatever happens, and returns its result. */
export async function rolledBack<T>(sql: Sql, fn: (tx: Tx) => Promise<T>): Promise<T> {
  let result: T | undefined
  try {
    await sql.begin(async (tx) => {
      result = await fn(tx)
      throw rollback
    })
  } catch (error) {
    if (error !== rollback) throw error
  }
  return result as T
}

/**
 * Acts, until the transaction ends or `actAsOwner`, as PostgREST (or `withUser`) does for a
 * request: the role, and the JWT claims that auth.uid() reads. A user's token says `authenticated`
 * even when the functions run their queries as `app_user` or `app_support_user`.
 */
export async function actAs(tx: Tx, role: DatabaseRole, userId?: string): Promise<void> {
  const jwtRole = role === 'app_user' || role === 'app_support_user' ? 'authenticated' : role
  const claims = userId ? { sub: userId, role: jwtRole } : { role: jwtRole }
  await tx`select set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`
  await tx.unsafe(`set local role ${role}`)
}

export async function actAsOwner(tx: Tx): Promise<void> {
  await tx`reset role`
  await tx`select set_config('request.jwt.claims', '', true)`
}

/** The error a statement raises, inside a savepoint so the transaction carries on. */
export async function errorOf(tx: Tx, fn: (sp: Tx) => Promise<unknown>): Promise<PostgresError> {
  try {
    await tx.savepoint(fn)
  } catch (error) {
    if (error instanceof postgres.PostgresError) return error
    throw error
  }
  throw new Error('Expected the statement to fail, but it succeeded.')
}

export type PostgresError = postgres.PostgresError

/** A unique suffix for names, so tests can share one database. */
export function unique(): string {
  return crypto.randomUUID().slice(0, 8)
}

/** A URN no real school or other test uses: 8 digits, starting with 9. */
export function uniqueUrn(): string {
  return String(90_000_000 + Math.floor(Math.random() * 9_999_999))
}

/** The builder's, under the names these tests have always used. */
export const createUser = insert.authUser
export const createLinkToken = insert.linkToken

export interface School {
  schoolId: string
  urn: string
  name: string
}

export type SchoolSpec = Omit<insert.SchoolRow, 'urn'> & {
  tutor?: { fullName: string; email: string }
}

export async function createSchool(tx: Tx | Sql, spec: SchoolSpec = {}): Promise<School> {
  const { tutor, ...row } = spec
  const [school] = await insert.schools(tx, [{ urn: uniqueUrn(), ...row }])
  if (tutor) await insert.inductionTutor(tx, { schoolId: school!.id, ...tutor })
  return { schoolId: school!.id, urn: school!.urn, name: school!.name }
}

export interface Provider {
  leadProviderId: string
  name: string
  /** Related to this lead provider in the world's cohort. */
  deliveryPartnerId: string
  deliveryPartnerName: string
  userId: string
  userEmail: string
}

export interface World {
  cohortId: string
  startYear: number
  a: Provider
  b: Provider
  /** A second user of lead provider A. */
  a2UserId: string
  supportUserId: string
  /** Signed in, but neither a provider user nor a support user. */
  nobodyUserId: string
}

export interface WorldOptions {
  earliestChallengeDeadline?: string | null
}

/**
 * Lead providers A and B, each with a delivery partner related to it in a fresh cohort and a user
 * (A has two), a support user and a signed-in user with no role. Created as the owner.
 */
export async function createWorld(tx: Tx | Sql, options: WorldOptions = {}): Promise<World> {
  const id = unique()
  const startYear = 2100 + Math.floor(Math.random() * 7800)
  const cohortId = (await insert.cohort(tx, {
    startYear,
    earliestChallengeDeadline: options.earliestChallengeDeadline,
  }))!

  const providerUser = async (letter: string, leadProviderId: string) => {
    const userEmail = `user-${letter.toLowerCase()}-${id}@provider.example.test`
    const userId = await insert.authUser(tx, userEmail)
    await insert.providerUser(tx, { userId, leadProviderId, email: userEmail })
    return { userId, userEmail }
  }
  const provider = async (letter: string): Promise<Provider> => {
    const name = `Lead Provider ${letter} ${id}`
    const deliveryPartnerName = `Delivery Partner ${letter} ${id}`
    const leadProviderId = await insert.leadProvider(tx, name)
    const deliveryPartnerId = await insert.deliveryPartner(tx, deliveryPartnerName)
    await insert.relationships(tx, leadProviderId, [deliveryPartnerId], cohortId)
    const user = await providerUser(letter, leadProviderId)
    return { leadProviderId, deliveryPartnerId, name, deliveryPartnerName, ...user }
  }

  const a = await provider('A')
  const b = await provider('B')
  const { userId: a2UserId } = await providerUser('A2', a.leadProviderId)

  const supportEmail = `support-${id}@education.example.test`
  const supportUserId = await insert.authUser(tx, supportEmail)
  await insert.supportUser(tx, { userId: supportUserId, email: supportEmail })
  const nobodyUserId = await insert.authUser(tx, `nobody-${id}@example.test`)

  return { cohortId, startYear, a, b, a2UserId, supportUserId, nobodyUserId }
}

export interface ReportRow {
  rowNumber: number
  given: string
  urn: string | null
  schoolName: string | null
  error: string | null
  partnershipId: string | null
}

/** Calls app.report_schools as the given provider user, then returns to the owner. */
export async function reportAs(
  tx: Tx,
  userId: string,
  world: World,
  deliveryPartnerId: string,
  urns: string[],
  checkOnly = false,
): Promise<ReportRow[]> {
  await actAs(tx, 'app_user', userId)
  const rows = await tx<ReportRow[]>`
    select
      row_number as "rowNumber", given, urn, school_name as "schoolName", error,
      partnership_id as "partnershipId"
    from app.report_schools(${world.startYear}, ${deliveryPartnerId}, ${urns}, ${checkOnly})`
  await actAsOwner(tx)
  return [...rows]
}

/** Runs `fn` as service_role (the edge functions' role), then returns to the owner. */
export async function asService<T>(tx: Tx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  await actAs(tx, 'service_role')
  const result = await fn(tx)
  await actAsOwner(tx)
  return result
}

/** Calls app.challenge_by_support as the world's support user, then returns to the owner. */
export async function challengeBySupport(
  tx: Tx,
  world: World,
  partnershipId: string,
  reason = 'mistake',
  note: string | null = null,
): Promise<{ status: string; school_name?: string }> {
  await actAs(tx, 'app_user', world.supportUserId)
  const [row] = await tx<{ result: { status: string; school_name?: string } }[]>`
    select app.challenge_by_support(${partnershipId}, ${reason}, ${note}) as result`
  await actAsOwner(tx)
  return row!.result
}

/** The note support leaves when it challenges lead provider A's partnership in `populatedWorld`. */
export const supportNote = 'Called the school'

/**
 * A world where A and B each have a reported school (A's with an induction tutor), A's challenged
 * by support with `supportNote`, and a link token for B's.
 */
export async function populatedWorld(tx: Tx) {
  const world = await createWorld(tx)
  const schoolA = await createSchool(tx, {
    tutor: { fullName: 'Tia Tutor', email: 'tia@a.example.test' },
  })
  const schoolB = await createSchool(tx)
  const [a] = await reportAs(tx, world.a.userId, world, world.a.deliveryPartnerId, [schoolA.urn])
  const [b] = await reportAs(tx, world.b.userId, world, world.b.deliveryPartnerId, [schoolB.urn])
  await challengeBySupport(tx, world, a!.partnershipId!, 'mistake', supportNote)
  const token = await insert.linkToken(tx, b!.partnershipId!)
  return {
    world,
    schoolA,
    schoolB,
    partnershipA: a!.partnershipId!,
    partnershipB: b!.partnershipId!,
    token,
  }
}
