-- Demo data for local development and demos: two cohorts, three lead providers with their users,
-- a DfE support user, six delivery partners, their relationships, and 320 schools across
-- statuses, types and regions, some in trusts, some with an induction tutor, some with no email at
-- all. Every address is on a reserved `.example.test` domain. The 2026 cohort has no partnerships:
-- the demo reports schools through the portal; the 2025 cohort has a history for the MI views (at
-- the end). Fixed ids, so demo scripts and notes can name them.
--
-- Schools worth knowing for a demo (URN: what it shows):
--   100001 Oakfield Primary School: open, induction tutor nominated (tutor email)
--   100002 St Mary's Church of England Primary School: open, GIAS email only (school email)
--   100003 Riverside Academy: open, multi-academy trust, no email at all (no_address)
--   100004 Hillcrest Independent School: "School not eligible for funding"
--   100005 Ysgol Gymraeg Aberhonddu: Welsh, "School not eligible for funding"
--   100006 Meadowbank Infant School: closed, "School not eligible for inductions"

insert into public.cohorts (cohort_id, start_year, academic_year_start, earliest_challenge_deadline)
values
  ('c0000000-0000-4000-8000-000000002025', 2025, '2025-09-01', '2025-10-31'),
  ('c0000000-0000-4000-8000-000000002026', 2026, '2026-09-01', '2026-10-31');

insert into public.lead_providers (lead_provider_id, name) values
  ('1e000000-0000-4000-8000-000000000001', 'Ambition Institute'),
  ('1e000000-0000-4000-8000-000000000002', 'Best Practice Network'),
  ('1e000000-0000-4000-8000-000000000003', 'Education Development Trust');

insert into public.delivery_partners (delivery_partner_id, name) values
  ('d0000000-0000-4000-8000-000000000001', 'Pennine Lancashire Teaching School Hub'),
  ('d0000000-0000-4000-8000-000000000002', 'Three Rivers Teaching School Hub'),
  ('d0000000-0000-4000-8000-000000000003', 'Cambridge Partnership for Teaching'),
  ('d0000000-0000-4000-8000-000000000004', 'Northern Lights Learning Alliance'),
  ('d0000000-0000-4000-8000-000000000005', 'South Coast Teaching Partnership'),
  ('d0000000-0000-4000-8000-000000000006', 'Severn Vale Schools Alliance');

-- Each lead provider works with three delivery partners; in 2026 one pair changes.
insert into public.provider_relationships (lead_provider_id, delivery_partner_id, cohort_id)
select r.lead_provider_id::uuid, r.delivery_partner_id::uuid, c.cohort_id
from (values
  ('1e000000-0000-4000-8000-000000000001', 'd0000000-0000-4000-8000-000000000001', 2025),
  ('1e000000-0000-4000-8000-000000000001', 'd0000000-0000-4000-8000-000000000002', 2025),
  ('1e000000-0000-4000-8000-000000000001', 'd0000000-0000-4000-8000-000000000001', 2026),
  ('1e000000-0000-4000-8000-000000000001', 'd0000000-0000-4000-8000-000000000002', 2026),
  ('1e000000-0000-4000-8000-000000000001', 'd0000000-0000-4000-8000-000000000003', 2026),
  ('1e000000-0000-4000-8000-000000000002', 'd0000000-0000-4000-8000-000000000003', 2025),
  ('1e000000-0000-4000-8000-000000000002', 'd0000000-0000-4000-8000-000000000004', 2025),
  ('1e000000-0000-4000-8000-000000000002', 'd0000000-0000-4000-8000-000000000004', 2026),
  ('1e000000-0000-4000-8000-000000000002', 'd0000000-0000-4000-8000-000000000005', 2026),
  ('1e000000-0000-4000-8000-000000000003', 'd0000000-0000-4000-8000-000000000005', 2025),
  ('1e000000-0000-4000-8000-000000000003', 'd0000000-0000-4000-8000-000000000006', 2025),
  ('1e000000-0000-4000-8000-000000000003', 'd0000000-0000-4000-8000-000000000006', 2026),
  ('1e000000-0000-4000-8000-000000000003', 'd0000000-0000-4000-8000-000000000001', 2026)
) as r (lead_provider_id, delivery_partner_id, start_year)
join public.cohorts c on c.start_year = r.start_year;

-- Users sign in with a one-time code sent to their email; no passwords.
insert into auth.users (
  instance_id, id, aud, role, email, email_confirmed_at, raw_app_meta_data, raw_user_meta_data,
  created_at, updated_at
)
select
  '00000000-0000-0000-0000-000000000000', u.id::uuid, 'authenticated', 'authenticated', u.email,
  now(), '{"provider": "email", "providers": ["email"]}', jsonb_build_object('full_name', u.name),
  now(), now()
