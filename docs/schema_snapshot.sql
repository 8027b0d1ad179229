-- The shape of the database after every migration, for reading: this file is generated.
-- Rewrite it with `deno task schema-snapshot`; a test fails when it is stale. Never apply
-- it: supabase/migrations is what builds a database.

-- =================================================================================================
-- Schemas
-- =================================================================================================

create schema app authorization postgres;
create schema mi authorization postgres;
create schema public authorization pg_database_owner;

-- =================================================================================================
-- Tables
-- =================================================================================================

create table app.api_idempotency_keys (
  lead_provider_id uuid not null,
  idempotency_key text not null,
  request_hash bytea not null,
  response_status integer,
  response_body json,
  created_at timestamp with time zone not null default now()
);
alter table app.api_idempotency_keys enable row level security;
alter table app.api_idempotency_keys add constraint api_idempotency_keys_idempotency_key_check CHECK (((char_length(idempotency_key) >= 1) AND (char_length(idempotency_key) <= 255)));
alter table app.api_idempotency_keys add constraint api_idempotency_keys_lead_provider_id_fkey FOREIGN KEY (lead_provider_id) REFERENCES public.lead_providers(lead_provider_id) ON DELETE CASCADE;
alter table app.api_idempotency_keys add constraint api_idempotency_keys_pkey PRIMARY KEY (lead_provider_id, idempotency_key);

create table app.api_tokens (
  api_token_id uuid not null default gen_random_uuid(),
  lead_provider_id uuid not null,
  name text not null,
  token_hash bytea not null,
  created_by uuid,
  created_at timestamp with time zone not null default now(),
  last_used_at timestamp with time zone,
  revoked_at timestamp with time zone,
  revoked_by uuid,
  requests_per_minute integer not null default 300,
  rate_window_start timestamp with time zone,
  rate_window_requests integer not null default 0
);
alter table app.api_tokens enable row level security;
alter table app.api_tokens add constraint api_tokens_created_by_fkey FOREIGN KEY (created_by) REFERENCES auth.users(id) ON DELETE SET NULL;
alter table app.api_tokens add constraint api_tokens_lead_provider_id_fkey FOREIGN KEY (lead_provider_id) REFERENCES public.lead_providers(lead_provider_id) ON DELETE CASCADE;
alter table app.api_tokens add constraint api_tokens_name_check CHECK ((((char_length(name) >= 1) AND (char_length(name) <= 100)) AND (name = btrim(name))));
alter table app.api_tokens add constraint api_tokens_pkey PRIMARY KEY (api_token_id);
alter table app.api_tokens add constraint api_tokens_requests_per_minute_check CHECK ((requests_per_minute > 0));
alter table app.api_tokens add constraint api_tokens_revoked_by_fkey FOREIGN KEY (revoked_by) REFERENCES auth.users(id) ON DELETE SET NULL;
alter table app.api_tokens add constraint api_tokens_token_hash_check CHECK ((octet_length(token_hash) = 32));
alter table app.api_tokens add constraint api_tokens_token_hash_key UNIQUE (token_hash);
CREATE INDEX api_tokens_lead_provider_idx ON app.api_tokens USING btree (lead_provider_id, created_at);

create table app.new_link_requests (
  request_id bigint not null,
  urn text not null,
  client_hash bytea not null,
  outcome text not null,
  links_sent integer not null default 0,
  created_at timestamp with time zone not null default now()
);
alter table app.new_link_requests enable row level security;
alter table app.new_link_requests add constraint new_link_requests_client_hash_check CHECK ((octet_length(client_hash) = 32));
alter table app.new_link_requests add constraint new_link_requests_links_sent_check CHECK ((links_sent >= 0));
alter table app.new_link_requests add constraint new_link_requests_outcome_check CHECK ((outcome = ANY (ARRAY['accepted'::text, 'urn_limit'::text, 'client_limit'::text])));
alter table app.new_link_requests add constraint new_link_requests_pkey PRIMARY KEY (request_id);
alter table app.new_link_requests add constraint new_link_requests_urn_check CHECK ((char_length(urn) <= 20));
CREATE INDEX new_link_requests_client_idx ON app.new_link_requests USING btree (client_hash, created_at);
CREATE INDEX new_link_requests_urn_idx ON app.new_link_requests USING btree (urn, created_at);

create table app.notification_pacing (
  singleton boolean not null default true,
  tokens double precision not null,
  left_at timestamp with time zone not null
);
alter table app.notification_pacing enable row level security;
alter table app.notification_pacing add constraint notification_pacing_pkey PRIMARY KEY (singleton);
alter table app.notification_pacing add constraint notification_pacing_singleton_check CHECK (singleton);
alter table app.notification_pacing add constraint notification_pacing_tokens_check CHECK ((tokens >= (0)::double precision));

create table app.notification_runs (
  singleton boolean not null default true,
  run_id uuid not null,
  lease_expires_at timestamp with time zone not null
);
alter table app.notification_runs enable row level security;
alter table app.notification_runs add constraint notification_runs_pkey PRIMARY KEY (singleton);
alter table app.notification_runs add constraint notification_runs_singleton_check CHECK (singleton);

create table app.notification_wake (
  singleton boolean not null default true,
  requested_at timestamp with time zone
);
alter table app.notification_wake enable row level security;
alter table app.notification_wake add constraint notification_wake_pkey PRIMARY KEY (singleton);
alter table app.notification_wake add constraint notification_wake_singleton_check CHECK (singleton);

create table app.report_outcomes (
  report_event_id bigint not null,
  partnership_id uuid not null,
  cohort_id uuid not null,
  lead_provider_id uuid not null,
  delivery_partner_id uuid not null,
  school_id uuid not null,
  is_re_report boolean not null,
  reported_at timestamp with time zone not null,
  report_week_starting date not null,
  report_iso_week text not null,
  challenge_event_id bigint,
  challenged_at timestamp with time zone,
  challenge_reason text
);
alter table app.report_outcomes enable row level security;
alter table app.report_outcomes add constraint report_outcomes_check CHECK (((challenge_event_id IS NULL) = (challenged_at IS NULL)));
alter table app.report_outcomes add constraint report_outcomes_pkey PRIMARY KEY (report_event_id);
alter table app.report_outcomes add constraint report_outcomes_report_event_id_fkey FOREIGN KEY (report_event_id) REFERENCES public.partnership_events(event_id) ON DELETE CASCADE;

create table public.challenge_reasons (
  code text not null,
  label text not null,
  "position" integer not null
);
alter table public.challenge_reasons enable row level security;
alter table public.challenge_reasons add constraint challenge_reasons_label_key UNIQUE (label);
alter table public.challenge_reasons add constraint challenge_reasons_pkey PRIMARY KEY (code);
alter table public.challenge_reasons add constraint challenge_reasons_position_key UNIQUE ("position");

create table public.cohorts (
  cohort_id uuid not null default gen_random_uuid(),
  start_year integer not null,
  academic_year_start date not null,
  earliest_challenge_deadline date,
  created_at timestamp with time zone not null default now()
);
alter table public.cohorts enable row level security;
alter table public.cohorts add constraint cohorts_pkey PRIMARY KEY (cohort_id);
alter table public.cohorts add constraint cohorts_start_year_check CHECK (((start_year >= 2000) AND (start_year <= 9999)));
alter table public.cohorts add constraint cohorts_start_year_key UNIQUE (start_year);

create table public.delivery_partners (
  delivery_partner_id uuid not null default gen_random_uuid(),
  name text not null,
  created_at timestamp with time zone not null default now()
);
alter table public.delivery_partners enable row level security;
alter table public.delivery_partners add constraint delivery_partners_name_check CHECK ((name <> ''::text));
alter table public.delivery_partners add constraint delivery_partners_name_key UNIQUE (name);
alter table public.delivery_partners add constraint delivery_partners_pkey PRIMARY KEY (delivery_partner_id);

create table public.induction_tutors (
  school_id uuid not null,
  full_name text not null,
  email text not null,
  updated_at timestamp with time zone not null default now()
);
alter table public.induction_tutors enable row level security;
alter table public.induction_tutors add constraint induction_tutors_email_check CHECK ((email <> ''::text));
alter table public.induction_tutors add constraint induction_tutors_full_name_check CHECK ((full_name <> ''::text));
alter table public.induction_tutors add constraint induction_tutors_pkey PRIMARY KEY (school_id);
alter table public.induction_tutors add constraint induction_tutors_school_id_fkey FOREIGN KEY (school_id) REFERENCES public.schools(school_id) ON DELETE CASCADE;

create table public.lead_providers (
  lead_provider_id uuid not null default gen_random_uuid(),
  name text not null,
  created_at timestamp with time zone not null default now()
);
alter table public.lead_providers enable row level security;
alter table public.lead_providers add constraint lead_providers_name_check CHECK ((name <> ''::text));
alter table public.lead_providers add constraint lead_providers_name_key UNIQUE (name);
alter table public.lead_providers add constraint lead_providers_pkey PRIMARY KEY (lead_provider_id);

create table public.link_tokens (
  token_hash bytea not null,
  partnership_id uuid not null,
  notification_id uuid,
  created_at timestamp with time zone not null default now()
);
alter table public.link_tokens enable row level security;
alter table public.link_tokens add constraint link_tokens_notification_id_fkey FOREIGN KEY (notification_id) REFERENCES public.notifications(notification_id) ON DELETE CASCADE;
alter table public.link_tokens add constraint link_tokens_partnership_id_fkey FOREIGN KEY (partnership_id) REFERENCES public.partnerships(partnership_id) ON DELETE CASCADE;
alter table public.link_tokens add constraint link_tokens_pkey PRIMARY KEY (token_hash);
alter table public.link_tokens add constraint link_tokens_token_hash_check CHECK ((octet_length(token_hash) = 32));
CREATE INDEX link_tokens_notification_idx ON public.link_tokens USING btree (notification_id);
CREATE INDEX link_tokens_partnership_idx ON public.link_tokens USING btree (partnership_id);

create table public.notifications (
  notification_id uuid not null default gen_random_uuid(),
  kind text not null,
  partnership_id uuid not null,
  recipient_email text,
  recipient_kind text not null,
  status text not null default 'queued'::text,
  due_at timestamp with time zone not null default now(),
  lease_expires_at timestamp with time zone,
  attempts integer not null default 0,
  last_error text,
  notify_id text,
  sent_at timestamp with time zone,
  delivery_status text,
  delivery_status_at timestamp with time zone,
  created_at timestamp with time zone not null default now()
);
alter table public.notifications enable row level security;
alter table public.notifications add constraint notifications_attempts_check CHECK ((attempts >= 0));
alter table public.notifications add constraint notifications_check CHECK (((status = 'no_address'::text) = (recipient_email IS NULL)));
alter table public.notifications add constraint notifications_delivery_status_check CHECK ((delivery_status = ANY (ARRAY['delivered'::text, 'permanent-failure'::text, 'temporary-failure'::text, 'technical-failure'::text])));
alter table public.notifications add constraint notifications_kind_check CHECK ((kind = ANY (ARRAY['school_first'::text, 'tutor_first'::text, 'school_reminder'::text, 'tutor_reminder'::text, 'provider_challenged'::text, 'new_link'::text])));
alter table public.notifications add constraint notifications_notify_id_key UNIQUE (notify_id);
alter table public.notifications add constraint notifications_partnership_id_fkey FOREIGN KEY (partnership_id) REFERENCES public.partnerships(partnership_id) ON DELETE CASCADE;
alter table public.notifications add constraint notifications_pkey PRIMARY KEY (notification_id);
alter table public.notifications add constraint notifications_recipient_email_check CHECK ((recipient_email <> ''::text));
alter table public.notifications add constraint notifications_recipient_kind_check CHECK ((recipient_kind = ANY (ARRAY['induction_tutor'::text, 'gias'::text, 'provider_user'::text, 'support_corrected'::text])));
alter table public.notifications add constraint notifications_status_check CHECK ((status = ANY (ARRAY['queued'::text, 'sending'::text, 'sent'::text, 'failed'::text, 'cancelled'::text, 'no_address'::text])));
CREATE INDEX notifications_due_idx ON public.notifications USING btree (due_at) WHERE (status = ANY (ARRAY['queued'::text, 'sending'::text]));
CREATE INDEX notifications_partnership_idx ON public.notifications USING btree (partnership_id);
CREATE INDEX notifications_queued_due_idx ON public.notifications USING btree (due_at, created_at) WHERE (status = 'queued'::text);
CREATE INDEX notifications_sending_lease_idx ON public.notifications USING btree (lease_expires_at) WHERE (status = 'sending'::text);

