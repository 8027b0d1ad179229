-- The data model of partnerships: who reported which school, the audit trail, the email outbox and
-- the link tokens. Row level security is enabled here, on every table, with no policies: nothing is
-- readable through the API until a later migration says so. Writes happen only through the
-- security-definer functions in schema `app`, so no API role gets INSERT, UPDATE or DELETE.

create schema if not exists app;
comment on schema app is
  'Business rules as SQL functions. Not exposed through the Data API; EXECUTE granted per role.';
create schema if not exists mi;
comment on schema mi is 'Management information views for analysts (role analyst).';

-- Postgres grants EXECUTE on new functions to PUBLIC; here nothing in `app` is callable by anyone
-- until a migration grants it on purpose.
alter default privileges in schema app revoke execute on functions from public;
revoke all on schema app from public;
revoke all on schema mi from public;
grant usage on schema app to authenticated, service_role;

-- Analysts read the MI views only. Created here, idempotently, because roles are cluster-wide and
-- may already exist (another database, a re-run); people get it with `grant analyst to <person>`.
do $$
begin
  if not exists (select from pg_catalog.pg_roles where rolname = 'analyst') then
    create role analyst nologin noinherit;
  end if;
end
$$;
grant usage on schema mi to analyst;

create table public.cohorts (
  cohort_id uuid primary key default gen_random_uuid(),
  start_year integer not null unique check (start_year between 2000 and 9999),
  academic_year_start date not null,
  -- Schools reported before term are not rushed: the anchor used academic-year start + 2 months
  -- - 1 day. Null: the cohort sets no earliest deadline.
  earliest_challenge_deadline date,
  created_at timestamptz not null default now()
);
comment on table public.cohorts is
  'Training cohorts; start_year 2026 is shown as "2026 to 2027".';

create table public.schools (
  school_id uuid primary key default gen_random_uuid(),
  -- GIAS unique reference number, stored as digits without leading zeros.
  urn text not null unique check (urn ~ '^[1-9][0-9]{0,7}$'),
  name text not null check (name <> ''),
  gias_email text check (gias_email <> ''),
  status text not null
    check (status in ('open', 'closed', 'proposed_to_close', 'proposed_to_open')),
  establishment_type text not null,
  is_independent boolean not null default false,
  in_england boolean not null default true,
  local_authority text,
  trust_uid text,
  trust_name text,
  trust_type text check (trust_type in ('multi_academy_trust', 'single_academy_trust')),
  created_at timestamptz not null default now(),
  check ((trust_uid is null) = (trust_type is null))
);
comment on table public.schools is 'Schools from Get Information about Schools (GIAS).';

create table public.induction_tutors (
  school_id uuid primary key references public.schools on delete cascade,
  full_name text not null check (full_name <> ''),
  email text not null check (email <> ''),
  updated_at timestamptz not null default now()
);
comment on table public.induction_tutors is 'The induction tutor a school has nominated, if any.';

create table public.lead_providers (
  lead_provider_id uuid primary key default gen_random_uuid(),
  name text not null unique check (name <> ''),
  created_at timestamptz not null default now()
);

create table public.delivery_partners (
  delivery_partner_id uuid primary key default gen_random_uuid(),
  name text not null unique check (name <> ''),
  created_at timestamptz not null default now()
);

create table public.provider_relationships (
  lead_provider_id uuid not null references public.lead_providers on delete cascade,
  delivery_partner_id uuid not null references public.delivery_partners on delete cascade,
  cohort_id uuid not null references public.cohorts on delete cascade,
  created_at timestamptz not null default now(),
  primary key (lead_provider_id, delivery_partner_id, cohort_id)
);
create index provider_relationships_delivery_partner_idx
  on public.provider_relationships (delivery_partner_id);
create index provider_relationships_cohort_idx on public.provider_relationships (cohort_id);
comment on table public.provider_relationships is
  'A lead provider works with a delivery partner in a cohort.';

create table public.provider_users (
  user_id uuid primary key references auth.users on delete cascade,
  lead_provider_id uuid not null references public.lead_providers on delete cascade,
  full_name text not null check (full_name <> ''),
  email text not null check (email <> ''),
  created_at timestamptz not null default now()
);
create index provider_users_lead_provider_idx on public.provider_users (lead_provider_id);

create table public.support_users (
  user_id uuid primary key references auth.users on delete cascade,
  full_name text not null check (full_name <> ''),
  email text not null check (email <> ''),
  created_at timestamptz not null default now()
);
comment on table public.support_users is 'DfE support staff.';

create table public.challenge_reasons (
  code text primary key,
  label text not null unique,
  position integer not null unique
);
comment on table public.challenge_reasons is 'The reasons a school may give, in the order shown.';

-- Reference data the service cannot run without, so it ships with the schema, not the seed.
insert into public.challenge_reasons (code, label, position) values
  ('another_provider', 'I have already confirmed an agreement with another provider', 1),
  ('not_confirmed', 'We have not confirmed an agreement', 2),
  ('do_not_recognise', 'I do not recognise this training provider', 3),
  ('no_ects', 'We do not have any early career teachers this year', 4),
  ('mistake', 'This looks like a mistake', 5);

