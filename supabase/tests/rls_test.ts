/**
 * Row level security and grants: what each role can read, change or call. Signed-in users' queries
 * run as `app_user` (the functions' `withUser`): a user of lead provider A must read, change or
 * infer nothing of lead provider B; anon and a signed-in user with no role get nothing; analysts
 * get `mi` only. What the Data API's own roles reach is data_api_surface_test.ts.
 */
import assert from 'node:assert/strict'
import {
  actAs,
  actAsOwner,
  dbTest,
  errorOf,
  populatedWorld,
  rolledBack,
  supportNote,
  type Tx,
  txTest,
} from './_db.ts'

/** Every table, with a column any row has, for update attempts. */
const tables: Record<string, string> = {
  cohorts: 'start_year',
  schools: 'name',
  induction_tutors: 'email',
  lead_providers: 'name',
  delivery_partners: 'name',
  provider_relationships: 'cohort_id',
  provider_users: 'email',
  support_users: 'email',
  challenge_reasons: 'label',
  partnerships: 'challenged_at',
  partnership_events: 'details',
  notifications: 'status',
  link_tokens: 'created_at',
}

const miViews = [
  'reports',
  'challenges',
  'challenge_rates_by_lead_provider',
  'challenge_rates_by_delivery_partner',
  'challenge_rates_by_trust_type',
  'challenge_rates_by_week',
  'challenges_by_reason',
  'time_from_email_to_challenge',
  'email_outcomes',
  'undelivered_emails',
]

/** Who may EXECUTE each function of ours in `app`; nobody else may, PUBLIC included. */
const functionGrants: Record<string, string[]> = {
  'app.current_lead_provider_id()': ['app_user', 'service_role'],
  'app.is_support_user()': ['app_user', 'service_role'],
  'app.challenge_deadline_date(timestamptz, date)': ['service_role'],
  'app.challenge_window_closes_at(date)': ['service_role'],
  'app.partnership_deadline_date(uuid)': ['service_role'],
  'app.cohort_label(integer)': ['service_role'],
  'app.normalise_urns(text[])': [],
  'app.report_schools(integer, uuid, text[], boolean)': ['app_user'],
  'app.partnership_id_for_token(text)': [],
  'app.record_challenge(uuid, text, text, uuid, text)': [],
  'app.challenge_link_status(text)': ['service_role'],
  'app.challenge_by_token(text, text)': ['service_role'],
  'app.challenge_by_support(uuid, text, text)': ['app_user'],
  'app.resend_school_notification(uuid, text)': ['app_user'],
  'app.lock_unchallenged_partnership(uuid)': [],
  'app.support_partnership_deadline(uuid)': ['app_user'],
}

/** app_user may not read link_tokens at all: not even the links of its own partnerships. */
async function assertLinkTokensRefused(tx: Tx): Promise<void> {
  const error = await errorOf(tx, (sp) => sp`select * from public.link_tokens`)
  assert.equal(error.code, '42501')
}

dbTest('every table has row level security enabled', async (sql) => {
  const rows = await sql<{ table: string; rls: boolean }[]>`
    select c.relname as table, c.relrowsecurity as rls
    from pg_class c
    where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
      and c.relname in ${sql(Object.keys(tables))}`
  assert.equal(rows.length, Object.keys(tables).length)
  assert.deepEqual(rows.filter((row) => !row.rls), [])
})

txTest('a provider user reads only their own lead provider rows in every table', async (tx) => {
  const { world, schoolA, partnershipA } = await populatedWorld(tx)
  await actAs(tx, 'app_user', world.a.userId)

  const seen = await tx`
    select
      (select array_agg(partnership_id) from public.partnerships) as partnerships,
      (select array_agg(school_id) from public.schools) as schools,
      (select array_agg(lead_provider_id) from public.lead_providers) as lead_providers,
      (select array_agg(delivery_partner_id) from public.delivery_partners) as delivery_partners,
      (select array_agg(distinct lead_provider_id) from public.provider_relationships)
        as relationships,
      (select array_agg(user_id order by user_id) from public.provider_users) as users,
      (select array_agg(distinct partnership_id) from public.partnership_events) as events,
      (select count(*)::int from public.induction_tutors) as tutors,
      (select count(*)::int from public.support_users) as support_users,
      (select count(*)::int from public.notifications) as notifications,
      (select count(*)::int from public.challenge_reasons) as reasons,
      (select count(*)::int from public.cohorts where cohort_id = ${world.cohortId}) as cohort`

  assert.deepEqual({ ...seen[0] }, {
    partnerships: [partnershipA],
    schools: [schoolA.schoolId],
    lead_providers: [world.a.leadProviderId],
    delivery_partners: [world.a.deliveryPartnerId],
    relationships: [world.a.leadProviderId],
    users: [world.a.userId, world.a2UserId].sort(),
    events: [partnershipA],
    tutors: 0,
    support_users: 0,
    notifications: 0,
    reasons: 5,
    cohort: 1,
  })
  await assertLinkTokensRefused(tx)
})