create table public.partnership_events (
  event_id bigint not null,
  partnership_id uuid not null,
  kind text not null,
  channel text,
  actor_user_id uuid,
  details jsonb not null default '{}'::jsonb,
  created_at timestamp with time zone not null default now()
);
alter table public.partnership_events enable row level security;
alter table public.partnership_events add constraint partnership_events_actor_user_id_fkey FOREIGN KEY (actor_user_id) REFERENCES auth.users(id) ON DELETE SET NULL;
alter table public.partnership_events add constraint partnership_events_kind_check CHECK ((kind = ANY (ARRAY['reported'::text, 're_reported'::text, 'notified'::text, 'delivered'::text, 'delivery_failed'::text, 'reminded'::text, 'challenged'::text, 'resend_requested'::text, 'new_link_requested'::text, 'new_link_sent'::text])));
alter table public.partnership_events add constraint partnership_events_partnership_id_fkey FOREIGN KEY (partnership_id) REFERENCES public.partnerships(partnership_id) ON DELETE CASCADE;
alter table public.partnership_events add constraint partnership_events_pkey PRIMARY KEY (event_id);
CREATE INDEX partnership_events_kind_idx ON public.partnership_events USING btree (kind, created_at);
CREATE INDEX partnership_events_partnership_idx ON public.partnership_events USING btree (partnership_id, created_at);

create table public.partnerships (
  partnership_id uuid not null default gen_random_uuid(),
  school_id uuid not null,
  lead_provider_id uuid not null,
  delivery_partner_id uuid not null,
  cohort_id uuid not null,
  reported_at timestamp with time zone not null default now(),
  reported_by uuid,
  school_notified_at timestamp with time zone,
  challenged_at timestamp with time zone,
  challenge_reason text,
  challenge_channel text,
  challenged_by uuid,
  challenge_note text,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now()
);
alter table public.partnerships enable row level security;
alter table public.partnerships add constraint partnerships_challenge_channel_check CHECK ((challenge_channel = ANY (ARRAY['email_link'::text, 'support'::text])));
alter table public.partnerships add constraint partnerships_challenge_note_check CHECK ((char_length(challenge_note) <= 2000));
alter table public.partnerships add constraint partnerships_challenge_reason_fkey FOREIGN KEY (challenge_reason) REFERENCES public.challenge_reasons(code);
alter table public.partnerships add constraint partnerships_challenged_by_fkey FOREIGN KEY (challenged_by) REFERENCES auth.users(id) ON DELETE SET NULL;
alter table public.partnerships add constraint partnerships_check CHECK (((challenged_at IS NULL) = (challenge_reason IS NULL)));
alter table public.partnerships add constraint partnerships_check1 CHECK (((challenged_at IS NULL) = (challenge_channel IS NULL)));
alter table public.partnerships add constraint partnerships_cohort_id_fkey FOREIGN KEY (cohort_id) REFERENCES public.cohorts(cohort_id);
alter table public.partnerships add constraint partnerships_delivery_partner_id_fkey FOREIGN KEY (delivery_partner_id) REFERENCES public.delivery_partners(delivery_partner_id);
alter table public.partnerships add constraint partnerships_lead_provider_id_fkey FOREIGN KEY (lead_provider_id) REFERENCES public.lead_providers(lead_provider_id);
alter table public.partnerships add constraint partnerships_pkey PRIMARY KEY (partnership_id);
alter table public.partnerships add constraint partnerships_reported_by_fkey FOREIGN KEY (reported_by) REFERENCES auth.users(id) ON DELETE SET NULL;
alter table public.partnerships add constraint partnerships_school_id_cohort_id_lead_provider_id_key UNIQUE (school_id, cohort_id, lead_provider_id);
alter table public.partnerships add constraint partnerships_school_id_fkey FOREIGN KEY (school_id) REFERENCES public.schools(school_id);
CREATE INDEX partnerships_cohort_idx ON public.partnerships USING btree (cohort_id);
CREATE INDEX partnerships_delivery_partner_idx ON public.partnerships USING btree (delivery_partner_id);
CREATE INDEX partnerships_lead_provider_delivery_partner_idx ON public.partnerships USING btree (lead_provider_id, delivery_partner_id);
CREATE INDEX partnerships_lead_provider_idx ON public.partnerships USING btree (lead_provider_id, cohort_id);
CREATE UNIQUE INDEX partnerships_one_active_per_school_cohort ON public.partnerships USING btree (school_id, cohort_id) WHERE (challenged_at IS NULL);
CREATE INDEX partnerships_provider_created_idx ON public.partnerships USING btree (lead_provider_id, created_at, partnership_id);
CREATE INDEX partnerships_provider_updated_idx ON public.partnerships USING btree (lead_provider_id, updated_at, partnership_id);

create table public.provider_relationships (
  lead_provider_id uuid not null,
  delivery_partner_id uuid not null,
  cohort_id uuid not null,
  created_at timestamp with time zone not null default now()
);
alter table public.provider_relationships enable row level security;
alter table public.provider_relationships add constraint provider_relationships_cohort_id_fkey FOREIGN KEY (cohort_id) REFERENCES public.cohorts(cohort_id) ON DELETE CASCADE;
alter table public.provider_relationships add constraint provider_relationships_delivery_partner_id_fkey FOREIGN KEY (delivery_partner_id) REFERENCES public.delivery_partners(delivery_partner_id) ON DELETE CASCADE;
alter table public.provider_relationships add constraint provider_relationships_lead_provider_id_fkey FOREIGN KEY (lead_provider_id) REFERENCES public.lead_providers(lead_provider_id) ON DELETE CASCADE;
alter table public.provider_relationships add constraint provider_relationships_pkey PRIMARY KEY (lead_provider_id, delivery_partner_id, cohort_id);
CREATE INDEX provider_relationships_cohort_idx ON public.provider_relationships USING btree (cohort_id);
CREATE INDEX provider_relationships_delivery_partner_idx ON public.provider_relationships USING btree (delivery_partner_id);

create table public.provider_users (
  user_id uuid not null,
  lead_provider_id uuid not null,
  full_name text not null,
  email text not null,
  created_at timestamp with time zone not null default now()
);
alter table public.provider_users enable row level security;
alter table public.provider_users add constraint provider_users_email_check CHECK ((email <> ''::text));
alter table public.provider_users add constraint provider_users_full_name_check CHECK ((full_name <> ''::text));
alter table public.provider_users add constraint provider_users_lead_provider_id_fkey FOREIGN KEY (lead_provider_id) REFERENCES public.lead_providers(lead_provider_id) ON DELETE CASCADE;
alter table public.provider_users add constraint provider_users_pkey PRIMARY KEY (user_id);
alter table public.provider_users add constraint provider_users_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE;
CREATE INDEX provider_users_lead_provider_idx ON public.provider_users USING btree (lead_provider_id);

create table public.schools (
  school_id uuid not null default gen_random_uuid(),
  urn text not null,
  name text not null,
  gias_email text,
  status text not null,
  establishment_type text not null,
  is_independent boolean not null default false,
  in_england boolean not null default true,
  local_authority text,
  trust_uid text,
  trust_name text,
  trust_type text,
  created_at timestamp with time zone not null default now()
);
alter table public.schools enable row level security;
alter table public.schools add constraint schools_check CHECK (((trust_uid IS NULL) = (trust_type IS NULL)));
alter table public.schools add constraint schools_gias_email_check CHECK ((gias_email <> ''::text));
alter table public.schools add constraint schools_name_check CHECK ((name <> ''::text));
alter table public.schools add constraint schools_pkey PRIMARY KEY (school_id);
alter table public.schools add constraint schools_status_check CHECK ((status = ANY (ARRAY['open'::text, 'closed'::text, 'proposed_to_close'::text, 'proposed_to_open'::text])));
alter table public.schools add constraint schools_trust_type_check CHECK ((trust_type = ANY (ARRAY['multi_academy_trust'::text, 'single_academy_trust'::text])));
alter table public.schools add constraint schools_urn_check CHECK ((urn ~ '^[1-9][0-9]{0,7}$'::text));
alter table public.schools add constraint schools_urn_key UNIQUE (urn);

create table public.support_users (
  user_id uuid not null,
  full_name text not null,
  email text not null,
  created_at timestamp with time zone not null default now()
);
alter table public.support_users enable row level security;
alter table public.support_users add constraint support_users_email_check CHECK ((email <> ''::text));
alter table public.support_users add constraint support_users_full_name_check CHECK ((full_name <> ''::text));
alter table public.support_users add constraint support_users_pkey PRIMARY KEY (user_id);
alter table public.support_users add constraint support_users_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE;

-- =================================================================================================
-- Row level security policies
-- =================================================================================================

create policy "Provider and support users can read challenge reasons" on public.challenge_reasons as permissive for select to app_user
  using (((( SELECT app.current_lead_provider_id() AS current_lead_provider_id) IS NOT NULL) OR ( SELECT app.is_support_user() AS is_support_user)));

create policy "Provider and support users can read cohorts" on public.cohorts as permissive for select to app_user
  using (((( SELECT app.current_lead_provider_id() AS current_lead_provider_id) IS NOT NULL) OR ( SELECT app.is_support_user() AS is_support_user)));

create policy "Provider users can read the delivery partners they work with" on public.delivery_partners as permissive for select to app_user
  using (((EXISTS ( SELECT
   FROM public.provider_relationships r
  WHERE ((r.delivery_partner_id = delivery_partners.delivery_partner_id) AND (r.lead_provider_id = ( SELECT app.current_lead_provider_id() AS current_lead_provider_id))))) OR (EXISTS ( SELECT
   FROM public.partnerships p
  WHERE ((p.delivery_partner_id = delivery_partners.delivery_partner_id) AND (p.lead_provider_id = ( SELECT app.current_lead_provider_id() AS current_lead_provider_id)))))));

create policy "Support users can read delivery partners" on public.delivery_partners as permissive for select to app_user
  using (( SELECT app.is_support_user() AS is_support_user));

create policy "Support users can read induction tutors" on public.induction_tutors as permissive for select to app_user
  using (( SELECT app.is_support_user() AS is_support_user));

create policy "Provider users can read their own lead provider" on public.lead_providers as permissive for select to app_user
  using ((lead_provider_id = ( SELECT app.current_lead_provider_id() AS current_lead_provider_id)));

create policy "Support users can read lead providers" on public.lead_providers as permissive for select to app_user
  using (( SELECT app.is_support_user() AS is_support_user));

create policy "Support users can read notifications" on public.notifications as permissive for select to app_user
  using (( SELECT app.is_support_user() AS is_support_user));

create policy "Provider users can read the events of their own partnerships" on public.partnership_events as permissive for select to app_user
  using ((EXISTS ( SELECT
   FROM public.partnerships p
  WHERE ((p.partnership_id = partnership_events.partnership_id) AND (p.lead_provider_id = ( SELECT app.current_lead_provider_id() AS current_lead_provider_id))))));

