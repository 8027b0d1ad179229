-- Who may read what through the API. Deny by default: anon has no policy anywhere, a signed-in
-- user with no role in the service matches none, and there are no write policies at all (writes go
-- through the functions in `app`). Link tokens have no policy: nobody reads them.
-- The helpers are wrapped in (select ...) so Postgres evaluates them once per query.

create policy "Provider and support users can read cohorts"
  on public.cohorts for select to authenticated
  using ((select app.current_lead_provider_id()) is not null or (select app.is_support_user()));

create policy "Provider and support users can read challenge reasons"
  on public.challenge_reasons for select to authenticated
  using ((select app.current_lead_provider_id()) is not null or (select app.is_support_user()));

-- Providers see only the schools they have partnerships with; whether a school may be reported
-- is answered by app.report_schools, so they need no wider read.
create policy "Provider users can read the schools they have partnerships with"
  on public.schools for select to authenticated
  using (
    exists (
      select from public.partnerships p
      where p.school_id = schools.school_id
        and p.lead_provider_id = (select app.current_lead_provider_id())
    )
  );

create policy "Support users can read schools"
  on public.schools for select to authenticated
  using ((select app.is_support_user()));

create policy "Support users can read induction tutors"
  on public.induction_tutors for select to authenticated
  using ((select app.is_support_user()));

create policy "Provider users can read their own lead provider"
  on public.lead_providers for select to authenticated
  using (lead_provider_id = (select app.current_lead_provider_id()));

create policy "Support users can read lead providers"
  on public.lead_providers for select to authenticated
  using ((select app.is_support_user()));

create policy "Provider users can read the delivery partners they work with"
  on public.delivery_partners for select to authenticated
  using (
    exists (
      select from public.provider_relationships r
      where r.delivery_partner_id = delivery_partners.delivery_partner_id
        and r.lead_provider_id = (select app.current_lead_provider_id())
    )
    or exists (
      select from public.partnerships p
      where p.delivery_partner_id = delivery_partners.delivery_partner_id
        and p.lead_provider_id = (select app.current_lead_provider_id())
    )
  );

create policy "Support users can read delivery partners"
  on public.delivery_partners for select to authenticated
  using ((select app.is_support_user()));

create policy "Provider users can read their own relationships"
  on public.provider_relationships for select to authenticated
  using (lead_provider_id = (select app.current_lead_provider_id()));

create policy "Support users can read relationships"
  on public.provider_relationships for select to authenticated
  using ((select app.is_support_user()));

create policy "Provider users can read the users of their own lead provider"
  on public.provider_users for select to authenticated
  using (lead_provider_id = (select app.current_lead_provider_id()));

create policy "Support users can read provider users"
  on public.provider_users for select to authenticated
  using ((select app.is_support_user()));

create policy "Support users can read support users"
  on public.support_users for select to authenticated
  using ((select app.is_support_user()));

create policy "Provider users can read their own partnerships"
  on public.partnerships for select to authenticated
  using (lead_provider_id = (select app.current_lead_provider_id()));

create policy "Support users can read partnerships"
  on public.partnerships for select to authenticated
  using ((select app.is_support_user()));

create policy "Provider users can read the events of their own partnerships"
  on public.partnership_events for select to authenticated
  using (
    exists (
      select from public.partnerships p
      where p.partnership_id = partnership_events.partnership_id
        and p.lead_provider_id = (select app.current_lead_provider_id())
    )
  );

create policy "Support users can read partnership events"
  on public.partnership_events for select to authenticated
  using ((select app.is_support_user()));

-- The outbox holds schools' and tutors' addresses: support only, to answer "did the email go?".
create policy "Support users can read notifications"
  on public.notifications for select to authenticated
  using ((select app.is_support_user()));