from (values
  ('a0000000-0000-4000-8000-000000000001', 'alice@ambition.example.test', 'Alice Okafor'),
  ('a0000000-0000-4000-8000-000000000002', 'arjun@ambition.example.test', 'Arjun Mehta'),
  ('a0000000-0000-4000-8000-000000000003', 'beth@bpn.example.test', 'Beth Lloyd'),
  ('a0000000-0000-4000-8000-000000000004', 'ben@bpn.example.test', 'Ben Carter'),
  ('a0000000-0000-4000-8000-000000000005', 'erin@edt.example.test', 'Erin Walsh'),
  ('a0000000-0000-4000-8000-000000000006', 'sam@support.education.example.test', 'Sam Patel')
) as u (id, email, name);

insert into public.provider_users (user_id, lead_provider_id, full_name, email) values
  ('a0000000-0000-4000-8000-000000000001', '1e000000-0000-4000-8000-000000000001', 'Alice Okafor',
    'alice@ambition.example.test'),
  ('a0000000-0000-4000-8000-000000000002', '1e000000-0000-4000-8000-000000000001', 'Arjun Mehta',
    'arjun@ambition.example.test'),
  ('a0000000-0000-4000-8000-000000000003', '1e000000-0000-4000-8000-000000000002', 'Beth Lloyd',
    'beth@bpn.example.test'),
  ('a0000000-0000-4000-8000-000000000004', '1e000000-0000-4000-8000-000000000002', 'Ben Carter',
    'ben@bpn.example.test'),
  ('a0000000-0000-4000-8000-000000000005', '1e000000-0000-4000-8000-000000000003', 'Erin Walsh',
    'erin@edt.example.test');

insert into public.support_users (user_id, full_name, email) values
  ('a0000000-0000-4000-8000-000000000006', 'Sam Patel', 'sam@support.education.example.test');

-- The named demo schools.
insert into public.schools (
  urn, name, gias_email, status, establishment_type, is_independent, in_england,
  local_authority, trust_uid, trust_name, trust_type
) values
  ('100001', 'Oakfield Primary School', 'office@oakfield.example.test', 'open',
    'Community school', false, true, 'Leeds', null, null, null),
  ('100002', 'St Mary''s Church of England Primary School', 'admin@stmarys.example.test', 'open',
    'Voluntary aided school', false, true, 'Norfolk', null, null, null),
  ('100003', 'Riverside Academy', null, 'open', 'Academy converter', false, true, 'Bristol',
    '5001', 'Severn Learning Trust', 'multi_academy_trust'),
  ('100004', 'Hillcrest Independent School', 'bursar@hillcrest.example.test', 'open',
    'Other independent school', true, true, 'Surrey', null, null, null),
  ('100005', 'Ysgol Gymraeg Aberhonddu', 'swyddfa@aberhonddu.example.test', 'open',
    'Welsh establishment', false, false, 'Powys', null, null, null),
  ('100006', 'Meadowbank Infant School', 'office@meadowbank.example.test', 'closed',
    'Community school', false, true, 'Kent', null, null, null);

insert into public.induction_tutors (school_id, full_name, email)
select school_id, 'Priya Shah', 'priya.shah@oakfield.example.test'
from public.schools where urn = '100001';