create policy "Support users can read partnership events" on public.partnership_events as permissive for select to app_user
  using (( SELECT app.is_support_user() AS is_support_user));

create policy "Provider users can read their own partnerships" on public.partnerships as permissive for select to app_user
  using ((lead_provider_id = ( SELECT app.current_lead_provider_id() AS current_lead_provider_id)));

create policy "Support users can read partnerships" on public.partnerships as permissive for select to app_user
  using (( SELECT app.is_support_user() AS is_support_user));

create policy "Provider users can read their own relationships" on public.provider_relationships as permissive for select to app_user
  using ((lead_provider_id = ( SELECT app.current_lead_provider_id() AS current_lead_provider_id)));

create policy "Support users can read relationships" on public.provider_relationships as permissive for select to app_user
  using (( SELECT app.is_support_user() AS is_support_user));

create policy "Provider users can read the users of their own lead provider" on public.provider_users as permissive for select to app_user
  using ((lead_provider_id = ( SELECT app.current_lead_provider_id() AS current_lead_provider_id)));

create policy "Support users can read provider users" on public.provider_users as permissive for select to app_user
  using (( SELECT app.is_support_user() AS is_support_user));

create policy "Provider users can read the schools they have partnerships with" on public.schools as permissive for select to app_user
  using ((EXISTS ( SELECT
   FROM public.partnerships p
  WHERE ((p.school_id = schools.school_id) AND (p.lead_provider_id = ( SELECT app.current_lead_provider_id() AS current_lead_provider_id))))));

create policy "Support users can read schools" on public.schools as permissive for select to app_user
  using (( SELECT app.is_support_user() AS is_support_user));

create policy "Support users can read support users" on public.support_users as permissive for select to app_user
  using (( SELECT app.is_support_user() AS is_support_user));

-- =================================================================================================
-- Views
-- =================================================================================================

create view mi.challenge_rates_by_delivery_partner with (security_invoker=false) as
 SELECT c.start_year AS cohort_start_year,
    dp.name AS delivery_partner_name,
    count(*) AS schools_reported,
    count(o.challenged_at) AS schools_challenged,
    round(((count(o.challenged_at))::numeric / (count(*))::numeric), 4) AS challenge_rate
   FROM ((app.report_outcomes o
     JOIN public.cohorts c ON ((c.cohort_id = o.cohort_id)))
     JOIN public.delivery_partners dp ON ((dp.delivery_partner_id = o.delivery_partner_id)))
  GROUP BY c.start_year, dp.name;
alter view mi.challenge_rates_by_delivery_partner owner to postgres;

create view mi.challenge_rates_by_lead_provider with (security_invoker=false) as
 SELECT c.start_year AS cohort_start_year,
    lp.name AS lead_provider_name,
    count(*) AS schools_reported,
    count(o.challenged_at) AS schools_challenged,
    round(((count(o.challenged_at))::numeric / (count(*))::numeric), 4) AS challenge_rate
   FROM ((app.report_outcomes o
     JOIN public.cohorts c ON ((c.cohort_id = o.cohort_id)))
     JOIN public.lead_providers lp ON ((lp.lead_provider_id = o.lead_provider_id)))
  GROUP BY c.start_year, lp.name;
alter view mi.challenge_rates_by_lead_provider owner to postgres;

create view mi.challenge_rates_by_trust_coverage with (security_invoker=false) as
 SELECT cohort_start_year,
    trust_coverage,
    count(*) AS provider_trusts,
    sum(reports) AS reports,
    sum(reports_challenged) AS reports_challenged,
    round((sum(reports_challenged) / sum(reports)), 4) AS challenge_rate
   FROM mi.challenges_by_trust
  GROUP BY cohort_start_year, trust_coverage;
alter view mi.challenge_rates_by_trust_coverage owner to postgres;

create view mi.challenge_rates_by_trust_type with (security_invoker=false) as
 SELECT cohort_start_year,
    trust_category,
    count(*) AS schools_reported,
    count(challenged_at) AS schools_challenged,
    round(((count(challenged_at))::numeric / (count(*))::numeric), 4) AS challenge_rate
   FROM mi.reports
  GROUP BY cohort_start_year, trust_category;
alter view mi.challenge_rates_by_trust_type owner to postgres;

create view mi.challenge_rates_by_week with (security_invoker=false) as
 SELECT c.start_year AS cohort_start_year,
    o.report_week_starting,
    o.report_iso_week,
    count(*) AS schools_reported,
    count(o.challenged_at) AS schools_challenged,
    round(((count(o.challenged_at))::numeric / (count(*))::numeric), 4) AS challenge_rate
   FROM (app.report_outcomes o
     JOIN public.cohorts c ON ((c.cohort_id = o.cohort_id)))
  GROUP BY c.start_year, o.report_week_starting, o.report_iso_week;
alter view mi.challenge_rates_by_week owner to postgres;

create view mi.challenges with (security_invoker=false) as
 SELECT e.event_id AS challenge_event_id,
    e.partnership_id,
    c.start_year AS cohort_start_year,
    e.created_at AS challenged_at,
    (date_trunc('week'::text, (e.created_at AT TIME ZONE 'Europe/London'::text)))::date AS challenge_week_starting,
    to_char((e.created_at AT TIME ZONE 'Europe/London'::text), 'IYYY-"W"IW'::text) AS challenge_iso_week,
    (e.details ->> 'reason'::text) AS reason_code,
    r.label AS reason_label,
    e.channel,
    lp.name AS lead_provider_name,
    dp.name AS delivery_partner_name,
    s.urn,
    s.name AS school_name,
    s.trust_name,
        CASE s.trust_type
            WHEN 'multi_academy_trust'::text THEN 'Multi-academy trust'::text
            WHEN 'single_academy_trust'::text THEN 'Single-academy trust'::text
            ELSE 'Not in a trust'::text
        END AS trust_category,
    ((e.details ->> 'reported_at'::text))::timestamp with time zone AS reported_at,
    ((e.details ->> 'school_notified_at'::text))::timestamp with time zone AS emailed_at,
    round((EXTRACT(epoch FROM (e.created_at - ((e.details ->> 'school_notified_at'::text))::timestamp with time zone)) / (86400)::numeric), 1) AS days_from_email_to_challenge
   FROM ((((((public.partnership_events e
     JOIN public.partnerships p ON ((p.partnership_id = e.partnership_id)))
     JOIN public.cohorts c ON ((c.cohort_id = p.cohort_id)))
     JOIN public.lead_providers lp ON ((lp.lead_provider_id = p.lead_provider_id)))
     JOIN public.delivery_partners dp ON ((dp.delivery_partner_id = ((e.details ->> 'delivery_partner_id'::text))::uuid)))
     JOIN public.schools s ON ((s.school_id = p.school_id)))
     LEFT JOIN public.challenge_reasons r ON ((r.code = (e.details ->> 'reason'::text))))
  WHERE (e.kind = 'challenged'::text);
alter view mi.challenges owner to postgres;

create view mi.challenges_by_reason with (security_invoker=false) as
 WITH counted AS (
         SELECT challenges.cohort_start_year,
            challenges.reason_code,
            count(*) AS challenges
           FROM mi.challenges
          GROUP BY challenges.cohort_start_year, challenges.reason_code
        )
 SELECT c.start_year AS cohort_start_year,
    r.code AS reason_code,
    r.label AS reason_label,
    r."position" AS reason_position,
    COALESCE(n.challenges, (0)::bigint) AS challenges,
    round(((COALESCE(n.challenges, (0)::bigint))::numeric / NULLIF(sum(COALESCE(n.challenges, (0)::bigint)) OVER (PARTITION BY c.start_year), (0)::numeric)), 4) AS share_of_challenges
   FROM ((public.cohorts c
     CROSS JOIN public.challenge_reasons r)
     LEFT JOIN counted n ON (((n.cohort_start_year = c.start_year) AND (n.reason_code = r.code))));
alter view mi.challenges_by_reason owner to postgres;

create view mi.challenges_by_trust with (security_invoker=false) as
 WITH trust_size AS (
         SELECT s.trust_uid,
            count(*) FILTER (WHERE (s.status = ANY (ARRAY['open'::text, 'proposed_to_close'::text]))) AS schools_in_trust
           FROM public.schools s
          WHERE (s.trust_type = 'multi_academy_trust'::text)
          GROUP BY s.trust_uid
        ), by_provider AS (
         SELECT o.cohort_id,
            o.lead_provider_id,
            s.trust_uid,
            max(s.trust_name) AS trust_name,
            count(DISTINCT o.school_id) AS schools_reported,
            count(*) AS reports,
            count(o.challenged_at) AS reports_challenged
           FROM (app.report_outcomes o
             JOIN public.schools s ON ((s.school_id = o.school_id)))
          WHERE (s.trust_type = 'multi_academy_trust'::text)
          GROUP BY o.cohort_id, o.lead_provider_id, s.trust_uid
        )
 SELECT c.start_year AS cohort_start_year,
    lp.name AS lead_provider_name,
    b.trust_uid,
    b.trust_name,
    t.schools_in_trust,
    b.schools_reported,
        CASE
            WHEN (b.schools_reported >= t.schools_in_trust) THEN 'Every school in the trust'::text
            ELSE 'Some schools in the trust'::text
        END AS trust_coverage,
    b.reports,
    b.reports_challenged,
    round(((b.reports_challenged)::numeric / (b.reports)::numeric), 4) AS challenge_rate
   FROM (((by_provider b
     JOIN trust_size t ON ((t.trust_uid = b.trust_uid)))
     JOIN public.cohorts c ON ((c.cohort_id = b.cohort_id)))
     JOIN public.lead_providers lp ON ((lp.lead_provider_id = b.lead_provider_id)));
alter view mi.challenges_by_trust owner to postgres;

create view mi.email_outcomes with (security_invoker=false) as
 SELECT c.start_year AS cohort_start_year,
    n.kind,
    count(*) AS emails,
    count(*) FILTER (WHERE (n.status = ANY (ARRAY['queued'::text, 'sending'::text]))) AS waiting,
    count(*) FILTER (WHERE (n.status = 'sent'::text)) AS sent,
    count(*) FILTER (WHERE (n.delivery_status = 'delivered'::text)) AS delivered,
    count(*) FILTER (WHERE ((n.status = 'failed'::text) OR (n.delivery_status = ANY (ARRAY['permanent-failure'::text, 'temporary-failure'::text, 'technical-failure'::text])))) AS failed,
    count(*) FILTER (WHERE (n.status = 'no_address'::text)) AS no_address,
    count(*) FILTER (WHERE (n.status = 'cancelled'::text)) AS cancelled
   FROM ((public.notifications n
     JOIN public.partnerships p ON ((p.partnership_id = n.partnership_id)))
     JOIN public.cohorts c ON ((c.cohort_id = p.cohort_id)))
  GROUP BY c.start_year, n.kind;
alter view mi.email_outcomes owner to postgres;

create view mi.new_link_requests_by_day with (security_invoker=false) as
 SELECT ((created_at AT TIME ZONE 'Europe/London'::text))::date AS request_date,
    count(*) AS requests,
    count(*) FILTER (WHERE ((outcome = 'accepted'::text) AND (links_sent > 0))) AS requests_matched,
    count(*) FILTER (WHERE (outcome <> 'accepted'::text)) AS requests_refused_by_limit
   FROM app.new_link_requests r
  GROUP BY (((created_at AT TIME ZONE 'Europe/London'::text))::date);
alter view mi.new_link_requests_by_day owner to postgres;

