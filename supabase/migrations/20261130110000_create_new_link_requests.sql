-- "Get a new link": a school that lost its email asks, by URN, for a fresh link to the same
-- report. The link goes only to the school's known addresses (its induction tutor and its GIAS
-- address), as a new kind of email, `new_link`, through the outbox like every other email. The
-- deadline does not restart: a `new_link` email never moves `school_notified_at`.
--
-- Each request is recorded in `app.new_link_requests` (whether or not the URN matched), which is
-- also what the limits count: per URN, so no one can flood a school's inbox, and per client (a
-- sha256 of the caller's address, never the address itself), so no one can walk through URNs.

alter table public.notifications drop constraint notifications_kind_check;
alter table public.notifications add constraint notifications_kind_check check (
  kind in (
    'school_first', 'tutor_first', 'school_reminder', 'tutor_reminder', 'provider_challenged',
    'new_link'
  )
);

alter table public.partnership_events drop constraint partnership_events_kind_check;
alter table public.partnership_events add constraint partnership_events_kind_check check (
  kind in (
    'reported', 're_reported', 'notified', 'delivered', 'delivery_failed', 'reminded',
    'challenged', 'resend_requested', 'new_link_requested', 'new_link_sent'
  )
);

create table app.new_link_requests (
  request_id bigint generated always as identity primary key,
  -- As typed, trimmed and cut to 20 characters: a malformed URN is recorded and counted too.
  urn text not null check (char_length(urn) <= 20),
  client_hash bytea not null check (octet_length(client_hash) = 32),
  -- accepted: counted and answered (whether or not it matched); limited: refused by a limit.
  outcome text not null check (outcome in ('accepted', 'urn_limit', 'client_limit')),
  -- How many partnerships were sent a new link (0 when the URN matched none that is open).
  links_sent integer not null default 0 check (links_sent >= 0),
  created_at timestamptz not null default now()
);
create index new_link_requests_urn_idx on app.new_link_requests (urn, created_at);
create index new_link_requests_client_idx on app.new_link_requests (client_hash, created_at);
alter table app.new_link_requests enable row level security;
revoke all on app.new_link_requests from public, anon, authenticated, service_role;
comment on table app.new_link_requests is
  'Every "Get a new link" request: what the limits count. No address is kept, only its hash.';

-- The limits, in one place; the page says them in words (web/src/new_link_words.ts).
create function app.new_link_limits(out per_urn integer, out urn_window interval,
  out per_client integer, out client_window interval)
  language sql immutable set search_path = ''
as $$
  select 3, interval '24 hours', 10, interval '1 hour'
$$;

-- Answers {status: accepted | urn_limit | client_limit}. "accepted" says nothing about whether
-- the URN matched: the page shows the same confirmation either way.
create function app.request_new_link(urn text, client_hash bytea) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  typed text := left(btrim(request_new_link.urn), 20);
  limits record := app.new_link_limits();
  outcome text := 'accepted';
  sent integer := 0;
  open_partnership record;
begin
  -- One request at a time per URN and per client, so two at once cannot both slip under a limit.
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('new_link:' || typed, 0));
  perform pg_catalog.pg_advisory_xact_lock(
    pg_catalog.hashtextextended('new_link:' || encode(request_new_link.client_hash, 'hex'), 0)
  );

  if (
    select count(*) from app.new_link_requests r
    where r.client_hash = request_new_link.client_hash and r.outcome = 'accepted'
      and r.created_at > now() - limits.client_window
  ) >= limits.per_client then
    outcome := 'client_limit';
  elsif (
    select count(*) from app.new_link_requests r
    where r.urn = typed and r.outcome = 'accepted' and r.created_at > now() - limits.urn_window
  ) >= limits.per_urn then
    outcome := 'urn_limit';
  end if;

  if outcome = 'accepted' then
    for open_partnership in
      select p.partnership_id, s.gias_email, t.email as tutor_email
      from public.schools s
      join public.partnerships p on p.school_id = s.school_id
      left join public.induction_tutors t on t.school_id = s.school_id
      where s.urn = typed
        and s.status in ('open', 'proposed_to_close')
        and p.challenged_at is null
        -- Only once the school has been sent its first email: until then there is no report to
        -- send a new link for, and the first email is on its way.
        and p.school_notified_at is not null
      order by p.partnership_id
      for update of p
    loop
      if now() >= app.challenge_window_closes_at(
        app.partnership_deadline_date(open_partnership.partnership_id)
      ) then
        continue;
      end if;
      insert into public.notifications (kind, partnership_id, recipient_email, recipient_kind)
      select 'new_link', open_partnership.partnership_id, address.email, address.recipient_kind
      from (
        values
          (open_partnership.tutor_email, 'induction_tutor', 1),
          (open_partnership.gias_email, 'gias', 2)
      ) as address (email, recipient_kind, position)
      where address.email is not null
        -- The tutor and the GIAS address may be the same mailbox: one email, not two.
        and not (
          address.position = 2
          and lower(address.email) is not distinct from lower(open_partnership.tutor_email)
        );
      insert into public.partnership_events (partnership_id, kind, channel)
      values (open_partnership.partnership_id, 'new_link_requested', 'new_link_page');
      sent := sent + 1;
    end loop;
  end if;

  insert into app.new_link_requests (urn, client_hash, outcome, links_sent)
  values (typed, request_new_link.client_hash, outcome, sent);
  return jsonb_build_object('status', outcome);
end
$$;
revoke execute on function app.request_new_link(text, bytea) from public;
revoke execute on function app.new_link_limits() from public;
grant execute on function app.request_new_link(text, bytea) to service_role;
grant execute on function app.new_link_limits() to service_role;
