-- What support writes about a partnership is support's alone: the note it gives when it reports a
-- mistake for a school (`partnerships.challenge_note`) and who in support acted
-- (`partnerships.challenged_by`, `partnership_events.actor_user_id`). RLS filters rows, not
-- columns, and a lead provider's own partnerships are rows it may read, so until now only the
-- provider function's choice of columns kept these from a provider. Now the database does:
-- `app_user` (every signed-in person's queries, providers' and the API's included) may read every
-- other column, and only `app_support_user`, the role the support function's queries run as, may
-- read these. `app_support_user` is a member of `app_user`, so it meets the same policies and
-- grants, and no API role is a member of it, so PostgREST can never switch to it.
do $$
begin
  if not exists (select from pg_catalog.pg_roles where rolname = 'app_support_user') then
    create role app_support_user nologin inherit;
  end if;
  -- As for app_user (20261130030000): on Postgres 16 and later a role postgres creates comes back
  -- to it WITH ADMIN only, and the functions must be able to `set role` to it.
  if current_setting('server_version_num')::int >= 160000 then
    execute 'grant app_support_user to postgres with inherit false, set true';
  else
    grant app_support_user to postgres;
  end if;
end
$$;

grant app_user to app_support_user;

-- Column grants: every column but support's own, found from the catalog so a column added later is
-- readable by app_user unless a migration says otherwise.
do $$
declare
  readable text;
begin
  select string_agg(format('%I', a.attname), ', ' order by a.attnum) into readable
  from pg_catalog.pg_attribute a
  where a.attrelid = 'public.partnerships'::regclass and a.attnum > 0 and not a.attisdropped
    and a.attname not in ('challenge_note', 'challenged_by');
  revoke select on public.partnerships from app_user;
  execute format('grant select (%s) on public.partnerships to app_user', readable);

  select string_agg(format('%I', a.attname), ', ' order by a.attnum) into readable
  from pg_catalog.pg_attribute a
  where a.attrelid = 'public.partnership_events'::regclass and a.attnum > 0 and not a.attisdropped
    and a.attname <> 'actor_user_id';
  revoke select on public.partnership_events from app_user;
  execute format('grant select (%s) on public.partnership_events to app_user', readable);
end
$$;

grant select (challenge_note, challenged_by) on public.partnerships to app_support_user;
grant select (actor_user_id) on public.partnership_events to app_support_user;