create view mi.new_links_by_lead_provider with (security_invoker=false) as
 SELECT c.start_year AS cohort_start_year,
    lp.name AS lead_provider_name,
    count(DISTINCT p.school_id) AS schools_needing_new_link,
    count(*) AS new_link_requests
   FROM (((public.partnership_events e
     JOIN public.partnerships p ON ((p.partnership_id = e.partnership_id)))
     JOIN public.cohorts c ON ((c.cohort_id = p.cohort_id)))
     JOIN public.lead_providers lp ON ((lp.lead_provider_id = p.lead_provider_id)))
  WHERE (e.kind = 'new_link_requested'::text)
  GROUP BY c.start_year, lp.name;
alter view mi.new_links_by_lead_provider owner to postgres;

create view mi.reports with (security_invoker=false) as
 SELECT o.report_event_id,
    o.partnership_id,
    c.start_year AS cohort_start_year,
    lp.name AS lead_provider_name,
    dp.name AS delivery_partner_name,
    s.urn,
    s.name AS school_name,
    s.trust_name,
        CASE s.trust_type
            WHEN 'multi_academy_trust'::text THEN 'Multi-academy trust'::text
            WHEN 'single_academy_trust'::text THEN 'Single-academy trust'::text
            ELSE 'Not in a trust'::text
        END AS trust_category,
    o.is_re_report,
    o.reported_at,
    o.report_week_starting,
    o.report_iso_week,
    o.challenged_at,
    o.challenge_reason
   FROM ((((app.report_outcomes o
     JOIN public.cohorts c ON ((c.cohort_id = o.cohort_id)))
     JOIN public.lead_providers lp ON ((lp.lead_provider_id = o.lead_provider_id)))
     JOIN public.delivery_partners dp ON ((dp.delivery_partner_id = o.delivery_partner_id)))
     JOIN public.schools s ON ((s.school_id = o.school_id)));
alter view mi.reports owner to postgres;

create view mi.time_from_email_to_challenge with (security_invoker=false) as
 SELECT cohort_start_year,
    count(*) AS challenges,
    count(days_from_email_to_challenge) AS challenges_after_an_email,
    round(avg(days_from_email_to_challenge), 1) AS mean_days,
    round((percentile_cont((0.5)::double precision) WITHIN GROUP (ORDER BY ((days_from_email_to_challenge)::double precision)))::numeric, 1) AS median_days,
    round((percentile_cont((0.9)::double precision) WITHIN GROUP (ORDER BY ((days_from_email_to_challenge)::double precision)))::numeric, 1) AS p90_days,
    max(days_from_email_to_challenge) AS max_days
   FROM mi.challenges
  GROUP BY cohort_start_year;
alter view mi.time_from_email_to_challenge owner to postgres;

create view mi.undelivered_emails with (security_invoker=false) as
 SELECT n.notification_id,
    c.start_year AS cohort_start_year,
    n.kind,
    n.recipient_kind,
        CASE
            WHEN (n.status = 'no_address'::text) THEN 'No address'::text
            WHEN (n.status = 'failed'::text) THEN 'Not sent'::text
            ELSE 'Not delivered'::text
        END AS outcome,
    COALESCE(n.delivery_status, n.last_error) AS detail,
    s.urn,
    s.name AS school_name,
    lp.name AS lead_provider_name,
    n.created_at,
    n.delivery_status_at
   FROM ((((public.notifications n
     JOIN public.partnerships p ON ((p.partnership_id = n.partnership_id)))
     JOIN public.cohorts c ON ((c.cohort_id = p.cohort_id)))
     JOIN public.schools s ON ((s.school_id = p.school_id)))
     JOIN public.lead_providers lp ON ((lp.lead_provider_id = p.lead_provider_id)))
  WHERE ((n.status = ANY (ARRAY['no_address'::text, 'failed'::text])) OR (n.delivery_status = ANY (ARRAY['permanent-failure'::text, 'temporary-failure'::text, 'technical-failure'::text])));
alter view mi.undelivered_emails owner to postgres;

-- =================================================================================================
-- Functions
-- =================================================================================================

CREATE OR REPLACE FUNCTION app.begin_notification_run(run_id uuid, lease_seconds integer, in_flight_seconds integer)
 RETURNS boolean
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  held app.notification_runs;
  orphans_due_at timestamptz;
begin
  if coalesce(lease_seconds, 0) < 1 or coalesce(in_flight_seconds, -1) < 0 then
    raise exception 'lease_seconds must be at least 1 and in_flight_seconds at least 0'
      using errcode = '22023';
  end if;

  -- Skipped if a transaction is asking for a wake-up now: its request then finds this run.
  update app.notification_wake w
  set requested_at = null
  where w.singleton in (
    select o.singleton from app.notification_wake o
    where o.requested_at is not null
    for update skip locked
  );

  select * into held from app.notification_runs for no key update;
  if not found then
    -- The last run ended cleanly: it recorded or gave back every email it claimed.
    insert into app.notification_runs (singleton, run_id, lease_expires_at)
    values (true, begin_notification_run.run_id, now() + make_interval(secs => lease_seconds))
    on conflict (singleton) do nothing;
    return found;
  end if;

  if held.run_id <> begin_notification_run.run_id and held.lease_expires_at > now() then
    return false;
  end if;

  update app.notification_runs r
  set run_id = begin_notification_run.run_id,
    lease_expires_at = now() + make_interval(secs => lease_seconds);

  if held.run_id <> begin_notification_run.run_id then
    -- Taken over from a run that stopped renewing (it died): see 20261130050000.
    orphans_due_at := held.lease_expires_at + make_interval(secs => in_flight_seconds);
    update public.notifications n
    set lease_expires_at = orphans_due_at
    where n.notification_id in (
      select o.notification_id from public.notifications o
      where o.status = 'sending' and o.lease_expires_at > orphans_due_at
      for update skip locked
    );
  end if;
  return true;
end
$function$;
alter function app.begin_notification_run(run_id uuid, lease_seconds integer, in_flight_seconds integer) owner to postgres;

CREATE OR REPLACE FUNCTION app.challenge_by_support(partnership_id uuid, reason text, note text)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  support_user_id uuid := auth.uid();
  cleaned_note text := nullif(btrim(note), '');
  locked record;
begin
  if not app.is_support_user() then
    raise exception 'not_a_support_user'
      using hint = 'Only DfE support users can report a mistake for a school.';
  end if;
  if not exists (select from public.challenge_reasons r where r.code = challenge_by_support.reason)
  then
    return jsonb_build_object('status', 'invalid_reason');
  end if;
  if char_length(cleaned_note) > 2000 then
    return jsonb_build_object('status', 'invalid_note');
  end if;

  locked := app.lock_unchallenged_partnership(challenge_by_support.partnership_id);
  if locked.refusal is not null then
    return locked.refusal;
  end if;

  perform app.record_challenge(
    challenge_by_support.partnership_id, reason, 'support', support_user_id, cleaned_note
  );
  return jsonb_build_object('status', 'challenged', 'school_name', locked.school_name);
end
$function$;
alter function app.challenge_by_support(partnership_id uuid, reason text, note text) owner to postgres;

CREATE OR REPLACE FUNCTION app.challenge_by_token(token text, reason text)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  linked_id uuid := app.partnership_id_for_token(token);
  locked record;
begin
  if linked_id is null then
    return jsonb_build_object('status', 'not_found');
  end if;
  if not exists (select from public.challenge_reasons r where r.code = challenge_by_token.reason)
  then
    return jsonb_build_object('status', 'invalid_reason');
  end if;

  -- Simultaneous calls queue here; each sees the row as the one before it left it.
  select p.challenged_at, s.name as school_name
  into locked
  from public.partnerships p
  join public.schools s on s.school_id = p.school_id
  where p.partnership_id = linked_id
  for update of p;

  if app.link_token_superseded(token) then
    return jsonb_build_object('status', 'superseded', 'school_name', locked.school_name);
  end if;
  if locked.challenged_at is not null then
    return jsonb_build_object('status', 'already_challenged', 'school_name', locked.school_name);
  end if;
  if now() >= app.challenge_window_closes_at(app.partnership_deadline_date(linked_id)) then
    return jsonb_build_object('status', 'expired', 'school_name', locked.school_name);
  end if;

  perform app.record_challenge(linked_id, reason, 'email_link', null, null);
  return jsonb_build_object('status', 'challenged', 'school_name', locked.school_name);
end
$function$;
alter function app.challenge_by_token(token text, reason text) owner to postgres;

CREATE OR REPLACE FUNCTION app.challenge_deadline_date(anchor_at timestamp with time zone, earliest_deadline date)
 RETURNS date
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select greatest((anchor_at at time zone 'Europe/London')::date + 14, earliest_deadline)
$function$;
alter function app.challenge_deadline_date(anchor_at timestamp with time zone, earliest_deadline date) owner to postgres;

CREATE OR REPLACE FUNCTION app.challenge_link_status(token text)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO ''
AS $function$
begin
  return coalesce((
    select case
      when t.created_at < p.reported_at
        then jsonb_build_object('status', 'superseded', 'school_name', s.name)
      when p.challenged_at is not null
        then jsonb_build_object('status', 'challenged', 'school_name', s.name)
      when now() >= ((d.deadline + 1)::timestamp at time zone 'Europe/London')
        then jsonb_build_object('status', 'expired', 'school_name', s.name, 'deadline', d.deadline)
      else jsonb_build_object(
        'status', 'open',
        'school_name', s.name,
        'urn', s.urn,
        'lead_provider_name', lp.name,
        'delivery_partner_name', dp.name,
        'cohort', c.start_year::text || ' to ' || (c.start_year + 1)::text,
        'deadline', d.deadline,
        'reasons', (
          select jsonb_agg(jsonb_build_object('code', r.code, 'label', r.label) order by r.position)
          from public.challenge_reasons r
        )
      )
    end
    from public.link_tokens t
    join public.partnerships p on p.partnership_id = t.partnership_id
    join public.schools s on s.school_id = p.school_id
    join public.lead_providers lp on lp.lead_provider_id = p.lead_provider_id
    join public.delivery_partners dp on dp.delivery_partner_id = p.delivery_partner_id
    join public.cohorts c on c.cohort_id = p.cohort_id
    cross join lateral (
      select greatest(
        (coalesce(p.school_notified_at, p.reported_at) at time zone 'Europe/London')::date + 14,
        c.earliest_challenge_deadline
      ) as deadline
    ) d
    where t.token_hash = extensions.digest(convert_to(token, 'UTF8'), 'sha256')
  ), jsonb_build_object('status', 'not_found'));
end
$function$;
alter function app.challenge_link_status(token text) owner to postgres;

CREATE OR REPLACE FUNCTION app.challenge_window_closes_at(deadline date)
 RETURNS timestamp with time zone
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select ((deadline + 1)::timestamp at time zone 'Europe/London')
$function$;
alter function app.challenge_window_closes_at(deadline date) owner to postgres;

CREATE OR REPLACE FUNCTION app.change_delivery_partner(partnership_id uuid, delivery_partner_id uuid)
 RETURNS TABLE(changed boolean)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
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
$function$;
alter function app.change_delivery_partner(partnership_id uuid, delivery_partner_id uuid) owner to postgres;

CREATE OR REPLACE FUNCTION app.claim_idempotency_key(idempotency_key text, request text)
 RETURNS TABLE(same_request boolean, response_status integer, response_body json)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
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
$function$;
alter function app.claim_idempotency_key(idempotency_key text, request text) owner to postgres;

CREATE OR REPLACE FUNCTION app.claim_notifications(max_rows integer, lease_seconds integer)
 RETURNS TABLE(notification_id uuid, kind text, recipient_email text, personalisation jsonb, attempts integer, outcome_unknown boolean)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
