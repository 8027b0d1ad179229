/**
 * A small world for the provider portal's tests, written straight into the stack's database with
 * names unique to each call, so tests share one database without seeing each other: a cohort,
 * two lead providers each with a delivery partner and a signed-in user, and eligible schools.
 * Also a client for the `provider` function that signs requests as one of those users.
 */
import type postgres from 'postgres'
import { connect, createUser, signIn, stack } from './_stack.ts'

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

/** `count` URNs in a row, from a random 8-digit base, clear of the seed's 6-digit URNs. */
export function uniqueUrns(count: number): string[] {
  const base = 10_000_000 + Math.floor(Math.random() * (89_000_000 - count))
  return Array.from({ length: count }, (_, index) => String(base + index))
}

export async function createProviderWorld(
  { schools = 5, past = false }: { schools?: number; past?: boolean } = {},
): Promise<ProviderWorld> {
  const sql = connect()
  try {
    const tag = crypto.randomUUID().slice(0, 8)
    let cohort = uniqueYear(past)
    for (;;) {
      const inserted = await sql`
        insert into public.cohorts (start_year, academic_year_start)
        values (${cohort}, make_date(${cohort}, 9, 1))
        on conflict (start_year) do nothing returning cohort_id`
      if (inserted.length) break
      cohort = uniqueYear(past)
    }
    const a = await createProvider(sql, `Alpha Teaching ${tag}`, cohort)
    const b = await createProvider(sql, `Beta Learning ${tag}`, cohort)
    return { cohort, a, b, schools: await createSchools(sql, schools) }
  } finally {
    await sql.end()
  }
}

async function createProvider(sql: postgres.Sql, name: string, cohort: number) {
  const [provider] = await sql<{ lead_provider_id: string }[]>`
    insert into public.lead_providers (name) values (${name}) returning lead_provider_id`
  const partnerName = `${name} Partners`
  const [partner] = await sql<{ delivery_partner_id: string }[]>`
    insert into public.delivery_partners (name) values (${partnerName})
    returning delivery_partner_id`
  await sql`
    insert into public.provider_relationships (lead_provider_id, delivery_partner_id, cohort_id)
    select ${provider!.lead_provider_id}, ${partner!.delivery_partner_id}, cohort_id
    from public.cohorts where start_year = ${cohort}`
  const user = await createUser('provider')
  await sql`
    insert into public.provider_users (user_id, lead_provider_id, full_name, email)
    values (${user.id}, ${provider!.lead_provider_id}, 'Test Provider User', ${user.email})`
  const { session } = await signIn(user.email)
  return {
    id: provider!.lead_provider_id,
    name,
    deliveryPartner: { id: partner!.delivery_partner_id, name: partnerName },
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
  return await sql<TestSchool[]>`
    insert into public.schools (urn, name, gias_email, status, establishment_type, local_authority)
    select t.urn, 'Oak Primary ' || ${tag} || ' ' || t.n,
      case when ${email} then 'office@' || t.urn || '.example.test' end,
      'open', 'Community school', 'Testshire'
    from unnest(${uniqueUrns(count)}::text[]) with ordinality as t(urn, n)
    returning school_id as id, urn, name`
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
