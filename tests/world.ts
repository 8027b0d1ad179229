/**
 * The one place tests and benchmarks write rows into the product's tables, used as
 * `import * as insert from './world.ts'` (`insert.schools(sql, [...])`). Each builder names a
 * table and gives every NOT NULL column the table has no default for a value of its own, so a new
 * NOT NULL column means one edit here, not one per suite. A row's fields are its columns in
 * camelCase (`giasEmail` is `gias_email`); a field left out takes the column's default (a
 * timestamp the transaction's `now()`, as the product writes it). Rows that set the same columns
 * go in one statement, as JSON read by `json_populate_recordset`, which keeps a 10,000-school
 * benchmark world to a round trip.
 *
 * Scenario helpers (a school's link, a provider with its schools, the database tests' world) live
 * beside their suites and compose these. Where the product's own SQL makes a row in service
 * (`app.report_schools` for partnerships, the sender for emails), tests should call that instead;
 * these builders are for the rows it cannot make, or history it would take weeks to make.
 *
 * It needs only a connection: it works inside a rolled-back transaction, and it does not import
 * the stack, so a module that uses it does not become a stack test by doing so.
 */
import type postgres from 'postgres'
import { randomToken, uniqueUrns } from './_made_up.ts'

/** A connection, or a transaction on one. */
export type Db = postgres.Sql | postgres.TransactionSql

type Value = string | number | boolean | null | undefined | object

/** `row` over `defaults`, where a field `row` leaves undefined keeps its default. */
function withDefaults<T extends object>(defaults: Record<string, Value>, row: T) {
  const given = Object.entries(row).filter(([, value]) => value !== undefined)
  return { ...defaults, ...Object.fromEntries(given) }
}

/**
 * Inserts `rows` into `table` and returns `returning` of each, in order: in one statement when
 * every row sets the same columns (a benchmark's thousands of schools), else a statement a row, so
 * that a column one row leaves out takes its default rather than another row's null.
 */
async function insertRows<T = never>(
  db: Db,
  table: string,
  rows: Record<string, Value>[],
  { returning = '1 as none', onConflict = '' } = {},
): Promise<T[]> {
  const written = rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).filter(([, value]) => value !== undefined)
        .map(([field, value]) => [field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value]),
    )
  )
  const columnsOf = (row: Record<string, Value>) => Object.keys(row).sort().join(', ')
  const insert = async (batch: Record<string, Value>[]) =>
    await db.unsafe(
      `insert into ${table} (${columnsOf(batch[0]!)})
      select ${columnsOf(batch[0]!)} from json_populate_recordset(null::${table}, $1::text::json)
      ${onConflict} returning ${returning}`,
      [JSON.stringify(batch)],
    ) as unknown as T[]
  if (written.length === 0) return []
  if (written.every((row) => columnsOf(row) === columnsOf(written[0]!))) {
    return await insert(written)
  }
  const inserted: T[] = []
  for (const row of written) inserted.push(...await insert([row]))
  return inserted
}

export type CohortRow = {
  startYear: number
  /** 1 September of the start year unless given. */
  academicYearStart?: string
  earliestChallengeDeadline?: string | null
}

/**
 * A cohort's id. `existing`: what to do when its year is taken: `fail` (the constraint's error),
 * `reuse` (the existing cohort's id, for suites that share a fixed year) or `skip` (undefined, for
 * a caller that picks another year).
 */
export async function cohort(
  db: Db,
  row: CohortRow,
  existing: 'fail' | 'reuse' | 'skip' = 'fail',
): Promise<string | undefined> {
  const onConflict = {
    fail: '',
    reuse: 'on conflict (start_year) do update set start_year = excluded.start_year',
    skip: 'on conflict (start_year) do nothing',
  }[existing]
  const written = withDefaults({ academicYearStart: `${row.startYear}-09-01` }, row)
  const [inserted] = await insertRows<{ id: string }>(db, 'public.cohorts', [written], {
    returning: 'cohort_id as id',
    onConflict,
  })
  return inserted?.id
}

