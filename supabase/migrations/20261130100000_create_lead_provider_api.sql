-- The Lead Provider API (supabase/functions/lead-provider-api): per-provider API tokens, a rate
-- limit and idempotency keys, all in `app`, which the Data API does not serve. A request with a
-- valid token runs as `app_user` with claims {"role": "lead_provider_api", "api_token_id": ...};
-- app.current_lead_provider_id() answers the token's lead provider for those claims, so the
-- portal's own rules (app.report_schools) and RLS policies serve the API unchanged.

-- Tokens: the plain value is shown once, at creation; only its sha256 is kept (as link tokens).
create table app.api_tokens (
  api_token_id uuid primary key default gen_random_uuid(),
  lead_provider_id uuid not null references public.lead_providers on delete cascade,
  name text not null check (char_length(name) between 1 and 100 and name = btrim(name)),
  token_hash bytea not null unique check (octet_length(token_hash) = 32),
  created_by uuid references auth.users on delete set null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  revoked_by uuid references auth.users on delete set null,
  -- The rate limit: a fixed one-minute window per token, counted here so it holds across every
  -- isolate of the function.
  requests_per_minute integer not null default 300 check (requests_per_minute > 0),
  rate_window_start timestamptz,
  rate_window_requests integer not null default 0
);
create index api_tokens_lead_provider_idx on app.api_tokens (lead_provider_id, created_at);
comment on table app.api_tokens is
  'Lead Provider API tokens. Only the sha256 of a token is stored; the value is shown once.';
alter table app.api_tokens enable row level security;
revoke all on app.api_tokens from public, anon, authenticated, service_role, app_user;

-- A retried request with the same Idempotency-Key gets the first answer again, never a second
-- report. Keys are per lead provider and kept for 24 hours.
create table app.api_idempotency_keys (
  lead_provider_id uuid not null references public.lead_providers on delete cascade,
  idempotency_key text not null check (char_length(idempotency_key) between 1 and 255),
  request_hash bytea not null,
  response_status integer,
  -- json, not jsonb: a replay is the first answer byte for byte, its members in their order.
  response_body json,
  created_at timestamptz not null default now(),
  primary key (lead_provider_id, idempotency_key)
);
alter table app.api_idempotency_keys enable row level security;
revoke all on app.api_idempotency_keys from public, anon, authenticated, service_role, app_user;

-- Partnerships say when they were created and last changed, so a client can follow changes
-- (filter[updated_since]) and page in a stable order. A school reporting a mistake, a re-report
-- and a new deadline all update the row, so all of them move updated_at.
alter table public.partnerships
  add column created_at timestamptz not null default now(),
  add column updated_at timestamptz not null default now();
update public.partnerships
set created_at = reported_at, updated_at = greatest(reported_at, challenged_at, school_notified_at);
create index partnerships_provider_updated_idx
  on public.partnerships (lead_provider_id, updated_at, partnership_id);
create index partnerships_provider_created_idx
  on public.partnerships (lead_provider_id, created_at, partnership_id);

create function app.touch_updated_at() returns trigger
  language plpgsql set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;
create trigger partnerships_touch_updated_at
  before update on public.partnerships
  for each row execute function app.touch_updated_at();

-- The caller's lead provider: a signed-in provider user's, or an API token's. The token claims
-- are set only by the lead-provider-api function after checking the token (Supabase Auth issues
-- no such role), and the token must still be unrevoked.
create or replace function app.current_lead_provider_id() returns uuid
  language sql stable security definer set search_path = ''
as $$
  select coalesce(
    (select pu.lead_provider_id from public.provider_users pu where pu.user_id = (select auth.uid())),
    (
      select t.lead_provider_id
      from app.api_tokens t
      where (select auth.jwt() ->> 'role') = 'lead_provider_api'
        and t.api_token_id = (select (auth.jwt() ->> 'api_token_id')::uuid)
        and t.revoked_at is null
    )
  )
$$;

-- How the caller reaches us, for the audit trail: 'api' for a token, else 'portal'.
create function app.current_channel() returns text
  language sql stable set search_path = ''
as $$
  select case when (select auth.jwt() ->> 'role') = 'lead_provider_api' then 'api' else 'portal' end
$$;

-- Checks a plain token, records its use and counts it against its rate limit. No row for an
-- unknown or revoked token; retry_after_seconds is set when the token is over its limit.
create function app.use_api_token(token text)
  returns table (api_token_id uuid, lead_provider_id uuid, retry_after_seconds integer)
  language plpgsql security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  this_window timestamptz := date_trunc('minute', now());
  used app.api_tokens%rowtype;
begin
  update app.api_tokens t
  set
    last_used_at = now(),
    rate_window_start = this_window,
    rate_window_requests = case
      when t.rate_window_start = this_window then t.rate_window_requests + 1 else 1
    end
  where t.token_hash = extensions.digest(convert_to(use_api_token.token, 'UTF8'), 'sha256')
    and t.revoked_at is null
  returning t.* into used;
  if used.api_token_id is null then
    return;
  end if;
  return query select
    used.api_token_id,
    used.lead_provider_id,
    case when used.rate_window_requests > used.requests_per_minute then
      greatest(1, ceil(extract(epoch from this_window + interval '1 minute' - now())))::integer
    end;