txTest('a provider user, anon and a user with no role can change no table', async (tx) => {
  const { world } = await populatedWorld(tx)
  const callers: [string, 'anon' | 'app_user', string | undefined][] = [
    ['provider user', 'app_user', world.a.userId],
    ['support user', 'app_user', world.supportUserId],
    ['no role', 'app_user', world.nobodyUserId],
    ['anon', 'anon', undefined],
  ]
  for (const [who, role, userId] of callers) {
    for (const [table, column] of Object.entries(tables)) {
      const statements = [
        `insert into public.${table} default values`,
        `update public.${table} set ${column} = ${column}`,
        `delete from public.${table}`,
      ]
      for (const statement of statements) {
        const error = await errorOf(tx, async (sp) => {
          await actAs(sp, role, userId)
          await sp.unsafe(statement)
        })
        assert.equal(error.code, '42501', `${who}: ${statement} gave ${error.message}`)
      }
    }
  }
})

txTest('a signed-in user with no role sees no row of any table', async (tx) => {
  const { world } = await populatedWorld(tx)
  await actAs(tx, 'app_user', world.nobodyUserId)

  for (const table of Object.keys(tables).filter((table) => table !== 'link_tokens')) {
    const [row] = await tx<{ count: number }[]>`
      select count(*)::int from ${tx('public')}.${tx(table)}`
    assert.equal(row!.count, 0, table)
  }
})

txTest('anon can read no table, view or function', async (tx) => {
  const { token } = await populatedWorld(tx)
  const attempts = [
    ...Object.keys(tables).map((table) => `select * from public.${table}`),
    ...miViews.map((view) => `select * from mi.${view}`),
    `select app.challenge_link_status('${token}')`,
    `select app.challenge_by_token('${token}', 'mistake')`,
    `select * from app.report_schools(2026, gen_random_uuid(), array['100001'], true)`,
  ]
  for (const attempt of attempts) {
    const error = await errorOf(tx, async (sp) => {
      await actAs(sp, 'anon')
      await sp.unsafe(attempt)
    })
    assert.equal(error.code, '42501', attempt)
  }
})

txTest(
  'a support user reads every partnership, email and tutor, but no link token',
  async (tx) => {
    const { world, partnershipA, partnershipB, schoolA } = await populatedWorld(tx)
    await actAs(tx, 'app_user', world.supportUserId)

    const [seen] = await tx`
    select
      (select count(*)::int from public.partnerships
        where partnership_id in (${partnershipA}, ${partnershipB})) as partnerships,
      (select count(*)::int from public.notifications
        where partnership_id in (${partnershipA}, ${partnershipB})) as notifications,
      (select count(*)::int from public.partnership_events
        where partnership_id in (${partnershipA}, ${partnershipB})) as events,
      (select count(*)::int from public.induction_tutors where school_id = ${schoolA.schoolId})
        as tutors,
      (select count(*)::int from public.provider_users
        where user_id in (${world.a.userId}, ${world.b.userId})) as provider_users,
      (select count(*)::int from public.support_users where user_id = ${world.supportUserId})
        as support_users,
      (select count(*)::int from public.lead_providers
        where lead_provider_id in (${world.a.leadProviderId}, ${world.b.leadProviderId}))
        as lead_providers`
    assert.deepEqual({ ...seen }, {
      partnerships: 2,
      // A: tutor_first, tutor_reminder (cancelled), two provider emails; B: school_first, reminder.
      notifications: 6,
      events: 3,
      tutors: 1,
      provider_users: 2,
      support_users: 1,
      lead_providers: 2,
    })
    await assertLinkTokensRefused(tx)
  },
)

txTest(
  'provider users and support users cannot read MI views or call the link functions',
  async (tx) => {
    const { world, token } = await populatedWorld(tx)
    for (const userId of [world.a.userId, world.supportUserId]) {
      const attempts = [
        ...miViews.map((view) => `select * from mi.${view}`),
        `select app.challenge_link_status('${token}')`,
        `select app.challenge_by_token('${token}', 'mistake')`,
      ]
      for (const attempt of attempts) {
        const error = await errorOf(tx, async (sp) => {
          await actAs(sp, 'app_user', userId)
          await sp.unsafe(attempt)
        })
        assert.equal(error.code, '42501', attempt)
      }
    }
  },
)