#variable_conflict use_column
begin
  return query
  -- Each kind of due email from its own index, in that index's order, so a claim reads about as
  -- many rows as it takes, whatever the backlog or the reminders waiting. A branch may lock a few
  -- rows the claim then leaves (held until this short transaction ends, then free again).
  with queued as (
    select n.notification_id, n.due_at, n.created_at,
      coalesce(n.last_error like 'Outcome unknown:%', false) as outcome_unknown,
      n.kind <> 'provider_challenged' and p.challenged_at is not null as overtaken
    from public.notifications n
    join public.partnerships p using (partnership_id)
    where n.status = 'queued' and n.due_at <= now()
    order by n.due_at, n.created_at
    limit max_rows
    -- Hold each email's partnership too, and pass over one a challenge, re-report or delete holds:
    -- waiting for it while holding the email (the link token below needs it) would deadlock with
    -- those, which take the partnership first and then its emails.
    for update of n skip locked
    for key share of p skip locked
  ),
  -- Claimed by a run whose lease ran out: perhaps sent, so looked up at Notify first.
  expired as (
    select n.notification_id, n.due_at, n.created_at,
      true as outcome_unknown,
      n.kind <> 'provider_challenged' and p.challenged_at is not null as overtaken
    from public.notifications n
    join public.partnerships p using (partnership_id)
    where n.status = 'sending' and n.lease_expires_at <= now()
    order by n.lease_expires_at
    limit max_rows
    for update of n skip locked
    for key share of p skip locked
  ),
  due as (
    select d.notification_id, d.outcome_unknown, d.overtaken
    from (select * from queued union all select * from expired) d
    order by d.due_at, d.created_at
    limit max_rows
  ),
  claimed as (
    update public.notifications n
    set
      status = case when due.overtaken then 'cancelled' else 'sending' end,
      lease_expires_at = case
        when due.overtaken then null
        else now() + make_interval(secs => lease_seconds)
      end,
      attempts = n.attempts + case when due.overtaken then 0 else 1 end
    from due
    where n.notification_id = due.notification_id
    returning n.notification_id, n.kind, n.partnership_id, n.recipient_email, n.attempts,
      n.created_at, due.outcome_unknown, due.overtaken
  ),
  sending as (
    select
      claimed.*,
      case when claimed.kind <> 'provider_challenged' then app.new_link_token() end as token
    from claimed
    where not claimed.overtaken
  ),
  tokens as (
    insert into public.link_tokens (token_hash, partnership_id, notification_id)
    select
      extensions.digest(convert_to(sending.token, 'UTF8'), 'sha256'),
      sending.partnership_id,
      sending.notification_id
    from sending
    where sending.token is not null
  )
  select
    sending.notification_id,
    sending.kind,
    sending.recipient_email,
    jsonb_strip_nulls(jsonb_build_object(
      'school_name', s.name,
      'urn', s.urn,
      'lead_provider_name', lp.name,
      'delivery_partner_name', dp.name,
      'cohort', app.cohort_label(c.start_year),
      'deadline', case
        when sending.kind in ('school_first', 'tutor_first') then
          app.london_long_date(app.challenge_deadline_date(now(), c.earliest_challenge_deadline))
        when sending.kind in ('school_reminder', 'tutor_reminder', 'new_link') then
          app.london_long_date(app.partnership_deadline_date(p.partnership_id))
      end,
      'tutor_name', case
        when sending.kind in ('tutor_first', 'tutor_reminder') then
          coalesce(t.full_name, 'induction tutor')
      end,
      'reason_label', case when sending.kind = 'provider_challenged' then r.label end,
      'trust_sentence', case
        when sending.kind = 'provider_challenged' then null
        when s.trust_type = 'multi_academy_trust' then
          s.name || ' is part of ' || coalesce(s.trust_name, 'a multi-academy trust') || '. '
            || lp.name || ' may have agreed this with the trust rather than with your school.'
        else ''
      end,
      'token', sending.token
    )),
    sending.attempts,
    sending.outcome_unknown
  from sending
  join public.partnerships p using (partnership_id)
  join public.schools s using (school_id)
  join public.lead_providers lp using (lead_provider_id)
  join public.delivery_partners dp using (delivery_partner_id)
  join public.cohorts c using (cohort_id)
  left join public.induction_tutors t on t.school_id = p.school_id
  -- The reason given in the challenge this email reports, even if the school has since been
  -- reported again (which clears the partnership's own reason).
  left join lateral (
    select e.details ->> 'reason' as code
    from public.partnership_events e
    where e.partnership_id = p.partnership_id
      and e.kind = 'challenged'
      and e.created_at <= sending.created_at
    order by e.created_at desc
    limit 1
  ) challenge on sending.kind = 'provider_challenged'
  left join public.challenge_reasons r on r.code = challenge.code;
end
$function$;
alter function app.claim_notifications(max_rows integer, lease_seconds integer) owner to postgres;

CREATE OR REPLACE FUNCTION app.cohort_label(start_year integer)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO ''
AS $function$
  select start_year::text || ' to ' || (start_year + 1)::text
$function$;
alter function app.cohort_label(start_year integer) owner to postgres;

CREATE OR REPLACE FUNCTION app.create_api_token(lead_provider_id uuid, name text)
 RETURNS TABLE(api_token_id uuid, token text)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
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
$function$;
alter function app.create_api_token(lead_provider_id uuid, name text) owner to postgres;

CREATE OR REPLACE FUNCTION app.current_channel()
 RETURNS text
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select case when (select auth.jwt() ->> 'role') = 'lead_provider_api' then 'api' else 'portal' end
$function$;
alter function app.current_channel() owner to postgres;

CREATE OR REPLACE FUNCTION app.current_lead_provider_id()
 RETURNS uuid
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO ''
AS $function$
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
$function$;
alter function app.current_lead_provider_id() owner to postgres;

CREATE OR REPLACE FUNCTION app.end_notification_run(run_id uuid)
 RETURNS void
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
  delete from app.notification_runs held where held.run_id = end_notification_run.run_id
$function$;
alter function app.end_notification_run(run_id uuid) owner to postgres;

CREATE OR REPLACE FUNCTION app.end_notification_run(run_id uuid, pacing_tokens double precision)
 RETURNS void
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
  with ended as (
    delete from app.notification_runs held where held.run_id = end_notification_run.run_id
    returning held.run_id
  )
  insert into app.notification_pacing (singleton, tokens, left_at)
  select true, greatest(pacing_tokens, 0), now() from ended
  on conflict (singleton) do update set tokens = excluded.tokens, left_at = excluded.left_at
$function$;
alter function app.end_notification_run(run_id uuid, pacing_tokens double precision) owner to postgres;

CREATE OR REPLACE FUNCTION app.fall_back_to_gias(failed public.notifications, gias_email text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  usable boolean := gias_email is not null and lower(gias_email) <> lower(failed.recipient_email);
begin
  insert into public.notifications (kind, partnership_id, recipient_email, recipient_kind, status)
  values (
    case failed.kind when 'tutor_first' then 'school_first' else 'school_reminder' end,
    failed.partnership_id,
    case when usable then gias_email end,
    'gias',
    case when usable then 'queued' else 'no_address' end
  );
  if usable then
    update public.notifications n
    set kind = 'school_reminder', recipient_email = gias_email, recipient_kind = 'gias'
    where n.partnership_id = failed.partnership_id
      and n.kind = 'tutor_reminder'
      and n.status = 'queued'
      and n.recipient_kind = 'induction_tutor';
  end if;
end
$function$;
alter function app.fall_back_to_gias(failed public.notifications, gias_email text) owner to postgres;

CREATE OR REPLACE FUNCTION app.find_schools(urns text[], school_ids uuid[])
 RETURNS TABLE(school_id uuid, urn text, name text, status text, local_authority text)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO ''
AS $function$
  select s.school_id, s.urn, s.name, s.status, s.local_authority
  from public.schools s
  where app.current_lead_provider_id() is not null
    and (s.urn = any (find_schools.urns) or s.school_id = any (find_schools.school_ids))
  order by s.urn
$function$;
alter function app.find_schools(urns text[], school_ids uuid[]) owner to postgres;

CREATE OR REPLACE FUNCTION app.finish_idempotent_request(idempotency_key text, response_status integer, response_body json)
 RETURNS void
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
  update app.api_idempotency_keys k
  set response_status = finish_idempotent_request.response_status,
    response_body = finish_idempotent_request.response_body
  where k.lead_provider_id = app.current_lead_provider_id()
    and k.idempotency_key = finish_idempotent_request.idempotency_key
$function$;
alter function app.finish_idempotent_request(idempotency_key text, response_status integer, response_body json) owner to postgres;

CREATE OR REPLACE FUNCTION app.hand_over_notifications()
 RETURNS bigint
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
  select app.request_notifications_run('{"handover": true}'::jsonb)
$function$;
alter function app.hand_over_notifications() owner to postgres;

CREATE OR REPLACE FUNCTION app.is_support_user()
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO ''
AS $function$
  select exists (select from public.support_users su where su.user_id = (select auth.uid()))
$function$;
alter function app.is_support_user() owner to postgres;

CREATE OR REPLACE FUNCTION app.iso_week_name(week_starting date)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
AS $function$
  select pg_catalog.to_char(week_starting, 'IYYY-"W"IW')
$function$;
alter function app.iso_week_name(week_starting date) owner to postgres;

CREATE OR REPLACE FUNCTION app.link_token_superseded(token text)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO ''
AS $function$
  select exists (
    select
    from public.link_tokens t
    join public.partnerships p on p.partnership_id = t.partnership_id
    where t.token_hash = extensions.digest(convert_to(token, 'UTF8'), 'sha256')
      and t.created_at < p.reported_at
  )
$function$;
alter function app.link_token_superseded(token text) owner to postgres;

CREATE OR REPLACE FUNCTION app.list_api_tokens(lead_provider_id uuid)
 RETURNS TABLE(api_token_id uuid, name text, created_by_email text, created_at timestamp with time zone, last_used_at timestamp with time zone, revoked_at timestamp with time zone)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO ''
AS $function$
  select t.api_token_id, t.name, u.email::text, t.created_at, t.last_used_at, t.revoked_at
  from app.api_tokens t
  left join auth.users u on u.id = t.created_by
  where t.lead_provider_id = list_api_tokens.lead_provider_id
    and (app.is_support_user() or app.current_lead_provider_id() = list_api_tokens.lead_provider_id)
  order by t.revoked_at is not null, t.created_at desc
$function$;
alter function app.list_api_tokens(lead_provider_id uuid) owner to postgres;

CREATE OR REPLACE FUNCTION app.lock_unchallenged_partnership(partnership_id uuid, OUT refusal jsonb, OUT school_name text)
 RETURNS record
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  locked record;
begin
  select p.challenged_at, s.name as school_name
  into locked
  from public.partnerships p
  join public.schools s on s.school_id = p.school_id
  where p.partnership_id = lock_unchallenged_partnership.partnership_id
  for update of p;

  if not found then
    refusal := jsonb_build_object('status', 'not_found');
  elsif locked.challenged_at is not null then
    refusal := jsonb_build_object('status', 'already_challenged', 'school_name', locked.school_name);
  end if;
  school_name := locked.school_name;
end
$function$;
alter function app.lock_unchallenged_partnership(partnership_id uuid, OUT refusal jsonb, OUT school_name text) owner to postgres;

CREATE OR REPLACE FUNCTION app.london_long_date(day date)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO ''
AS $function$
  select to_char(day, 'FMDay FMDD FMMonth YYYY')
$function$;
alter function app.london_long_date(day date) owner to postgres;

CREATE OR REPLACE FUNCTION app.mark_notification_sent(notification_id uuid, notify_id text)
 RETURNS boolean
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  sent public.notifications;
begin
  -- Lock the partnership before the outbox row, the order a challenge, a re-report and a delete
  -- take them in, so recording a send can never deadlock with them.
  perform from public.partnerships p
  where p.partnership_id = (
    select n.partnership_id from public.notifications n
    where n.notification_id = mark_notification_sent.notification_id
  )
  for no key update;

  update public.notifications n
  set status = 'sent', notify_id = mark_notification_sent.notify_id,
    sent_at = coalesce(n.sent_at, now()), lease_expires_at = null, last_error = null
  where n.notification_id = mark_notification_sent.notification_id
    -- A receipt proves Notify has it, even if the sender gave up waiting for its answer.
    and n.status in ('queued', 'sending', 'failed')
  returning n.* into sent;
  if not found then
    return false;
  end if;
  if sent.kind in ('school_first', 'tutor_first') then
    update public.partnerships p set school_notified_at = sent.sent_at
    where p.partnership_id = sent.partnership_id;
  end if;
  if sent.kind <> 'provider_challenged' then
    insert into public.partnership_events (partnership_id, kind, channel, details)
    values (
      sent.partnership_id,
      case
        when sent.kind in ('school_first', 'tutor_first') then 'notified'
        when sent.kind = 'new_link' then 'new_link_sent'
        else 'reminded'
      end,
      'notify',
      -- No address here: providers can read their partnerships' events.
      jsonb_build_object(
        'notification_id', sent.notification_id, 'kind', sent.kind,
        'recipient_kind', sent.recipient_kind
      )
    );
  end if;
  return true;
end
$function$;
alter function app.mark_notification_sent(notification_id uuid, notify_id text) owner to postgres;

CREATE OR REPLACE FUNCTION app.new_link_limits(OUT per_urn integer, OUT urn_window interval, OUT per_client integer, OUT client_window interval)
 RETURNS record
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO ''
AS $function$
  select 3, interval '24 hours', 10, interval '1 hour'
$function$;
alter function app.new_link_limits(OUT per_urn integer, OUT urn_window interval, OUT per_client integer, OUT client_window interval) owner to postgres;

CREATE OR REPLACE FUNCTION app.new_link_token()
 RETURNS text
 LANGUAGE sql
 SET search_path TO ''
AS $function$
  select rtrim(translate(encode(extensions.gen_random_bytes(32), 'base64'), '+/', '-_'), '=')
$function$;
alter function app.new_link_token() owner to postgres;

CREATE OR REPLACE FUNCTION app.next_notification_due_at()
 RETURNS timestamp with time zone
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO ''
AS $function$
  select least(
    (select min(n.due_at) from public.notifications n where n.status = 'queued'),
    (select min(n.lease_expires_at) from public.notifications n where n.status = 'sending')
  )
$function$;
alter function app.next_notification_due_at() owner to postgres;

CREATE OR REPLACE FUNCTION app.normalise_urns(urns text[])
 RETURNS TABLE(row_number integer, given text, urn text)
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO ''
AS $function$
  with lines as (
    select
      line.position::integer as row_number,
      line.given,
      btrim(line.given, e' \t\r\n\u00a0') as trimmed
    from unnest(urns) with ordinality as line (given, position)
  ),
  parsed as (
    select
      lines.row_number,
      lines.given,
      case
        when lines.trimmed ~ '^0*[1-9][0-9]{0,7}$' then ltrim(lines.trimmed, '0')
      end as urn
    from lines
    where lines.trimmed <> ''
  ),
  numbered as (
    select
      parsed.*,
      count(*) over (partition by parsed.urn order by parsed.row_number) as occurrence
    from parsed
  )
  select numbered.row_number, numbered.given, numbered.urn
  from numbered
  where numbered.urn is null or numbered.occurrence = 1
  order by numbered.row_number
$function$;
alter function app.normalise_urns(urns text[]) owner to postgres;

CREATE OR REPLACE FUNCTION app.notification_run_free()
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO ''
AS $function$
  select not exists (select from app.notification_runs r where r.lease_expires_at > now())
$function$;
alter function app.notification_run_free() owner to postgres;

CREATE OR REPLACE FUNCTION app.notifications_due()
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO ''
AS $function$
  select exists (
    select from public.notifications n where n.status = 'queued' and n.due_at <= now()
  ) or exists (
    select from public.notifications n where n.status = 'sending' and n.lease_expires_at <= now()
  )
$function$;
alter function app.notifications_due() owner to postgres;

CREATE OR REPLACE FUNCTION app.partnership_deadline_date(partnership_id uuid)
 RETURNS date
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO ''
AS $function$
  select app.challenge_deadline_date(
    coalesce(p.school_notified_at, p.reported_at), c.earliest_challenge_deadline
  )
  from public.partnerships p
  join public.cohorts c using (cohort_id)
  where p.partnership_id = partnership_deadline_date.partnership_id
$function$;
alter function app.partnership_deadline_date(partnership_id uuid) owner to postgres;

CREATE OR REPLACE FUNCTION app.partnership_id_for_token(token text)
 RETURNS uuid
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO ''
AS $function$
  select t.partnership_id
  from public.link_tokens t
  where t.token_hash = extensions.digest(convert_to(token, 'UTF8'), 'sha256')
$function$;
alter function app.partnership_id_for_token(token text) owner to postgres;

CREATE OR REPLACE FUNCTION app.provider_school_emails(partnership_ids uuid[])
 RETURNS TABLE(partnership_id uuid, email_status text, contact_email text, contact_kind text, deadline date)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO ''
AS $function$
  select
    p.partnership_id,
    case
      when latest.status is null then 'not_sent'
      when latest.status = 'no_address' then 'no_address'
      when latest.delivery_status = 'delivered' then 'delivered'
      when latest.status = 'failed' or latest.delivery_status is not null then 'not_delivered'
      when latest.status = 'sent' then 'sent'
      else 'sending'
    end,
    coalesce(t.email, s.gias_email),
    case
      when t.email is not null then 'induction_tutor'
      when s.gias_email is not null then 'school'
    end,
    app.challenge_deadline_date(
      coalesce(p.school_notified_at, p.reported_at), c.earliest_challenge_deadline
    )
  from public.partnerships p
  join public.schools s on s.school_id = p.school_id
  join public.cohorts c on c.cohort_id = p.cohort_id
  left join public.induction_tutors t on t.school_id = p.school_id
  -- The school's newest first email of this report: a resend or a fallback to the GIAS address
  -- replaces the one before it; a cancelled one never went.
  left join lateral (
    select n.status, n.delivery_status
    from public.notifications n
    where n.partnership_id = p.partnership_id
      and n.kind in ('school_first', 'tutor_first')
      and n.status <> 'cancelled'
      and n.created_at >= p.reported_at
    order by n.created_at desc
    limit 1
  ) latest on true
  where p.partnership_id = any(provider_school_emails.partnership_ids)
    and p.lead_provider_id = app.current_lead_provider_id()
$function$;
alter function app.provider_school_emails(partnership_ids uuid[]) owner to postgres;

CREATE OR REPLACE FUNCTION app.record_challenge(partnership_id uuid, reason text, channel text, actor_user_id uuid, note text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  challenged public.partnerships;
begin
  update public.partnerships p
  set
    challenged_at = now(),
    challenge_reason = record_challenge.reason,
    challenge_channel = record_challenge.channel,
    challenged_by = record_challenge.actor_user_id,
    challenge_note = record_challenge.note
  where p.partnership_id = record_challenge.partnership_id
  returning p.* into challenged;

  update public.notifications n
  set status = 'cancelled'
  where n.partnership_id = challenged.partnership_id
    and n.status = 'queued'
    and n.kind in ('school_first', 'tutor_first', 'school_reminder', 'tutor_reminder');

  -- The details keep what MI needs even after a re-report changes the partnership. The note
  -- stays on the partnership only: it is free text and may name people.
  insert into public.partnership_events (partnership_id, kind, channel, actor_user_id, details)
  values (
    challenged.partnership_id, 'challenged', record_challenge.channel,
    record_challenge.actor_user_id,
    jsonb_build_object(
      'reason', challenged.challenge_reason,
      'delivery_partner_id', challenged.delivery_partner_id,
      'reported_at', challenged.reported_at,
      'school_notified_at', challenged.school_notified_at
    )
  );

  insert into public.notifications (kind, partnership_id, recipient_email, recipient_kind)
  select 'provider_challenged', challenged.partnership_id, pu.email, 'provider_user'
  from public.provider_users pu
  where pu.lead_provider_id = challenged.lead_provider_id;
end
$function$;
alter function app.record_challenge(partnership_id uuid, reason text, channel text, actor_user_id uuid, note text) owner to postgres;

CREATE OR REPLACE FUNCTION app.record_delivery_receipt(notify_id text, reference text, status text, completed_at timestamp with time zone)
 RETURNS text
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  email_id uuid;
  email public.notifications;
  gias_email text;
  challenged boolean;
begin
  if status not in ('delivered', 'permanent-failure', 'temporary-failure', 'technical-failure') then
    return 'ignored';
  end if;

  select n.notification_id into email_id from public.notifications n
  where n.notify_id = record_delivery_receipt.notify_id;
  if not found and reference ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    -- The receipt beat the sender's record of the send: the reference is our notification_id.
    select n.notification_id into email_id from public.notifications n
    where n.notification_id = reference::uuid and n.notify_id is null;
  end if;
  if email_id is null then
    return 'unknown';
  end if;

  -- The partnership first, then the email: the order the sender's record of a send, a challenge
  -- and a delete take them in. (If the sender records the send meanwhile, marking it sent below
  -- changes nothing.)
  perform from public.partnerships p
  where p.partnership_id = (
    select n.partnership_id from public.notifications n where n.notification_id = email_id
  )
  for no key update;
  select n.* into email from public.notifications n
  where n.notification_id = email_id
  for update;
  if email.delivery_status is not null then
    return 'repeat';
  end if;

  perform app.mark_notification_sent(email.notification_id, notify_id);
  update public.notifications n
  set delivery_status = record_delivery_receipt.status,
    delivery_status_at = coalesce(completed_at, now())
  where n.notification_id = email.notification_id;

  if email.kind = 'provider_challenged' then
    return 'recorded';
  end if;

  insert into public.partnership_events (partnership_id, kind, channel, details)
  values (
    email.partnership_id,
    case when status = 'delivered' then 'delivered' else 'delivery_failed' end,
    'notify',
    jsonb_build_object(
      'notification_id', email.notification_id, 'kind', email.kind,
      'recipient_kind', email.recipient_kind, 'delivery_status', status
    )
  );

  if status = 'permanent-failure' and email.recipient_kind = 'induction_tutor' then
    select s.gias_email, p.challenged_at is not null into gias_email, challenged
    from public.partnerships p join public.schools s using (school_id)
    where p.partnership_id = email.partnership_id;
    if not challenged then
      perform app.fall_back_to_gias(email, gias_email);
    end if;
  end if;
  return 'recorded';
end
$function$;
alter function app.record_delivery_receipt(notify_id text, reference text, status text, completed_at timestamp with time zone) owner to postgres;

CREATE OR REPLACE FUNCTION app.record_notification_failure(notification_id uuid, error text, retry_at timestamp with time zone)
 RETURNS void
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
  update public.notifications n
  set
    status = case when retry_at is null then 'failed' else 'queued' end,
    due_at = coalesce(retry_at, n.due_at),
    lease_expires_at = null,
    last_error = error
  where n.notification_id = record_notification_failure.notification_id
    and n.status = 'sending'
$function$;
alter function app.record_notification_failure(notification_id uuid, error text, retry_at timestamp with time zone) owner to postgres;

CREATE OR REPLACE FUNCTION app.record_notification_sent(notification_id uuid, notify_id text)
 RETURNS void
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
  select app.mark_notification_sent(notification_id, notify_id)
$function$;
alter function app.record_notification_sent(notification_id uuid, notify_id text) owner to postgres;

CREATE OR REPLACE FUNCTION app.record_report_outcomes()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  challenge record;
begin
  insert into app.report_outcomes (
    report_event_id, partnership_id, cohort_id, lead_provider_id, delivery_partner_id, school_id,
    is_re_report, reported_at, report_week_starting, report_iso_week
  )
  select
    e.event_id, e.partnership_id, p.cohort_id, p.lead_provider_id,
    (e.details ->> 'delivery_partner_id')::uuid, p.school_id, e.kind = 're_reported',
    e.created_at, app.report_week_starting(e.created_at),
    app.iso_week_name(app.report_week_starting(e.created_at))
  from added_events e
  join public.partnerships p on p.partnership_id = e.partnership_id
  where e.kind in ('reported', 're_reported');

  -- One challenge at a time (a statement records one, as a rule): each update is then a primary
  -- key lookup, never a join the planner might answer by reading the whole table.
  for challenge in
    select c.event_id, c.partnership_id, c.created_at, c.details ->> 'reason' as reason
    from added_events c
    where c.kind = 'challenged'
    order by c.created_at, c.event_id
  loop
    update app.report_outcomes o
    set
      challenge_event_id = challenge.event_id,
      challenged_at = challenge.created_at,
      challenge_reason = challenge.reason
    where o.report_event_id = (
      select before.event_id
      from public.partnership_events before
      where before.partnership_id = challenge.partnership_id
        and before.kind in ('reported', 're_reported', 'challenged')
        and (before.created_at, before.event_id) < (challenge.created_at, challenge.event_id)
      order by before.created_at desc, before.event_id desc
      limit 1
    );
  end loop;
  return null;
end
$function$;
alter function app.record_report_outcomes() owner to postgres;

CREATE OR REPLACE FUNCTION app.release_notification(notification_id uuid)
 RETURNS void
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
  update public.notifications n
  set status = 'queued', lease_expires_at = null, attempts = greatest(n.attempts - 1, 0)
  where n.notification_id = release_notification.notification_id
    and n.status = 'sending'
$function$;
alter function app.release_notification(notification_id uuid) owner to postgres;

CREATE OR REPLACE FUNCTION app.report_schools(cohort_start_year integer, delivery_partner_id uuid, urns text[], check_only boolean DEFAULT false)
 RETURNS TABLE(row_number integer, given text, urn text, school_name text, error text, partnership_id uuid)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
#variable_conflict use_column
declare
  caller_id uuid := auth.uid();
  caller_lead_provider_id uuid := app.current_lead_provider_id();
  reported_cohort_id uuid;
begin
  if caller_lead_provider_id is null then
    raise exception 'not_a_provider_user'
      using hint = 'Only lead provider users can report schools.';
  end if;
  if urns is null or cardinality(urns) > 20000 then
    raise exception 'too_many_urns'
      using hint = 'Report at most 20,000 schools at a time.';
  end if;

  select c.cohort_id into reported_cohort_id
  from public.cohorts c
  where c.start_year = report_schools.cohort_start_year;
  if reported_cohort_id is null then
    raise exception 'cohort_not_found' using hint = 'There is no cohort starting in that year.';
  end if;

  if not exists (
    select from public.provider_relationships r
    where r.lead_provider_id = caller_lead_provider_id
      and r.delivery_partner_id = report_schools.delivery_partner_id
      and r.cohort_id = reported_cohort_id
  ) then
    raise exception 'delivery_partner_not_related'
      using hint = 'You do not work with this delivery partner in this cohort.';
  end if;

  -- Lock the schools (in one order, so two reports cannot deadlock) before looking at their
  -- partnerships: a concurrent report of the same school waits here, then sees the winner's
  -- partnership and gets "Recruited by other provider". The unique index is the backstop.
  if not check_only then
    perform
    from public.schools s
    where s.urn in (select n.urn from app.normalise_urns(report_schools.urns) n)
    order by s.school_id
    for no key update of s;
  end if;

  return query
  with verdicts as (
    select
      n.row_number,
      n.given,
      n.urn,
      s.school_id,
      s.name as school_name,
      case
        when s.school_id is null then 'URN is not valid'
        when s.status in ('open', 'proposed_to_close') and (
          s.is_independent
          or s.establishment_type in ('Welsh establishment', 'British schools overseas')
        ) then 'School not eligible for funding'
        when s.status not in ('open', 'proposed_to_close') or not s.in_england
          then 'School not eligible for inductions'
        when active.lead_provider_id = caller_lead_provider_id
          then 'Your school - already confirmed'
        when active.partnership_id is not null then 'Recruited by other provider'
      end as error,
      lost.partnership_id as lost_partnership_id
    from app.normalise_urns(report_schools.urns) n
    left join public.schools s on s.urn = n.urn
    left join public.partnerships active
      on active.school_id = s.school_id
      and active.cohort_id = reported_cohort_id
      and active.challenged_at is null
    left join public.partnerships lost
      on lost.school_id = s.school_id
      and lost.cohort_id = reported_cohort_id
      and lost.lead_provider_id = caller_lead_provider_id
      and lost.challenged_at is not null
  ),
  accepted as (
    select v.* from verdicts v where v.error is null and not report_schools.check_only
  ),
  -- The same lead provider re-reporting a school it lost reactivates that partnership: the
  -- challenge is cleared and the window starts again with new emails.
  reactivated as (
    update public.partnerships p
    set
      delivery_partner_id = report_schools.delivery_partner_id,
      reported_at = now(),
      reported_by = caller_id,
      school_notified_at = null,
      challenged_at = null,
      challenge_reason = null,
      challenge_channel = null,
      challenged_by = null,
      challenge_note = null
    from accepted a
    where p.partnership_id = a.lost_partnership_id
    returning p.partnership_id, p.school_id, 're_reported'::text as event_kind
  ),
  created as (
    insert into public.partnerships
      (school_id, lead_provider_id, delivery_partner_id, cohort_id, reported_by)
    select
      a.school_id, caller_lead_provider_id, report_schools.delivery_partner_id,
      reported_cohort_id, caller_id
    from accepted a
    where a.lost_partnership_id is null
    returning partnership_id, school_id, 'reported'::text as event_kind
  ),
  written as (
    select * from reactivated
    union all
    select * from created
  ),
  events as (
    insert into public.partnership_events (partnership_id, kind, channel, actor_user_id, details)
    select
      w.partnership_id, w.event_kind, app.current_channel(), caller_id,
      jsonb_build_object('delivery_partner_id', report_schools.delivery_partner_id)
    from written w
  ),
  -- Emails of the lost report not yet sent are replaced by the new ones.
  superseded as (
    update public.notifications old
    set status = 'cancelled'
    from reactivated r
    where old.partnership_id = r.partnership_id
      and old.status = 'queued'
      and old.kind in ('school_first', 'tutor_first', 'school_reminder', 'tutor_reminder')
  ),
  -- The nominated induction tutor if there is one, else the school's GIAS address; a school with
  -- neither gets a `no_address` row, never an email to anyone else.
  recipients as (
    select
      w.partnership_id,
      case when t.school_id is null then 'school' else 'tutor' end as audience,
      coalesce(t.email, s.gias_email) as email,
      case when t.school_id is null then 'gias' else 'induction_tutor' end as recipient_kind
    from written w
    join public.schools s on s.school_id = w.school_id
    left join public.induction_tutors t on t.school_id = w.school_id
  ),
  emails as (
    insert into public.notifications
      (kind, partnership_id, recipient_email, recipient_kind, status, due_at)
    select
      r.audience || '_first', r.partnership_id, r.email, r.recipient_kind,
      case when r.email is null then 'no_address' else 'queued' end, now()
    from recipients r
    union all
    select
      r.audience || '_reminder', r.partnership_id, r.email, r.recipient_kind, 'queued',
      now() + interval '7 days'
    from recipients r
    where r.email is not null
  )
  select v.row_number, v.given, v.urn, v.school_name, v.error, w.partnership_id
  from verdicts v
  left join written w on w.school_id = v.school_id
  order by v.row_number;
end
$function$;
alter function app.report_schools(cohort_start_year integer, delivery_partner_id uuid, urns text[], check_only boolean) owner to postgres;

CREATE OR REPLACE FUNCTION app.report_week_starting(reported_at timestamp with time zone)
 RETURNS date
 LANGUAGE sql
 IMMUTABLE
AS $function$
  select pg_catalog.date_trunc('week', pg_catalog.timezone('Europe/London', reported_at))::date
$function$;
alter function app.report_week_starting(reported_at timestamp with time zone) owner to postgres;

CREATE OR REPLACE FUNCTION app.request_new_link(urn text, client_hash bytea)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
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
$function$;
alter function app.request_new_link(urn text, client_hash bytea) owner to postgres;

CREATE OR REPLACE FUNCTION app.request_notifications_run(body jsonb)
 RETURNS bigint
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  function_url text;
  function_secret text;
begin
  select ds.decrypted_secret into function_url
  from vault.decrypted_secrets ds where ds.name = 'notifications_function_url';
  select ds.decrypted_secret into function_secret
  from vault.decrypted_secrets ds where ds.name = 'notifications_function_secret';
  if function_url is null or function_secret is null then
    raise warning 'notifications not woken: Vault secrets notifications_function_url and '
      'notifications_function_secret are not set';
    return null;
  end if;
  return net.http_post(
    url := function_url,
    body := body,
    headers := jsonb_build_object(
      'Content-Type', 'application/json', 'Authorization', 'Bearer ' || function_secret
    ),
    timeout_milliseconds := 120000
  );
end
$function$;
alter function app.request_notifications_run(body jsonb) owner to postgres;

CREATE OR REPLACE FUNCTION app.resend_school_notification(partnership_id uuid, email text)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  cleaned_email text := btrim(email);
  locked record;
  queued_id uuid;
begin
  if not app.is_support_user() then
    raise exception 'not_a_support_user'
      using hint = 'Only DfE support users can send a school''s email again.';
  end if;
  -- The function checks the address properly; this keeps nonsense out of the outbox.
  if cleaned_email !~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' or char_length(cleaned_email) > 320 then
    raise exception 'invalid_email' using hint = 'Enter an email address in the correct format.';
  end if;

  locked := app.lock_unchallenged_partnership(resend_school_notification.partnership_id);
  if locked.refusal is not null then
    return locked.refusal;
  end if;

  update public.notifications n
  set status = 'cancelled'
  where n.partnership_id = resend_school_notification.partnership_id
    and n.status = 'queued'
    and n.kind in ('school_first', 'tutor_first');

  update public.notifications n
  set kind = 'school_reminder', recipient_email = cleaned_email,
    recipient_kind = 'support_corrected'
  where n.partnership_id = resend_school_notification.partnership_id
    and n.status = 'queued'
    and n.kind in ('school_reminder', 'tutor_reminder');

  insert into public.notifications (kind, partnership_id, recipient_email, recipient_kind)
  values (
    'school_first', resend_school_notification.partnership_id, cleaned_email, 'support_corrected'
  )
  returning notification_id into queued_id;

  insert into public.partnership_events (partnership_id, kind, channel, actor_user_id, details)
  values (
    resend_school_notification.partnership_id, 'resend_requested', 'support', auth.uid(),
    jsonb_build_object('notification_id', queued_id)
  );

  return jsonb_build_object(
    'status', 'queued', 'school_name', locked.school_name, 'notification_id', queued_id
  );
end
$function$;
alter function app.resend_school_notification(partnership_id uuid, email text) owner to postgres;

CREATE OR REPLACE FUNCTION app.revoke_api_token(revoked_token_id uuid)
 RETURNS TABLE(api_token_id uuid, lead_provider_id uuid, revoked_at timestamp with time zone)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
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
$function$;
alter function app.revoke_api_token(revoked_token_id uuid) owner to postgres;

CREATE OR REPLACE FUNCTION app.support_partnership_deadline(partnership_id uuid)
 RETURNS TABLE(deadline date, window_closed boolean)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO ''
AS $function$
  select d.deadline, now() >= app.challenge_window_closes_at(d.deadline)
  from (select app.partnership_deadline_date(support_partnership_deadline.partnership_id)
    as deadline) d
  where app.is_support_user() and d.deadline is not null
$function$;
alter function app.support_partnership_deadline(partnership_id uuid) owner to postgres;

CREATE OR REPLACE FUNCTION app.sweep_notifications()
 RETURNS bigint
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
  select app.wake_notifications()
  where not exists (select from app.notification_runs r where r.lease_expires_at > now())
    and (app.notifications_due() or exists (select from app.notification_runs))
$function$;
alter function app.sweep_notifications() owner to postgres;

CREATE OR REPLACE FUNCTION app.take_notification_run(run_id uuid, lease_seconds integer, in_flight_seconds integer)
 RETURNS TABLE(began boolean, pacing_tokens double precision, pacing_age_ms double precision)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
begin
  began := app.begin_notification_run(run_id, lease_seconds, in_flight_seconds);
  if began then
    delete from app.notification_pacing p
    returning p.tokens, extract(epoch from now() - p.left_at) * 1000
    into pacing_tokens, pacing_age_ms;
  end if;
  return next;
end
$function$;
alter function app.take_notification_run(run_id uuid, lease_seconds integer, in_flight_seconds integer) owner to postgres;

CREATE OR REPLACE FUNCTION app.touch_updated_at()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
begin
  new.updated_at := now();
  return new;
end
$function$;
alter function app.touch_updated_at() owner to postgres;

CREATE OR REPLACE FUNCTION app.trusts_of_urns(urns text[])
 RETURNS TABLE(trust_uid text, trust_name text, school_count integer, listed_urns text[])
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO ''
AS $function$
  select s.trust_uid, max(s.trust_name),
    (
      select count(*)::integer from public.schools whole
      where whole.trust_uid = s.trust_uid and whole.status in ('open', 'proposed_to_close')
    ),
    array_agg(s.urn order by s.urn)
  from public.schools s
  where s.urn = any (trusts_of_urns.urns) and s.trust_type = 'multi_academy_trust'
  group by s.trust_uid
  order by max(s.trust_name)
$function$;
alter function app.trusts_of_urns(urns text[]) owner to postgres;

CREATE OR REPLACE FUNCTION app.use_api_token(token text)
 RETURNS TABLE(api_token_id uuid, lead_provider_id uuid, retry_after_seconds integer)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
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
$function$;
alter function app.use_api_token(token text) owner to postgres;

CREATE OR REPLACE FUNCTION app.wake_notifications()
 RETURNS bigint
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
  select app.request_notifications_run('{}'::jsonb)
$function$;
alter function app.wake_notifications() owner to postgres;

CREATE OR REPLACE FUNCTION app.wake_notifications_after_insert()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
begin
  if exists (select from inserted_rows r where r.status = 'queued' and r.due_at <= now()) then
    perform app.wake_notifications_if_needed();
  end if;
  return null;
end
$function$;
alter function app.wake_notifications_after_insert() owner to postgres;

CREATE OR REPLACE FUNCTION app.wake_notifications_if_needed()
 RETURNS bigint
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  request bigint;
begin
  -- Key share: not in the way of the run's renewals (no key update), but its end waits for us.
  perform from app.notification_runs r where r.lease_expires_at > now() for key share;
  if found then
    return null;
  end if;
  -- Whoever holds this row is asking now; one that asked within 5 s has a wake-up on its way
  -- (pg_net sends within a second; past that it is taken as lost).
  update app.notification_wake w
  set requested_at = now()
  where w.singleton in (
    select o.singleton from app.notification_wake o
    where o.requested_at is null or o.requested_at < now() - interval '5 seconds'
    for update skip locked
  );
  if not found then
    return null;
  end if;
  request := app.wake_notifications();
  return request;
end
$function$;
alter function app.wake_notifications_if_needed() owner to postgres;

-- =================================================================================================
-- Triggers
-- =================================================================================================

CREATE TRIGGER notifications_wake_sender AFTER INSERT ON public.notifications REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION app.wake_notifications_after_insert();
CREATE TRIGGER partnership_events_record_report_outcomes AFTER INSERT ON public.partnership_events REFERENCING NEW TABLE AS added_events FOR EACH STATEMENT EXECUTE FUNCTION app.record_report_outcomes();
CREATE TRIGGER partnerships_touch_updated_at BEFORE UPDATE ON public.partnerships FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();

-- =================================================================================================
-- Grants (beyond each owner)
-- =================================================================================================

grant usage on schema app to app_user;
grant usage on schema app to service_role;
grant execute on function app.begin_notification_run(run_id uuid, lease_seconds integer, in_flight_seconds integer) to service_role;
grant execute on function app.challenge_by_support(partnership_id uuid, reason text, note text) to app_user;
grant execute on function app.challenge_by_token(token text, reason text) to service_role;
grant execute on function app.challenge_deadline_date(anchor_at timestamp with time zone, earliest_deadline date) to service_role;
grant execute on function app.challenge_link_status(token text) to service_role;
grant execute on function app.challenge_window_closes_at(deadline date) to service_role;
grant execute on function app.change_delivery_partner(partnership_id uuid, delivery_partner_id uuid) to app_user;
grant execute on function app.claim_idempotency_key(idempotency_key text, request text) to app_user;
grant execute on function app.claim_notifications(max_rows integer, lease_seconds integer) to service_role;
grant execute on function app.cohort_label(start_year integer) to service_role;
grant execute on function app.create_api_token(lead_provider_id uuid, name text) to app_user;
grant execute on function app.current_channel() to app_user;
grant execute on function app.current_lead_provider_id() to app_user;
grant execute on function app.current_lead_provider_id() to service_role;
grant execute on function app.end_notification_run(run_id uuid) to service_role;
grant execute on function app.end_notification_run(run_id uuid, pacing_tokens double precision) to service_role;
grant execute on function app.find_schools(urns text[], school_ids uuid[]) to app_user;
grant execute on function app.finish_idempotent_request(idempotency_key text, response_status integer, response_body json) to app_user;
grant execute on function app.hand_over_notifications() to service_role;
grant execute on function app.is_support_user() to app_user;
grant execute on function app.is_support_user() to service_role;
grant execute on function app.list_api_tokens(lead_provider_id uuid) to app_user;
grant execute on function app.new_link_limits(OUT per_urn integer, OUT urn_window interval, OUT per_client integer, OUT client_window interval) to service_role;
grant execute on function app.next_notification_due_at() to service_role;
grant execute on function app.notification_run_free() to service_role;
grant execute on function app.notifications_due() to service_role;
grant execute on function app.partnership_deadline_date(partnership_id uuid) to service_role;
grant execute on function app.provider_school_emails(partnership_ids uuid[]) to app_user;
grant execute on function app.record_delivery_receipt(notify_id text, reference text, status text, completed_at timestamp with time zone) to service_role;
grant execute on function app.record_notification_failure(notification_id uuid, error text, retry_at timestamp with time zone) to service_role;
grant execute on function app.record_notification_sent(notification_id uuid, notify_id text) to service_role;
grant execute on function app.release_notification(notification_id uuid) to service_role;
grant execute on function app.report_schools(cohort_start_year integer, delivery_partner_id uuid, urns text[], check_only boolean) to app_user;
grant execute on function app.request_new_link(urn text, client_hash bytea) to service_role;
grant execute on function app.resend_school_notification(partnership_id uuid, email text) to app_user;
grant execute on function app.revoke_api_token(revoked_token_id uuid) to app_user;
grant execute on function app.support_partnership_deadline(partnership_id uuid) to app_user;
grant execute on function app.sweep_notifications() to service_role;
grant execute on function app.take_notification_run(run_id uuid, lease_seconds integer, in_flight_seconds integer) to service_role;
grant execute on function app.trusts_of_urns(urns text[]) to app_user;
grant execute on function app.use_api_token(token text) to service_role;
grant execute on function app.wake_notifications() to service_role;
grant usage on schema mi to analyst;
grant select on table mi.challenge_rates_by_delivery_partner to analyst;
grant select on table mi.challenge_rates_by_lead_provider to analyst;
grant select on table mi.challenge_rates_by_trust_coverage to analyst;
grant select on table mi.challenge_rates_by_trust_type to analyst;
grant select on table mi.challenge_rates_by_week to analyst;
grant select on table mi.challenges to analyst;
grant select on table mi.challenges_by_reason to analyst;
grant select on table mi.challenges_by_trust to analyst;
grant select on table mi.email_outcomes to analyst;
grant select on table mi.new_link_requests_by_day to analyst;
grant select on table mi.new_links_by_lead_provider to analyst;
grant select on table mi.reports to analyst;
grant select on table mi.time_from_email_to_challenge to analyst;
grant select on table mi.undelivered_emails to analyst;
grant usage on schema public to public;
grant select on table public.challenge_reasons to app_user;
grant delete, insert, select, update on table public.challenge_reasons to service_role;
grant select on table public.cohorts to app_user;
grant delete, insert, select, update on table public.cohorts to service_role;
grant select on table public.delivery_partners to app_user;
grant delete, insert, select, update on table public.delivery_partners to service_role;
grant select on table public.induction_tutors to app_user;
grant delete, insert, select, update on table public.induction_tutors to service_role;
grant select on table public.lead_providers to app_user;
grant delete, insert, select, update on table public.lead_providers to service_role;
grant delete, insert, select, update on table public.link_tokens to service_role;
grant select on table public.notifications to app_user;
grant delete, insert, select, update on table public.notifications to service_role;
grant insert, select on table public.partnership_events to service_role;
grant select (actor_user_id) on table public.partnership_events to app_support_user;
grant select (channel) on table public.partnership_events to app_user;
grant select (created_at) on table public.partnership_events to app_user;
grant select (details) on table public.partnership_events to app_user;
grant select (event_id) on table public.partnership_events to app_user;
grant select (kind) on table public.partnership_events to app_user;
grant select (partnership_id) on table public.partnership_events to app_user;
grant delete, insert, select, update on table public.partnerships to service_role;
grant select (challenge_channel) on table public.partnerships to app_user;
grant select (challenge_note) on table public.partnerships to app_support_user;
grant select (challenge_reason) on table public.partnerships to app_user;
grant select (challenged_at) on table public.partnerships to app_user;
grant select (challenged_by) on table public.partnerships to app_support_user;
grant select (cohort_id) on table public.partnerships to app_user;
grant select (created_at) on table public.partnerships to app_user;
grant select (delivery_partner_id) on table public.partnerships to app_user;
grant select (lead_provider_id) on table public.partnerships to app_user;
grant select (partnership_id) on table public.partnerships to app_user;
grant select (reported_at) on table public.partnerships to app_user;
grant select (reported_by) on table public.partnerships to app_user;
grant select (school_id) on table public.partnerships to app_user;
grant select (school_notified_at) on table public.partnerships to app_user;
grant select (updated_at) on table public.partnerships to app_user;
grant select on table public.provider_relationships to app_user;
grant delete, insert, select, update on table public.provider_relationships to service_role;
grant select on table public.provider_users to app_user;
grant delete, insert, select, update on table public.provider_users to service_role;
grant select on table public.schools to app_user;
grant delete, insert, select, update on table public.schools to service_role;
grant select on table public.support_users to app_user;
grant delete, insert, select, update on table public.support_users to service_role;

-- =================================================================================================
-- Default privileges
-- =================================================================================================

-- (none)