-- 314 more schools, generated: names from places and kinds, mostly open state schools in England,
-- with closed, proposed, independent, Welsh and overseas ones mixed in.
with generated as (
  select
    i,
    (array[
      'Ashford', 'Bramley', 'Castleton', 'Denby', 'Elmswell', 'Fairfield', 'Greenhill',
      'Harlow', 'Ivybridge', 'Kingsway', 'Langley', 'Millbrook', 'Northgate', 'Oakwood',
      'Parkside', 'Queensbury', 'Redhill', 'Southfields', 'Thornton', 'Upton', 'Westfield',
      'Woodlands', 'Yardley', 'Abbey'
    ])[1 + i % 24] as place,
    (array[
      'Primary School', 'Academy', 'Church of England Primary School', 'High School',
      'Junior School', 'Infant School', 'Catholic Primary School', 'Community College'
    ])[1 + (i / 24) % 8] as kind,
    (array[
      'Birmingham', 'Manchester', 'Leeds', 'Liverpool', 'Bristol', 'Sheffield',
      'Newcastle upon Tyne',
      'Nottingham', 'Leicester', 'Hampshire', 'Kent', 'Essex', 'Lancashire', 'Devon', 'Cornwall',
      'Cumbria', 'Norfolk', 'Suffolk', 'Camden', 'Hackney', 'Croydon', 'Barnet'
    ])[1 + (i * 7) % 22] as local_authority
  from generate_series(7, 320) as i
),
classified as (
  select
    g.*,
    case
      when i % 53 = 0 then 'British schools overseas'
      when i % 37 = 0 then 'Welsh establishment'
      when i % 29 = 0 then 'Other independent school'
      when g.kind = 'Academy' and i % 3 = 0 then 'Free schools'
      when g.kind = 'Academy' then 'Academy converter'
      when g.kind like 'Church%' or g.kind like 'Catholic%' then 'Voluntary aided school'
      when i % 5 = 0 then 'Foundation school'
      else 'Community school'
    end as establishment_type,
    case
      when i % 31 = 0 then 'closed'
      when i % 43 = 0 then 'proposed_to_close'
      when i % 47 = 0 then 'proposed_to_open'
      else 'open'
    end as status
  from generated g
)
insert into public.schools (
  urn, name, gias_email, status, establishment_type, is_independent, in_england,
  local_authority, trust_uid, trust_name, trust_type
)
select
  (100000 + i)::text,
  place || ' ' || kind || case when i > 192 then ' (' || local_authority || ')' else '' end,
  case when i % 23 = 0 then null else 'office' || i || '@school.example.test' end,
  status,
  establishment_type,
  establishment_type = 'Other independent school',
  establishment_type not in ('Welsh establishment', 'British schools overseas'),
  case
    when establishment_type = 'Welsh establishment' then 'Cardiff'
    when establishment_type = 'British schools overseas' then 'Overseas'
    else local_authority
  end,
  case
    when establishment_type in ('Academy converter', 'Free schools') and i % 4 <> 0
      then (5000 + i % 9)::text
    when establishment_type in ('Academy converter', 'Free schools') then (6000 + i)::text
  end,
  case
    when establishment_type in ('Academy converter', 'Free schools') and i % 4 <> 0 then
      (array[
        'Severn Learning Trust', 'Northern Star Academy Trust', 'Oak Tree Multi-Academy Trust',
        'Pennine Learning Partnership', 'Bright Futures Education Trust', 'Anglian Schools Trust',
        'Harbour Learning Trust', 'Chiltern Academies', 'Thames Valley Learning Trust'
      ])[1 + i % 9]
    when establishment_type in ('Academy converter', 'Free schools')
      then place || ' ' || kind || ' Trust'
  end,
  case
    when establishment_type in ('Academy converter', 'Free schools') and i % 4 <> 0
      then 'multi_academy_trust'
    when establishment_type in ('Academy converter', 'Free schools') then 'single_academy_trust'
  end
from classified;

-- About two in five schools have nominated an induction tutor; some of those have no GIAS email.
insert into public.induction_tutors (school_id, full_name, email)
select
  s.school_id,
  t.first_name || ' ' || t.last_name,
  lower(t.first_name) || '.' || lower(t.last_name) || '@tutor' || s.urn || '.example.test'
from public.schools s
cross join lateral (
  select
    (array['Amina', 'Ben', 'Chloe', 'Dev', 'Eilidh', 'Femi', 'Grace', 'Hamza', 'Isla', 'Jack'])
      [1 + s.urn::integer % 10] as first_name,
    (array['Khan', 'Smith', 'Jones', 'Taylor', 'Brown', 'Evans', 'Wilson', 'Ahmed', 'Clarke'])
      [1 + s.urn::integer % 9] as last_name
) t
where s.urn::integer > 100006 and s.urn::integer % 5 in (1, 3);

-- A finished 2025 cohort, so the MI views have something to show: 46 schools reported in
-- September and October 2025, about one in four of them challenged (some by support),
-- with the emails that went out and their receipts. The 2026 cohort is left empty for the demo.
create temporary table seed_history as
select
  row_number() over (order by s.urn)::integer as n,
  s.school_id,
  s.gias_email,
  t.email as tutor_email
from public.schools s
left join public.induction_tutors t using (school_id)
where s.urn::integer between 100007 and 100320
  and s.urn::integer % 6 = 3
  and s.status in ('open', 'proposed_to_close')
  and s.in_england
  and not s.is_independent
order by s.urn;

insert into public.partnerships (
  partnership_id, school_id, lead_provider_id, delivery_partner_id, cohort_id, reported_at,
  reported_by, school_notified_at, challenged_at, challenge_reason, challenge_channel
)
select
  ('b0000000-0000-4000-8000-' || lpad(h.n::text, 12, '0'))::uuid,
  h.school_id,
  p.lead_provider_id::uuid,
  p.delivery_partner_id::uuid,
  'c0000000-0000-4000-8000-000000002025',
  timestamptz '2025-09-01 09:00:00+01' + make_interval(days => h.n),
  p.user_id::uuid,
  case
    when coalesce(h.tutor_email, h.gias_email) is not null
      then timestamptz '2025-09-01 09:05:00+01' + make_interval(days => h.n)
  end,
  case
    when (h.n % 4 = 0 or h.n % 15 = 2)
      then timestamptz '2025-09-01 16:30:00+01' + make_interval(days => h.n + h.n % 11)
  end,
  case when (h.n % 4 = 0 or h.n % 15 = 2) then (array[
    'another_provider', 'not_confirmed', 'do_not_recognise', 'no_ects', 'mistake'
  ])[1 + (h.n / 4) % 5] end,
  case
    when (h.n % 4 = 0 or h.n % 15 = 2) and h.n % 12 = 0 then 'support'
    when (h.n % 4 = 0 or h.n % 15 = 2) then 'email_link'
  end