txTest('analysts read every MI view and nothing else', async (tx) => {
  const { token } = await populatedWorld(tx)
  for (const view of miViews) {
    await actAs(tx, 'analyst')
    await tx.unsafe(`select * from mi.${view} limit 1`)
    await actAsOwner(tx)
  }
  const refused = [
    ...Object.keys(tables).map((table) => `select * from public.${table}`),
    `select app.challenge_link_status('${token}')`,
    `select app.cohort_label(2026)`,
  ]
  for (const attempt of refused) {
    const error = await errorOf(tx, async (sp) => {
      await actAs(sp, 'analyst')
      await sp.unsafe(attempt)
    })
    assert.equal(error.code, '42501', attempt)
  }
})

dbTest('each app function is executable only by the roles meant to call it', async (sql) => {
  const roles = ['anon', 'authenticated', 'app_user', 'service_role', 'analyst']
  for (const [signature, allowed] of Object.entries(functionGrants)) {
    const [row] = await sql<{ granted: string[]; publicAcl: boolean }[]>`
      select
        array(
          select role from unnest(${roles}::text[]) as role
          where has_function_privilege(role, ${signature}::regprocedure, 'execute')
        ) as granted,
        exists (
          select from pg_proc p, aclexplode(p.proacl) acl
          where p.oid = ${signature}::regprocedure and acl.grantee = 0
        ) as "publicAcl"`
    assert.deepEqual(row!.granted, allowed, signature)
    assert.equal(row!.publicAcl, false, `${signature} is executable by PUBLIC`)
  }
})

txTest(
  'a provider user cannot challenge, or learn of, another provider partnership through functions',
  async (tx) => {
    const { world, partnershipB } = await populatedWorld(tx)

    const error = await errorOf(tx, async (sp) => {
      await actAs(sp, 'app_user', world.a.userId)
      await sp`select app.challenge_by_support(${partnershipB}, 'mistake', null)`
    })
    assert.equal(error.message, 'not_a_support_user')

    await actAs(tx, 'app_user', world.a.userId)
    const [helpers] = await tx`
    select app.current_lead_provider_id() as lead_provider_id, app.is_support_user() as support`
    assert.deepEqual({ ...helpers }, { lead_provider_id: world.a.leadProviderId, support: false })
    await actAsOwner(tx)
    const [partnership] = await tx`
    select challenged_at from public.partnerships where partnership_id = ${partnershipB}`
    assert.equal(partnership!.challenged_at, null)
  },
)

dbTest(
  "support's note and who in support acted are read by the support role alone, not by a provider on its own row",
  async (sql) => {
    await rolledBack(sql, async (tx) => {
      const { world, partnershipA } = await populatedWorld(tx)
      const supportOnly = [
        'select challenge_note from public.partnerships',
        'select challenged_by from public.partnerships',
        'select * from public.partnerships',
        'select actor_user_id from public.partnership_events',
      ]
      for (const query of supportOnly) {
        const error = await errorOf(tx, async (sp) => {
          await actAs(sp, 'app_user', world.a.userId)
          await sp.unsafe(query)
        })
        assert.equal(error.code, '42501', `${query} as lead provider A gave ${error.message}`)
      }

      // A's own partnership is still A's to read, every column but support's.
      await actAs(tx, 'app_user', world.a.userId)
      const [own] = await tx`
        select partnership_id, challenge_reason from public.partnerships`
      await actAsOwner(tx)
      assert.deepEqual({ ...own }, { partnership_id: partnershipA, challenge_reason: 'mistake' })

      await actAs(tx, 'app_support_user', world.supportUserId)
      const notes = await tx`
        select p.challenge_note, p.challenged_by, e.actor_user_id
        from public.partnerships p
        join public.partnership_events e using (partnership_id)
        where p.partnership_id = ${partnershipA} and e.kind = 'challenged'`
      await actAsOwner(tx)
      assert.deepEqual(notes.map((row) => ({ ...row })), [{
        challenge_note: supportNote,
        challenged_by: world.supportUserId,
        actor_user_id: world.supportUserId,
      }])

      // The Data API's role, with the same support user's token, reads none of it.
      const nobody = await errorOf(tx, async (sp) => {
        await actAs(sp, 'authenticated', world.supportUserId)
        await sp`select challenge_note from public.partnerships`
      })
      assert.equal(nobody.code, '42501')
    })
  },
)