export async function leadProvider(db: Db, name: string): Promise<string> {
  const [row] = await insertRows<{ id: string }>(db, 'public.lead_providers', [{ name }], {
    returning: 'lead_provider_id as id',
  })
  return row!.id
}

export async function deliveryPartners(db: Db, names: string[]): Promise<string[]> {
  const rows = await insertRows<{ id: string }>(
    db,
    'public.delivery_partners',
    names.map((name) => ({ name })),
    { returning: 'delivery_partner_id as id' },
  )
  return rows.map((row) => row.id)
}

export async function deliveryPartner(db: Db, name: string): Promise<string> {
  const [id] = await deliveryPartners(db, [name])
  return id!
}

/** The lead provider works with each delivery partner in the cohort. */
export async function relationships(
  db: Db,
  leadProviderId: string,
  deliveryPartnerIds: string[],
  cohortId: string,
): Promise<void> {
  const rows = deliveryPartnerIds.map((deliveryPartnerId) => ({
    leadProviderId,
    deliveryPartnerId,
    cohortId,
  }))
  await insertRows(db, 'public.provider_relationships', rows)
}

/**
 * People in `auth.users`, confirmed as DfE adds them (Auth refuses an unconfirmed address a code;
 * sign-up is off), in the shape the platform's Auth leaves them; ids in order.
 */
export async function authUsers(db: Db, emails: string[]): Promise<string[]> {
  const now = new Date().toISOString()
  const person = {
    instanceId: '00000000-0000-0000-0000-000000000000',
    aud: 'authenticated',
    role: 'authenticated',
    emailConfirmedAt: now,
    rawAppMetaData: { provider: 'email', providers: ['email'] },
    rawUserMetaData: {},
    createdAt: now,
    updatedAt: now,
  }
  const rows = await insertRows<{ id: string }>(
    db,
    'auth.users',
    emails.map((email) => ({ ...person, id: crypto.randomUUID(), email })),
    { returning: 'id' },
  )
  return rows.map((row) => row.id)
}

export async function authUser(db: Db, email: string): Promise<string> {
  const [id] = await authUsers(db, [email])
  return id!
}

export type ProviderUserRow = {
  userId: string
  leadProviderId: string
  email: string
  fullName?: string
}

export async function providerUsers(db: Db, users: ProviderUserRow[]): Promise<void> {
  const rows = users.map((user) => withDefaults({ fullName: 'Pat Provider' }, user))
  await insertRows(db, 'public.provider_users', rows)
}

export async function providerUser(db: Db, user: ProviderUserRow): Promise<void> {
  await providerUsers(db, [user])
}

export async function supportUser(
  db: Db,
  user: { userId: string; email: string; fullName?: string },
): Promise<void> {
  await insertRows(db, 'public.support_users', [withDefaults({ fullName: 'Sam Support' }, user)])
}

export type SchoolRow = {
  /** A unique 8-digit URN unless given. */
  urn?: string
  name?: string
  /** `office-<urn>@school.example.test` unless given; null: the school has no GIAS address. */
  giasEmail?: string | null
  status?: 'open' | 'closed' | 'proposed_to_close' | 'proposed_to_open'
  establishmentType?: string
  isIndependent?: boolean
  inEngland?: boolean
  localAuthority?: string | null
  trust?: { uid: string; name: string; type: 'multi_academy_trust' | 'single_academy_trust' }
}

export type InsertedSchool = { id: string; urn: string; name: string; giasEmail: string | null }

