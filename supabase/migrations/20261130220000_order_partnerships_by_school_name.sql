-- The portal's list of a lead provider's schools shows a cohort 20 at a time, challenged ones
-- first, then by school name and URN, with the total. The name and URN lived only in schools, so
-- every page read each of the provider's schools (10,000 index probes and 10,000 checks of the
-- schools read policy, twice: once to count, once to sort) to show 20: about 120,000 buffer
-- blocks a page (issue 16). A partnership now carries its school's name and URN, kept equal to
-- the school's by the two triggers below, and an index holds a provider's partnerships in a cohort
-- in the list's order: a page reads its 20 rows from that index, and the count and a search read
-- the provider's own partnerships only, never the schools of the others.

alter table public.partnerships add column school_name text, add column school_urn text;

comment on column public.partnerships.school_name is
  'A copy of schools.name, kept equal by triggers, so a provider''s list can be read in name order from an index.';
comment on column public.partnerships.school_urn is
  'A copy of schools.urn, kept equal by triggers, for the same index (the order''s tie-break).';

-- Filling the copies is not a change a Lead Provider API client should see as an update.
alter table public.partnerships disable trigger partnerships_touch_updated_at;
update public.partnerships p set school_name = s.name, school_urn = s.urn
from public.schools s
where s.school_id = p.school_id;
alter table public.partnerships enable trigger partnerships_touch_updated_at;

alter table public.partnerships
  alter column school_name set not null,
  alter column school_urn set not null;

-- One rule, on both tables: a partnership's copies are its school's name and URN. A new
-- partnership, one moved to another school, or one whose copies someone set by hand, takes its
-- school's; a renamed school is renamed in its partnerships (which marks them updated: the Lead
-- Provider API shows the school's name), and the partnerships' trigger reads the new name back.
create function app.keep_school_copies()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_table_name = 'schools' then
    update public.partnerships p set school_name = new.name, school_urn = new.urn
    where p.school_id = new.school_id;
    return null;
  end if;
  select s.name, s.urn into new.school_name, new.school_urn
  from public.schools s
  where s.school_id = new.school_id;
  return new;
end
$$;

revoke execute on function app.keep_school_copies() from public;

create trigger partnerships_copy_school
  before insert or update of school_id, school_name, school_urn on public.partnerships
  for each row execute function app.keep_school_copies();

create trigger schools_copy_to_partnerships
  after update of name, urn on public.schools
  for each row
  when (old.name is distinct from new.name or old.urn is distinct from new.urn)
  execute function app.keep_school_copies();

-- Readable where the rest of a partnership is: the provider's own, under RLS.
grant select (school_name, school_urn) on public.partnerships to app_user;

-- The list's order within one provider's cohort; `(challenged_at is null)` as the list sorts.
create index partnerships_provider_list_idx on public.partnerships
  (lead_provider_id, cohort_id, (challenged_at is null), school_name, school_urn);
