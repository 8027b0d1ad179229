/**
 * Fixtures for the notification tests, written into the stack's database by the world builder
 * (tests/world.ts) with names unique to each call: a lead provider with its users, a delivery partner it works with in the 2026 cohort,
 * and schools with or without an induction tutor or a GIAS address. Also the moves the tests make:
 * report schools as a provider user (exactly as the portal does, through `app.report_schools`),
 * read the Notify double's mailbox, wake the sender, and wait for the outbox to settle.
 */
import type postgres from 'postgres'
import { eventually, stack } from './_stack.ts'
import * as insert from './world.ts'
import { uniqueUrns } from './_made_up.ts'

export const cohortStartYear = 2026

export type SchoolSpec = {
  tutor?: { name: string; email: string }
  /** null: the school has no GIAS contact address. */
  giasEmail?: string | null
}

export type WorldSchool = {
  id: string
  urn: string
  name: string
  giasEmail: string | null
  tutor?: { name: string; email: string }
}

export type NotificationsWorld = {
  label: string
  leadProvider: { id: string; name: string }
  deliveryPartner: { id: string; name: string }
  users: { id: string; email: string }[]
  schools: WorldSchool[]
}

export async function createWorld(
  sql: postgres.Sql,
  { schools, users = 1 }: { schools: SchoolSpec[]; users?: number },
): Promise<NotificationsWorld> {
  const label = crypto.randomUUID().slice(0, 8)
  const cohortId = (await insert.cohort(sql, {
    startYear: cohortStartYear,
    earliestChallengeDeadline: '2026-10-31',
  }, 'reuse'))!
  const leadProviderName = `Northwood Teaching ${label}`
  const leadProvider = {
    id: await insert.leadProvider(sql, leadProviderName),
    name: leadProviderName,
  }
  const partnerName = `Riverside Partnership ${label}`
  const deliveryPartner = { id: await insert.deliveryPartner(sql, partnerName), name: partnerName }
  await insert.relationships(sql, leadProvider.id, [deliveryPartner.id], cohortId)

  const emails = Array.from(
    { length: users },
    (_, index) => `provider-${label}-${index + 1}@provider.example.test`,
  )
  const ids = await insert.authUsers(sql, emails)
  await insert.providerUsers(
    sql,
    ids.map((userId, index) => ({
      userId,
      leadProviderId: leadProvider.id,
      email: emails[index]!,
      fullName: `Provider User ${index + 1}`,
    })),
  )

  const urns = uniqueUrns(schools.length)
  const inserted = await insert.schools(
    sql,
    schools.map((spec, index) => ({
      urn: urns[index],
      name: `Oakfield School ${label}-${index + 1}`,
      giasEmail: spec.giasEmail === undefined
        ? `office-${label}-${index + 1}@school.example.test`
        : spec.giasEmail,
    })),
  )
  for (const [index, { tutor }] of schools.entries()) {
    if (tutor) {
      const schoolId = inserted[index]!.id
      await insert.inductionTutor(sql, { schoolId, fullName: tutor.name, email: tutor.email })
    }
  }

  return {
    label,
    leadProvider,
    deliveryPartner,
    users: ids.map((id, index) => ({ id, email: emails[index]! })),
    schools: inserted.map((school, index) => ({
      ...school,
      ...(schools[index]!.tutor ? { tutor: schools[index]!.tutor } : {}),
    })),
  }
}

/** Reports schools as the world's first provider user, as the portal does; returns partnership ids. */
export async function reportSchools(
  sql: postgres.Sql,
  world: NotificationsWorld,
  urns?: string[],
): Promise<string[]> {
  return await sql.begin((tx) => reportSchoolsIn(tx, world, urns))
}

/** The same, inside the caller's transaction, which continues as `postgres` afterwards. */
export async function reportSchoolsIn(
  tx: postgres.TransactionSql,
  world: NotificationsWorld,
  urns: string[] = world.schools.map((school) => school.urn),
): Promise<string[]> {
  const user = world.users[0]!
  // As the provider function's `withUser`: role app_user, the token's claims (role authenticated).
  await tx`
    select
      set_config('role', 'app_user', true),
      set_config('request.jwt.claims', ${
    JSON.stringify({ sub: user.id, role: 'authenticated' })
  }, true),
      set_config('request.jwt.claim.sub', ${user.id}, true)`
  const rows = await tx<
    { partnership_id: string | null; error: string | null }[]
  >`
    select partnership_id, error
    from app.report_schools(${cohortStartYear}, ${world.deliveryPartner.id}, ${urns}, false)`
  await tx`reset role`
  const refused = rows.filter((row) => row.error !== null)
  if (refused.length > 0) {
    throw new Error(`report refused: ${refused.map((row) => row.error)}`)
  }
  return rows.map((row) => row.partnership_id!)
}

export type OutboxRow = {
  notification_id: string
  kind: string
  partnership_id: string
  recipient_email: string | null
  recipient_kind: string
  status: string
  attempts: number
  last_error: string | null
  notify_id: string | null
  delivery_status: string | null
}

export async function outboxRows(
  sql: postgres.Sql,
  partnershipIds: string[],
): Promise<OutboxRow[]> {
  return await sql<OutboxRow[]>`
    select notification_id, kind, partnership_id, recipient_email, recipient_kind, status,
      attempts, last_error, notify_id, delivery_status
    from public.notifications
    where partnership_id = any(${partnershipIds}::uuid[])
    order by created_at, kind`
}

/** Asks the Notify double (the shared stack's unless told) to misbehave on its next sends. */
export async function injectFaults(
  fault: {
    kind: '500' | '429' | 'slow' | 'drop' | 'late'
    count: number
    delayMs?: number
  },
  notifyUrl = stack.notifyUrl,
): Promise<void> {
  const response = await fetch(`${notifyUrl}/_double/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  })
  if (!response.ok) {
    throw new Error(`the double refused the fault: ${await response.text()}`)
  }
}

export async function clearFaults(): Promise<void> {
  await (await fetch(`${stack.notifyUrl}/_double/faults`, { method: 'DELETE' }))
    .body?.cancel()
}

/** Runs what the pg_cron job runs, now, instead of waiting for the next minute. */
export async function runSweep(sql: postgres.Sql): Promise<void> {
  const [job] = await sql<{ command: string }[]>`
    select command from cron.job where jobname = 'notifications-sweep'`
  if (!job) throw new Error('the notifications-sweep job is not scheduled')
  await sql.unsafe(job.command)
}

/** Waits until none of these partnerships' emails is queued-and-due or being sent. */
export async function settled(
  sql: postgres.Sql,
  partnershipIds: string[],
): Promise<OutboxRow[]> {
  return await eventually(async () => {
    const rows = await outboxRows(sql, partnershipIds)
    const busy = rows.some((row) =>
      row.status === 'sending' ||
      (row.status === 'queued' && !row.kind.endsWith('_reminder'))
    )
    return busy ? undefined : rows
  }, { what: 'the outbox to settle' })
}
