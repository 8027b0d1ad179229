-- Nothing of ours is reachable through the Data API. Hosted PostgREST serves `public` and
-- `graphql_public` to `anon` and `authenticated` whatever config.toml says, and RLS filters rows,
-- not columns: with SELECT granted to `authenticated`, a lead provider's own session could read
-- `partnerships.challenge_note` (support's private note) and `challenged_by` (a support user's id)
-- straight from /rest/v1. So the functions' user-scoped queries run as `app_user` instead, a
-- NOLOGIN role that PostgREST's `authenticator` is not a member of: no JWT can make PostgREST
-- switch to it. Every privilege and policy that `authenticated` had on our objects moves to
-- `app_user`, and `anon`, `authenticated` and PUBLIC keep nothing of ours in `public`.
-- supabase/tests/data_api_surface_test.ts proves the result over everything PostgREST serves.

-- Roles are cluster-wide and may already exist (another database, a re-run), as for `analyst`.
do $$
begin
  if not exists (select from pg_catalog.pg_roles where rolname = 'app_user') then
    create role app_user nologin inherit;
  end if;
end
$$;
comment on role app_user is
  'Signed-in users'' queries from the edge functions (_shared/db.ts withUser), under RLS. '
  'Never granted to authenticator: the Data API cannot switch to it.';

-- The functions connect as `postgres` and switch to `app_user` per transaction. On hosted, where
-- `postgres` is not a superuser, a role it creates comes back to it WITH ADMIN but (PG16+) without
-- SET, so SET is granted explicitly; `postgres` needs none of app_user's privileges (INHERIT
-- FALSE). PG15 has no per-grant options: plain membership lets it SET ROLE.
do $$
begin
  if current_setting('server_version_num')::integer >= 160000 then
    execute 'grant app_user to postgres with inherit false, set true';
  else
    execute 'grant app_user to postgres';
  end if;
end
$$;

-- auth.uid() and auth.jwt() live in schema `auth`, which belongs to the platform. Hosted gives
-- `postgres` USAGE on it without GRANT OPTION (supabase/postgres migrations
-- 10000000000000_demote-postgres and 20211115181400_update-auth-permissions), so `postgres` cannot
-- grant that usage to `app_user`. It can grant `authenticated` (it holds it WITH ADMIN OPTION on
-- PG16+, 20250605172253_grant_with_admin_to_postgres_16_and_above; CREATEROLE suffices on PG15),
-- so `app_user` inherits what the platform gives `authenticated`: usage on `auth`, `public` and
-- `extensions`, and, after this migration, nothing of ours. The membership points one way only:
-- `authenticated` is not a member of `app_user`, so it gains nothing from the grants below.
do $$
begin
  if current_setting('server_version_num')::integer >= 160000 then
    execute 'grant authenticated to app_user with inherit true, set false';
  else
    execute 'grant authenticated to app_user';
  end if;
end
$$;

-- What `authenticated` had on our objects (20261129000100 to 20261129002100), now `app_user`'s.
grant usage on schema app to app_user;
grant select on
  public.cohorts, public.schools, public.induction_tutors, public.lead_providers,
  public.delivery_partners, public.provider_relationships, public.provider_users,
  public.support_users, public.challenge_reasons, public.partnerships,
  public.partnership_events, public.notifications
to app_user;
grant execute on function
  app.current_lead_provider_id(),
  app.is_support_user(),
  app.report_schools(integer, uuid, text[], boolean),
  app.challenge_by_support(uuid, text, text),
  app.resend_school_notification(uuid, text),
  app.support_partnership_deadline(uuid)
to app_user;

-- Every RLS policy of ours on `public` that names `authenticated` names `app_user` instead, other
-- roles kept. From the catalog, so no policy is missed.
do $$
declare
  policy record;
begin
  for policy in
    select p.policyname, p.tablename, p.roles
    from pg_catalog.pg_policies p
    where p.schemaname = 'public' and 'authenticated' = any (p.roles)
  loop
    execute format(
      'alter policy %I on public.%I to %s',
      policy.policyname,
      policy.tablename,
      (
        select string_agg(quote_ident(role_name), ', ')
        from unnest(array_replace(policy.roles, 'authenticated', 'app_user')) as r (role_name)
      )
    );
  end loop;
end
$$;

-- The API roles and PUBLIC keep nothing of ours. Functions get EXECUTE for PUBLIC by default, so
-- PUBLIC is revoked too; `anon` and `authenticated` lose `app` altogether.
revoke all on all tables in schema public from anon, authenticated, public;
revoke all on all sequences in schema public from anon, authenticated, public;
revoke all on all functions in schema public from anon, authenticated, public;
revoke all on all tables in schema app from anon, authenticated, public;
revoke all on all sequences in schema app from anon, authenticated, public;
revoke all on all functions in schema app from anon, authenticated, public;
revoke all on schema app from anon, authenticated, public;

-- Older projects grant what `postgres` creates in `public` to the API roles by default ("Default
-- privileges for new entities"); a table added by a later migration must not reach the Data API
-- by accident. Revoking a default that is not there is harmless.
alter default privileges for role postgres in schema public
  revoke all on tables from anon, authenticated;
alter default privileges for role postgres in schema public
  revoke all on sequences from anon, authenticated;
alter default privileges for role postgres in schema public
  revoke all on functions from anon, authenticated;