create table public.partnerships (
  partnership_id uuid primary key default gen_random_uuid(),
  school_id uuid not null references public.schools,
  lead_provider_id uuid not null references public.lead_providers,
  delivery_partner_id uuid not null references public.delivery_partners,
  cohort_id uuid not null references public.cohorts,
  reported_at timestamptz not null default now(),
  reported_by uuid references auth.users on delete set null,
  -- When Notify accepted the latest school email: the challenge window runs from here.
  school_notified_at timestamptz,
  challenged_at timestamptz,
  challenge_reason text references public.challenge_reasons,
  challenge_channel text check (challenge_channel in ('email_link', 'support')),
  challenged_by uuid references auth.users on delete set null,
  challenge_note text check (char_length(challenge_note) <= 2000),
  check ((challenged_at is null) = (challenge_reason is null)),
  check ((challenged_at is null) = (challenge_channel is null)),
  -- A lead provider that re-reports a school it lost reactivates its own partnership.
  unique (school_id, cohort_id, lead_provider_id)
);
-- Active = not challenged. The database, not only the report function, keeps one active
-- partnership per school and cohort, so concurrent reports cannot both win.
create unique index partnerships_one_active_per_school_cohort
  on public.partnerships (school_id, cohort_id) where challenged_at is null;
create index partnerships_lead_provider_idx on public.partnerships (lead_provider_id, cohort_id);
create index partnerships_delivery_partner_idx on public.partnerships (delivery_partner_id);
create index partnerships_cohort_idx on public.partnerships (cohort_id);
comment on table public.partnerships is
  'A school recruited by a lead provider, with a delivery partner, for a cohort.';

-- Append-only audit trail: no API role may update or delete (only the owner, for data fixes).
create table public.partnership_events (
  event_id bigint generated always as identity primary key,
  partnership_id uuid not null references public.partnerships on delete cascade,
  kind text not null check (
    kind in (
      'reported', 're_reported', 'notified', 'delivered', 'delivery_failed', 'reminded',
      'challenged'
    )
  ),
  -- How it happened: portal, email_link, support, notify.
  channel text,
  actor_user_id uuid references auth.users on delete set null,
  details jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index partnership_events_partnership_idx
  on public.partnership_events (partnership_id, created_at);
create index partnership_events_kind_idx on public.partnership_events (kind, created_at);

-- The email outbox: one row per email, written in the transaction that decides it is due.
create table public.notifications (
  notification_id uuid primary key default gen_random_uuid(),
  kind text not null check (
    kind in (
      'school_first', 'tutor_first', 'school_reminder', 'tutor_reminder', 'provider_challenged'
    )
  ),
  partnership_id uuid not null references public.partnerships on delete cascade,
  recipient_email text check (recipient_email <> ''),
  recipient_kind text not null check (
    recipient_kind in ('induction_tutor', 'gias', 'provider_user', 'support_corrected')
  ),
  status text not null default 'queued' check (
    status in ('queued', 'sending', 'sent', 'failed', 'cancelled', 'no_address')
  ),
  due_at timestamptz not null default now(),
  lease_expires_at timestamptz,
  attempts integer not null default 0 check (attempts >= 0),
  last_error text,
  notify_id text unique,
  sent_at timestamptz,
  delivery_status text check (
    delivery_status in
      ('delivered', 'permanent-failure', 'temporary-failure', 'technical-failure')
  ),
  delivery_status_at timestamptz,
  created_at timestamptz not null default now(),
  -- No address is recorded as such and never sent elsewhere.
  check ((status = 'no_address') = (recipient_email is null))
);
create index notifications_due_idx on public.notifications (due_at)
  where status in ('queued', 'sending');
create index notifications_partnership_idx on public.notifications (partnership_id);

-- One per school email. Only the sha256 of the token is kept; the plain token exists in the email.
create table public.link_tokens (
  token_hash bytea primary key check (octet_length(token_hash) = 32),
  partnership_id uuid not null references public.partnerships on delete cascade,
  notification_id uuid references public.notifications on delete cascade,
  created_at timestamptz not null default now()
);
create index link_tokens_partnership_idx on public.link_tokens (partnership_id);
create index link_tokens_notification_idx on public.link_tokens (notification_id);

-- Deny by default: RLS on every table, policies come later and only for reading.
alter table public.cohorts enable row level security;
alter table public.schools enable row level security;
alter table public.induction_tutors enable row level security;
alter table public.lead_providers enable row level security;
alter table public.delivery_partners enable row level security;
alter table public.provider_relationships enable row level security;
alter table public.provider_users enable row level security;
alter table public.support_users enable row level security;
alter table public.challenge_reasons enable row level security;
alter table public.partnerships enable row level security;
alter table public.partnership_events enable row level security;
alter table public.notifications enable row level security;
alter table public.link_tokens enable row level security;

-- Grants written out: older projects grant everything in public to the API roles by default.
revoke all on
  public.cohorts, public.schools, public.induction_tutors, public.lead_providers,
  public.delivery_partners, public.provider_relationships, public.provider_users,
  public.support_users, public.challenge_reasons, public.partnerships,
  public.partnership_events, public.notifications, public.link_tokens
from public, anon, authenticated, service_role;

-- Signed-in users read what the RLS policies let them; link tokens are never readable.
grant select on
  public.cohorts, public.schools, public.induction_tutors, public.lead_providers,
  public.delivery_partners, public.provider_relationships, public.provider_users,
  public.support_users, public.challenge_reasons, public.partnerships,
  public.partnership_events, public.notifications
to authenticated;

-- The service role (edge functions' own work, bypasses RLS) may change data, but the audit trail
-- stays append-only.
grant select, insert, update, delete on
  public.cohorts, public.schools, public.induction_tutors, public.lead_providers,
  public.delivery_partners, public.provider_relationships, public.provider_users,
  public.support_users, public.challenge_reasons, public.partnerships, public.notifications,
  public.link_tokens
to service_role;
grant select, insert on public.partnership_events to service_role;
