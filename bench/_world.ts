/**
 * A benchmark's world: one lead provider with a user, one delivery partner and `count` open
 * schools with a GIAS address each, made in a few statements, in the shape the tests' helpers
 * (tests/_notifications_world.ts) take, so a benchmark reports schools as the portal does.
 */
import type postgres from 'postgres'

export type BenchWorld = Awaited<ReturnType<typeof createBenchWorld>>

/** A lead provider, delivery partner and `count` eligible schools, made in a few statements. */
export async function createBenchWorld(sql: postgres.Sql, count: number) {
  const [world] = await sql<
    { user_id: string; lead_provider_id: string; delivery_partner_id: string }[]
  >`
    with cohort as (
      insert into public.cohorts (start_year, academic_year_start, earliest_challenge_deadline)
      values (2026, '2026-09-01', '2026-10-31')
      on conflict (start_year) do update set start_year = excluded.start_year
      returning cohort_id
    ), lp as (
      insert into public.lead_providers (name) values ('Bench Lead Provider') returning lead_provider_id
    ), dp as (
      insert into public.delivery_partners (name) values ('Bench Delivery Partner')
      returning delivery_partner_id
    ), rel as (
      insert into public.provider_relationships select lead_provider_id, delivery_partner_id, cohort_id
      from lp, dp, cohort
    ), person as (
      insert into auth.users (id, aud, role, email)
      values (gen_random_uuid(), 'authenticated', 'authenticated', 'bench@provider.example.test')
      returning id
    ), provider_user as (
      insert into public.provider_users (user_id, lead_provider_id, full_name, email)
      select id, lead_provider_id, 'Bench User', 'bench@provider.example.test' from person, lp
    )
    select person.id as user_id, lead_provider_id, delivery_partner_id from person, lp, dp`
  const urns = await sql<{ urn: string }[]>`
    insert into public.schools (urn, name, gias_email, status, establishment_type, local_authority)
    select (90000000 + n)::text, 'Bench School ' || n, 'office-' || n || '@school.example.test',
      'open', 'Community school', 'Bench Borough'
    from generate_series(1, ${count}) as n
    returning urn`
  return {
    label: 'bench',
    leadProvider: { id: world!.lead_provider_id, name: 'Bench Lead Provider' },
    deliveryPartner: {
      id: world!.delivery_partner_id,
      name: 'Bench Delivery Partner',
    },
    users: [{ id: world!.user_id, email: 'bench@provider.example.test' }],
    schools: urns.map(({ urn }) => ({
      id: '',
      urn,
      name: '',
      giasEmail: null,
    })),
  }
}