from seed_history h
join (values
  (0, '1e000000-0000-4000-8000-000000000001', 'd0000000-0000-4000-8000-000000000001',
    'a0000000-0000-4000-8000-000000000001'),
  (1, '1e000000-0000-4000-8000-000000000002', 'd0000000-0000-4000-8000-000000000003',
    'a0000000-0000-4000-8000-000000000003'),
  (2, '1e000000-0000-4000-8000-000000000003', 'd0000000-0000-4000-8000-000000000005',
    'a0000000-0000-4000-8000-000000000005')
) as p (k, lead_provider_id, delivery_partner_id, user_id) on p.k = h.n % 3;

update public.partnerships
set challenged_by = 'a0000000-0000-4000-8000-000000000006'
where challenge_channel = 'support';

insert into public.partnership_events
  (partnership_id, kind, channel, actor_user_id, details, created_at)
select partnership_id, 'reported', 'portal', reported_by,
  jsonb_build_object('delivery_partner_id', delivery_partner_id), reported_at
from public.partnerships
where cohort_id = 'c0000000-0000-4000-8000-000000002025'
union all
select partnership_id, 'notified', 'notify', null, '{}', school_notified_at
from public.partnerships
where cohort_id = 'c0000000-0000-4000-8000-000000002025' and school_notified_at is not null
union all
select partnership_id, 'challenged', challenge_channel, challenged_by,
  jsonb_build_object(
    'reason', challenge_reason, 'delivery_partner_id', delivery_partner_id,
    'reported_at', reported_at, 'school_notified_at', school_notified_at
  ),
  challenged_at
from public.partnerships
where cohort_id = 'c0000000-0000-4000-8000-000000002025' and challenged_at is not null;

-- The school emails: delivered, except one in seven Notify could not deliver; none where the
-- school had no address. Reminders went only to schools that had not challenged within 7 days.
insert into public.notifications (
  kind, partnership_id, recipient_email, recipient_kind, status, due_at, attempts, notify_id,
  sent_at, delivery_status, delivery_status_at, created_at
)
select
  e.kind, p.partnership_id, e.email, e.recipient_kind, e.status, e.due_at,
  case when e.status = 'sent' then 1 else 0 end,
  case when e.status = 'sent' then gen_random_uuid()::text end,
  case when e.status = 'sent' then e.due_at + interval '5 minutes' end,
  case when e.status = 'sent' then
    case when h.n % 7 = 3 then 'permanent-failure' else 'delivered' end
  end,
  case when e.status = 'sent' then e.due_at + interval '10 minutes' end,
  p.reported_at
from public.partnerships p
join seed_history h using (school_id)
cross join lateral (
  select
    case when h.tutor_email is null then 'school' else 'tutor' end as audience,
    coalesce(h.tutor_email, h.gias_email) as email,
    case when h.tutor_email is null then 'gias' else 'induction_tutor' end as recipient_kind
) r
cross join lateral (
  values
    (r.audience || '_first', r.email, r.recipient_kind,
      case when r.email is null then 'no_address' else 'sent' end, p.reported_at),
    (r.audience || '_reminder', r.email, r.recipient_kind,
      case
        when p.challenged_at < p.reported_at + interval '7 days' then 'cancelled'
        else 'sent'
      end,
      p.reported_at + interval '7 days')
) as e (kind, email, recipient_kind, status, due_at)
where p.cohort_id = 'c0000000-0000-4000-8000-000000002025'
  and (e.email is not null or e.kind like '%_first');

-- Every user of the lead provider was told of each challenge.
insert into public.notifications (
  kind, partnership_id, recipient_email, recipient_kind, status, due_at, attempts, notify_id,
  sent_at, delivery_status, delivery_status_at, created_at
)
select
  'provider_challenged', p.partnership_id, pu.email, 'provider_user', 'sent', p.challenged_at, 1,
  gen_random_uuid()::text, p.challenged_at + interval '1 minute', 'delivered',
  p.challenged_at + interval '2 minutes', p.challenged_at
from public.partnerships p
join public.provider_users pu using (lead_provider_id)
where p.cohort_id = 'c0000000-0000-4000-8000-000000002025' and p.challenged_at is not null;

drop table seed_history;