/** Open, state-funded schools in England unless told otherwise: eligible to be reported. */
export async function schools(db: Db, rows: SchoolRow[]): Promise<InsertedSchool[]> {
  const urns = uniqueUrns(rows.length)
  const written = rows.map(({ trust, ...row }, index) => {
    const urn = row.urn ?? urns[index]!
    return withDefaults({
      urn,
      name: `Test School ${urn}`,
      giasEmail: `office-${urn}@school.example.test`,
      status: 'open',
      establishmentType: 'Community school',
      localAuthority: 'Test Borough',
      trustUid: trust?.uid ?? null,
      trustName: trust?.name ?? null,
      trustType: trust?.type ?? null,
    }, row)
  })
  return await insertRows<InsertedSchool>(db, 'public.schools', written, {
    returning: 'school_id as id, urn, name, gias_email as "giasEmail"',
  })
}

export async function inductionTutor(
  db: Db,
  tutor: { schoolId: string; fullName: string; email: string },
): Promise<void> {
  await insertRows(db, 'public.induction_tutors', [tutor])
}

export type PartnershipRow = {
  schoolId: string
  leadProviderId: string
  deliveryPartnerId: string
  cohortId: string
  reportedAt?: string
  schoolNotifiedAt?: string | null
  challenge?: { at: string; reason: string; channel: string }
}

/**
 * A partnership written directly, for history `app.report_schools` cannot make (a report weeks
 * ago, a challenge already recorded) or a row the database itself must refuse.
 */
export async function partnership(db: Db, { challenge, ...row }: PartnershipRow): Promise<string> {
  const [inserted] = await insertRows<{ id: string }>(db, 'public.partnerships', [{
    ...row,
    challengedAt: challenge?.at,
    challengeReason: challenge?.reason,
    challengeChannel: challenge?.channel,
  }], { returning: 'partnership_id as id' })
  return inserted!.id
}

export type PartnershipEventRow = {
  partnershipId: string
  kind: string
  channel?: string | null
  actorUserId?: string | null
  details?: Record<string, unknown>
  createdAt?: string
}

export async function partnershipEvents(db: Db, events: PartnershipEventRow[]): Promise<void> {
  await insertRows(db, 'public.partnership_events', events)
}

/** Stores the sha256 of a plain token (a fresh one unless given) for a partnership; returns it. */
export async function linkToken(
  db: Db,
  partnershipId: string,
  token = randomToken(),
): Promise<string> {
  await db`
    insert into public.link_tokens (token_hash, partnership_id)
    values (extensions.digest(convert_to(${token}, 'UTF8'), 'sha256'), ${partnershipId})`
  return token
}

/** An API token as `app.create_api_token` makes them, stored the same way, as its sha256. */
export async function apiToken(
  db: Db,
  leadProviderId: string,
  { requestsPerMinute = 100_000, name = 'Test system' } = {},
): Promise<{ token: string; id: string }> {
  const token = `lpapi_${randomToken()}`
  const [row] = await db<{ api_token_id: string }[]>`
    insert into app.api_tokens (lead_provider_id, name, token_hash, requests_per_minute)
    values (${leadProviderId}, ${name}, extensions.digest(convert_to(${token}, 'UTF8'), 'sha256'),
      ${requestsPerMinute})
    returning api_token_id`
  return { token, id: row!.api_token_id }
}

export type NotificationRow = {
  partnershipId: string
  /** `school_first` unless given. */
  kind?: string
  /** A school's GIAS address unless given; null: it had none. */
  recipientEmail?: string | null
  /** `gias` unless given. */
  recipientKind?: string
  status?: string
  dueAt?: string
  attempts?: number
  lastError?: string | null
  notifyId?: string | null
  sentAt?: string | null
  deliveryStatus?: string | null
  deliveryStatusAt?: string | null
  createdAt?: string
}

/** Emails in the outbox, as the sender and Notify's receipts would have left them; ids in order. */
export async function notifications(db: Db, emails: NotificationRow[]): Promise<string[]> {
  const written = emails.map((email) =>
    withDefaults({
      kind: 'school_first',
      recipientEmail: 'office@school.example.test',
      recipientKind: 'gias',
    }, email)
  )
  const rows = await insertRows<{ id: string }>(db, 'public.notifications', written, {
    returning: 'notification_id as id',
  })
  return rows.map((row) => row.id)
}