end
$$;

-- Support creates a token for a lead provider; the plain value is returned once, here.
create function app.create_api_token(lead_provider_id uuid, name text)
  returns table (api_token_id uuid, token text)
  language plpgsql security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  plain text := 'lpapi_' || app.new_link_token();
  created_id uuid;
begin
  if not app.is_support_user() then
    raise exception 'not_a_support_user'
      using hint = 'Only DfE support users can create API tokens.';
  end if;
  if not exists (
    select from public.lead_providers lp
    where lp.lead_provider_id = create_api_token.lead_provider_id
  ) then
    raise exception 'lead_provider_not_found' using hint = 'There is no such lead provider.';
  end if;
  if create_api_token.name is null or btrim(create_api_token.name) = ''
    or char_length(btrim(create_api_token.name)) > 100 then
    raise exception 'invalid_token_name'
      using hint = 'Enter a name for the token, 100 characters or fewer.';
  end if;
  insert into app.api_tokens (lead_provider_id, name, token_hash, created_by)
  values (
    create_api_token.lead_provider_id, btrim(create_api_token.name),
    extensions.digest(convert_to(plain, 'UTF8'), 'sha256'), auth.uid()
  )
  returning app.api_tokens.api_token_id into created_id;
  return query select created_id, plain;
end
$$;

-- A lead provider's tokens, never their values: for support (any provider) and for the
-- provider's own users.
create function app.list_api_tokens(lead_provider_id uuid)
  returns table (
    api_token_id uuid, name text, created_by_email text, created_at timestamptz,
    last_used_at timestamptz, revoked_at timestamptz
  )
  language sql stable security definer set search_path = ''
as $$
  select t.api_token_id, t.name, u.email::text, t.created_at, t.last_used_at, t.revoked_at
  from app.api_tokens t
  left join auth.users u on u.id = t.created_by
  where t.lead_provider_id = list_api_tokens.lead_provider_id
    and (app.is_support_user() or app.current_lead_provider_id() = list_api_tokens.lead_provider_id)
  order by t.revoked_at is not null, t.created_at desc
$$;

-- Support revokes a token; it stops working at once. Revoking twice is harmless.
create function app.revoke_api_token(revoked_token_id uuid)
  returns table (api_token_id uuid, lead_provider_id uuid, revoked_at timestamptz)
  language plpgsql security definer set search_path = ''
as $$
#variable_conflict use_column
begin
  if not app.is_support_user() then
    raise exception 'not_a_support_user'
      using hint = 'Only DfE support users can revoke API tokens.';
  end if;
  return query
  update app.api_tokens t
  set revoked_at = coalesce(t.revoked_at, now()), revoked_by = coalesce(t.revoked_by, auth.uid())
  where t.api_token_id = revoke_api_token.revoked_token_id
  returning t.api_token_id, t.lead_provider_id, t.revoked_at;
end
$$;

-- Claims an Idempotency-Key for the caller's lead provider in the caller's transaction. No row:
-- the key is new (or older than 24 hours) and the caller goes ahead, then stores its answer with
-- app.finish_idempotent_request in the same transaction. A concurrent request with the same key
-- waits on the key's row, then gets the stored answer. same_request is false when the key was
-- used for a different request.
create function app.claim_idempotency_key(idempotency_key text, request text)
  returns table (same_request boolean, response_status integer, response_body json)
  language plpgsql security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  caller_lead_provider_id uuid := app.current_lead_provider_id();
  given_hash bytea := extensions.digest(convert_to(request, 'UTF8'), 'sha256');
begin
  if caller_lead_provider_id is null then
    raise exception 'not_a_provider_user' using hint = 'Only lead providers can use this.';
  end if;
  delete from app.api_idempotency_keys k
  where k.lead_provider_id = caller_lead_provider_id
    and k.idempotency_key = claim_idempotency_key.idempotency_key
    and k.created_at < now() - interval '24 hours';
  insert into app.api_idempotency_keys (lead_provider_id, idempotency_key, request_hash)
  values (caller_lead_provider_id, claim_idempotency_key.idempotency_key, given_hash)
  on conflict do nothing;
  if found then
    return;
  end if;
  return query
  select k.request_hash = given_hash, k.response_status, k.response_body
  from app.api_idempotency_keys k
  where k.lead_provider_id = caller_lead_provider_id
    and k.idempotency_key = claim_idempotency_key.idempotency_key;
end
$$;

create function app.finish_idempotent_request(
  idempotency_key text, response_status integer, response_body json
)
  returns void
  language sql security definer set search_path = ''
as $$
  update app.api_idempotency_keys k
  set response_status = finish_idempotent_request.response_status,
    response_body = finish_idempotent_request.response_body
  where k.lead_provider_id = app.current_lead_provider_id()
    and k.idempotency_key = finish_idempotent_request.idempotency_key
