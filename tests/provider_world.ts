/**
 * A small world for the provider portal's tests, written into the stack's database by the world
 * builder (tests/world.ts) with names unique to each call, so tests share one database without seeing each other: a cohort,
 * two lead providers each with a delivery partner and a signed-in user, and eligible schools.
 * Also a client for the `provider` function that signs requests as one of those users.
 */
import type postgres from 'postgres'
import { connect, createUser, signIn, stack } from './_stack.ts'
import * as insert from './world.ts'
import { uniqueUrns } from './_made_up.ts'

export { uniqueUrns }

export type TestProvider = {
  id: string
  name: string
  deliveryPartner: { id: string; name: string }
  user: { id: string; email: string }
  accessToken: string
}

export type TestSchool = { id: string; urn: string; name: string }

export type ProviderWorld = {
  cohort: number
  cohortId: string
  a: TestProvider
  b: TestProvider
  schools: TestSchool[]
}

/**
 * A cohort start year no other test uses (the column allows up to 9999); `past`: one whose
 * academic year has ended (2000 to 2019, clear of the seed's).
 */
function uniqueYear(past = false): number {
  return past ? 2000 + Math.floor(Math.random() * 20) : 3000 + Math.floor(Math.random() * 6999)
}

export async function createProviderWorld(
  { schools = 5, past = false }: { schools?: number; past?: boolean } = {},
): Promise<ProviderWorld> {
  const sql = connect()
  try {
    const tag = crypto.randomUUID().slice(0, 8)
    const { cohort, cohortId } = await uniqueCohort(sql, past)
    const a = await createProvider(sql, `Alpha Teaching ${tag}`, cohortId)
    const b = await createProvider(sql, `Beta Learning ${tag}`, cohortId)
    return { cohort, cohortId, a, b, schools: await createSchools(sql, schools) }
  } finally {
    await sql.end()
  }
}

/** A cohort in a start year no other test has taken. */
async function uniqueCohort(sql: postgres.Sql, past: boolean) {
  for (;;) {
    const cohort = uniqueYear(past)
    const cohortId = await insert.cohort(sql, { startYear: cohort }, 'skip')
    if (cohortId) return { cohort, cohortId }
  }
}

async function createProvider(sql: postgres.Sql, name: string, cohortId: string) {
  const id = await insert.leadProvider(sql, name)
  const partnerName = `${name} Partners`
  const partnerId = await insert.deliveryPartner(sql, partnerName)
  await insert.relationships(sql, id, [partnerId], cohortId)
  const user = await createUser('provider')
  await insert.providerUser(sql, {
    userId: user.id,
    leadProviderId: id,
    email: user.email,
    fullName: 'Test Provider User',
  })
  const { session } = await signIn(user.email)
  return {
    id,
    name,
    deliveryPartner: { id: partnerId, name: partnerName },
    user,
    accessToken: session.access_token,
  }
}

/**
 * Open, state-funded schools in England: eligible to be reported. Without an address (`email:
 * false`) their emails are recorded as `no_address` and never sent, so a big report does not
 * flood the Notify double that other tests are reading.
 */
export async function createSchools(
  sql: postgres.Sql,
  count: number,
  { email = true }: { email?: boolean } = {},
): Promise<TestSchool[]> {
  const tag = crypto.randomUUID().slice(0, 8)
  const schools = await insert.schools(
    sql,
    uniqueUrns(count).map((urn, index) => ({
      urn,
      name: `Oak Primary ${tag} ${index + 1}`,
      giasEmail: email ? `office@${urn}.example.test` : null,
      localAuthority: 'Testshire',
    })),
  )
  return schools.map(({ id, urn, name }) => ({ id, urn, name }))
}

export type Reported = { reported: TestSchool[]; partnershipIds: string[] }

/**
 * A world made once per test file: `create`'s, and three schools without an address (their emails
 * are `no_address` rows the sender never touches) that `report` has A report, returning the
 * partnerships' ids. For suites that must see the world's rows hold still.
 */
export function reportedOnce<W>(
  create: () => Promise<W>,
  report: (w: W, schools: TestSchool[]) => Promise<string[]>,
): () => Promise<W & Reported> {
  let shared: Promise<W & Reported> | undefined
  return () =>
    shared ??= (async () => {
      const w = await create()
      const sql = connect()
      try {
        const reported = await createSchools(sql, 3, { email: false })
        return { ...w, reported, partnershipIds: await report(w, reported) }
      } finally {
        await sql.end()
      }
    })()
}

/** How many partnerships lead provider A has. */
export async function partnershipCount(w: ProviderWorld): Promise<number> {
  const sql = connect()
  try {
    const [row] = await sql<{ count: number }[]>`
      select count(*)::int as count from public.partnerships where lead_provider_id = ${w.a.id}`
    return row!.count
  } finally {
    await sql.end()
  }
}

/** Marks a partnership challenged, as the school's report would. */
export async function challenge(partnershipId: string, reason = 'not_confirmed'): Promise<void> {
  const sql = connect()
  try {
    await sql`
      update public.partnerships
      set challenged_at = now(), challenge_reason = ${reason}, challenge_channel = 'email_link'
      where partnership_id = ${partnershipId}`
  } finally {
    await sql.end()
  }
}

export type ApiAnswer = { status: number; body: unknown; text: string; headers: Headers }

/**
 * `who` (lead provider A unless told) reports these URNs with its delivery partner in the world's
 * cohort, through the provider function as the portal does.
 */
export function reportUrns(
  w: ProviderWorld,
  urns: string[],
  who: TestProvider = w.a,
): Promise<ApiAnswer> {
  return callProvider('/reports', {
    token: who.accessToken,
    body: { cohort: w.cohort, delivery_partner_id: who.deliveryPartner.id, urns },
  })
}

/** Calls the provider function through the gateway, as the portal does. */
export async function callProvider(
  path: string,
  { token, body, raw }: {
    token?: string
    /** Sent as JSON. */
    body?: unknown
    /** Sent as it is, for requests the portal would never make. */
    raw?: { body: string; contentType: string }
  } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { apikey: stack.publishableKey }
  if (token) headers.authorization = `Bearer ${token}`
  const sent = raw ?? (body === undefined ? undefined : {
    body: JSON.stringify(body),
    contentType: 'application/json',
  })
  if (sent) headers['content-type'] = sent.contentType
  const response = await fetch(`${stack.apiUrl}/functions/v1/provider${path}`, {
    method: sent ? 'POST' : 'GET',
    headers,
    body: sent?.body,
  })
  // Keep a byte order mark: the CSV download sends one on purpose.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer())
  let parsed: unknown = undefined
  try {
    parsed = JSON.parse(text)
  } catch {
    // CSV or empty
  }
  return { status: response.status, body: parsed, text, headers: response.headers }
}
