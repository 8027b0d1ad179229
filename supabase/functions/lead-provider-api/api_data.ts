/**
 * The Lead Provider API's reads. Every query runs as the token's lead provider under RLS, and
 * also names the provider (through `app.current_lead_provider_id()`), so a gap in a policy would
 * not by itself show another provider's partnerships. Times are RFC 3339 in UTC to the
 * microsecond, as Postgres holds them, so a cursor or `updated_since` taken from one is exact;
 * they go back to Postgres as text (`::text::timestamptz`), because the driver would send a
 * timestamptz parameter through a JavaScript Date and lose the microseconds.
 */
import type { Tx } from '../_shared/db.ts'
import { fromPartnerships } from '../_shared/partnership_joins.ts'
import type { ListQuery } from './schemas.ts'

export type PartnershipResource = {
  type: 'partnership'
  id: string
  attributes: {
    cohort: string
    urn: string
    school_id: string
    school_name: string
    delivery_partner_id: string
    delivery_partner_name: string
    status: 'active' | 'challenged'
    challenged_reason: string | null
    challenged_reason_label: string | null
    challenged_at: string | null
    reported_at: string
    created_at: string
    updated_at: string
  }
}

type Row = PartnershipResource['attributes'] & { id: string }

function rfc3339(tx: Tx, column: string) {
  return tx`to_char(${tx.unsafe(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
}

function columns(tx: Tx) {
  return tx`
    p.partnership_id as id, c.start_year::text as cohort, s.urn, s.school_id,
    s.name as school_name, dp.delivery_partner_id, dp.name as delivery_partner_name,
    case when p.challenged_at is null then 'active' else 'challenged' end as status,
    p.challenge_reason as challenged_reason, cr.label as challenged_reason_label,
    ${rfc3339(tx, 'p.challenged_at')} as challenged_at,
    ${rfc3339(tx, 'p.reported_at')} as reported_at,
    ${rfc3339(tx, 'p.created_at')} as created_at,
    ${rfc3339(tx, 'p.updated_at')} as updated_at`
}

/** The token's provider's partnerships; more conditions may follow with `and`. */
function fromOwn(tx: Tx) {
  return tx`
    ${fromPartnerships(tx)}
    where p.lead_provider_id = (select app.current_lead_provider_id())`
}

function resource({ id, ...attributes }: Row): PartnershipResource {
  return { type: 'partnership', id, attributes }
}

export async function findPartnerships(
  tx: Tx,
  ids: string[],
): Promise<PartnershipResource[]> {
  if (ids.length === 0) return []
  const rows = await tx<Row[]>`
    select ${columns(tx)} ${fromOwn(tx)} and p.partnership_id = any (${ids}::uuid[])`
  return rows.map(resource)
}

/** Where a page ended: the sort column's value and the id, opaque to clients. */
type Cursor = { at: string; id: string }

export function encodeCursor(cursor: Cursor): string {
  return btoa(`${cursor.at}|${cursor.id}`).replace(/\+/g, '-').replace(
    /\//g,
    '_',
  ).replace(/=+$/, '')
}

/** The cursor in `page[cursor]`, or null when it is not one we made. */
export function decodeCursor(text: string): Cursor | null {
  try {
    const [at, id, extra] = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
      .split('|')
    const time = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
    if (extra !== undefined || !at || !id || !time.test(at) || !uuid.test(id)) {
      return null
    }
    if (Number.isNaN(Date.parse(at))) return null
    return { at, id }
  } catch {
    return null
  }
}

/**
 * One page in a stable order: the sort column, then the id. The next page starts after the last
 * row's values, so rows added or changed meanwhile are neither skipped nor repeated (a row whose
 * `updated_at` moves goes to the end, where a client following changes wants it).
 */
export async function listPartnerships(
  tx: Tx,
  query: ListQuery,
  after: Cursor | null,
): Promise<{ data: PartnershipResource[]; next: string | null }> {
  const descending = query.sort.startsWith('-')
  const column = query.sort.replace(/^-/, '') as 'created_at' | 'updated_at'
  const key = tx`p.${tx(column)}`
  const years = query['filter[cohort]'] ?? []
  const partners = query['filter[delivery_partner_id]'] ?? []
  const since = query['filter[updated_since]'] ?? null
  const size = query['page[size]']
  const rows = await tx<(Row & { sort_at: string })[]>`
    select ${columns(tx)}, ${rfc3339(tx, `p.${column}`)} as sort_at
    ${fromOwn(tx)}
      and (${years.length === 0} or c.start_year = any (${years}::integer[]))
      and (${partners.length === 0} or p.delivery_partner_id = any (${partners}::uuid[]))
      and (${since}::text::timestamptz is null or p.updated_at >= ${since}::text::timestamptz)
      ${
    after === null
      ? tx``
      : descending
      ? tx`and (${key}, p.partnership_id) < (${after.at}::text::timestamptz, ${after.id}::uuid)`
      : tx`and (${key}, p.partnership_id) > (${after.at}::text::timestamptz, ${after.id}::uuid)`
  }
    order by ${descending ? tx`${key} desc, p.partnership_id desc` : tx`${key}, p.partnership_id`}
    limit ${size + 1}`
  const page = rows.slice(0, size)
  const last = page.at(-1)
  return {
    data: page.map(({ sort_at: _, ...row }) => resource(row)),
    next: rows.length > size && last ? encodeCursor({ at: last.sort_at, id: last.id }) : null,
  }
}

export type SchoolResource = {
  type: 'school'
  id: string
  attributes: {
    urn: string
    name: string
    status: string
    local_authority: string | null
  }
}

export async function findSchools(
  tx: Tx,
  { urns = [], ids = [] }: { urns?: string[]; ids?: string[] },
): Promise<SchoolResource[]> {
  const rows = await tx<
    {
      school_id: string
      urn: string
      name: string
      status: string
      local_authority: string
    }[]
  >`select * from app.find_schools(${urns}::text[], ${ids}::uuid[])`
  return rows.map(({ school_id, ...attributes }) => ({
    type: 'school',
    id: school_id,
    attributes,
  }))
}

export type DeliveryPartnerResource = {
  type: 'delivery-partner'
  id: string
  attributes: { name: string; cohorts: string[] }
}

/** The delivery partners the token's lead provider works with, and in which cohorts. */
export async function listDeliveryPartners(
  tx: Tx,
): Promise<DeliveryPartnerResource[]> {
  const rows = await tx<{ id: string; name: string; cohorts: string[] }[]>`
    select dp.delivery_partner_id as id, dp.name,
      array_agg(c.start_year::text order by c.start_year) as cohorts
    from public.provider_relationships r
    join public.delivery_partners dp on dp.delivery_partner_id = r.delivery_partner_id
    join public.cohorts c on c.cohort_id = r.cohort_id
    where r.lead_provider_id = (select app.current_lead_provider_id())
    group by dp.delivery_partner_id, dp.name
    order by dp.name, dp.delivery_partner_id`
  return rows.map(({ id, ...attributes }) => ({
    type: 'delivery-partner',
    id,
    attributes,
  }))
}