$$;

-- Schools by URN or id, for a lead provider to find the ids it reports with: what GIAS publishes
-- (name, URN, status), nothing the school told us.
create function app.find_schools(urns text[], school_ids uuid[])
  returns table (school_id uuid, urn text, name text, status text, local_authority text)
  language sql stable security definer set search_path = ''
as $$
  select s.school_id, s.urn, s.name, s.status, s.local_authority
  from public.schools s
  where app.current_lead_provider_id() is not null
    and (s.urn = any (find_schools.urns) or s.school_id = any (find_schools.school_ids))
  order by s.urn
$$;

-- A lead provider changes the delivery partner of one of its active partnerships. That is a
-- re-report, as when the portal re-reports a school it lost: the school is emailed again naming
-- the new delivery partner and its window starts again. The same delivery partner changes
-- nothing. Refusals as app.report_schools makes them (P0001, code as message, HINT for people).
create function app.change_delivery_partner(partnership_id uuid, delivery_partner_id uuid)
  returns table (changed boolean)
  language plpgsql security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  caller_id uuid := auth.uid();
  caller_lead_provider_id uuid := app.current_lead_provider_id();
  locked public.partnerships%rowtype;
begin
  if caller_lead_provider_id is null then
    raise exception 'not_a_provider_user'
      using hint = 'Only lead provider users can report schools.';
  end if;
  select p.* into locked
  from public.partnerships p
  where p.partnership_id = change_delivery_partner.partnership_id
    and p.lead_provider_id = caller_lead_provider_id
  for update;
  if locked.partnership_id is null then
    raise exception 'partnership_not_found' using hint = 'Resource not found';
  end if;
  if not exists (
    select from public.provider_relationships r
    where r.lead_provider_id = caller_lead_provider_id
      and r.delivery_partner_id = change_delivery_partner.delivery_partner_id
      and r.cohort_id = locked.cohort_id
  ) then
    raise exception 'delivery_partner_not_related'
      using hint = 'You do not work with this delivery partner in this cohort.';
  end if;
  if locked.challenged_at is not null then
    raise exception 'partnership_challenged'
      using hint = 'Your update cannot be made as this partnership has been challenged by the '
        || 'school. If this partnership has been challenged in error, submit a new partnership '
        || 'confirmation using the endpoint POST /partnerships.';
  end if;
  if locked.delivery_partner_id = change_delivery_partner.delivery_partner_id then
    return query select false;
    return;
  end if;

  update public.partnerships p
  set delivery_partner_id = change_delivery_partner.delivery_partner_id,
    reported_at = now(),
    reported_by = caller_id,
    school_notified_at = null
  where p.partnership_id = locked.partnership_id;
  insert into public.partnership_events (partnership_id, kind, channel, actor_user_id, details)
  values (
    locked.partnership_id, 're_reported', app.current_channel(), caller_id,
    jsonb_build_object('delivery_partner_id', change_delivery_partner.delivery_partner_id)
  );
  -- Emails of the earlier report not yet sent are replaced by the new ones, to the same
  -- recipient app.report_schools chooses: the induction tutor, else the GIAS address.
  update public.notifications old
  set status = 'cancelled'
  where old.partnership_id = locked.partnership_id
    and old.status = 'queued'
    and old.kind in ('school_first', 'tutor_first', 'school_reminder', 'tutor_reminder');
  insert into public.notifications
    (kind, partnership_id, recipient_email, recipient_kind, status, due_at)
  select
    r.audience || e.suffix, locked.partnership_id, r.email, r.recipient_kind,
    case when r.email is null then 'no_address' else 'queued' end, now() + e.delay
  from (
    select
      case when t.school_id is null then 'school' else 'tutor' end as audience,
      coalesce(t.email, s.gias_email) as email,
      case when t.school_id is null then 'gias' else 'induction_tutor' end as recipient_kind
    from public.schools s
    left join public.induction_tutors t on t.school_id = s.school_id
    where s.school_id = locked.school_id
  ) r
  cross join (values ('_first', interval '0'), ('_reminder', interval '7 days')) e (suffix, delay)
  where r.email is not null or e.suffix = '_first';
  return query select true;
end
$$;

revoke execute on function
  app.touch_updated_at(),
  app.current_channel(),
  app.use_api_token(text),
  app.create_api_token(uuid, text),
  app.list_api_tokens(uuid),
  app.revoke_api_token(uuid),
  app.claim_idempotency_key(text, text),
  app.finish_idempotent_request(text, integer, json),
  app.find_schools(text[], uuid[]),
  app.change_delivery_partner(uuid, uuid)
from public;
grant execute on function app.use_api_token(text) to service_role;
grant execute on function
  app.current_channel(),
  app.create_api_token(uuid, text),
  app.list_api_tokens(uuid),
  app.revoke_api_token(uuid),
  app.claim_idempotency_key(text, text),
  app.finish_idempotent_request(text, integer, json),
  app.find_schools(text[], uuid[]),
  app.change_delivery_partner(uuid, uuid)
to app_user;
