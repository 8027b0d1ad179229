-- Trusts in the provider's report journey. Mistakes in the public beta clustered in multi-academy
-- trusts: the provider agreed with the trust, and not every school in it knew. So before a
-- provider confirms, its check page names each trust among the listed schools, says how many of
-- the trust's schools it is reporting, and asks it to make sure the trust has told each one.
--
-- Answers one row per multi-academy trust with a school among `urns`: its name, how many of its
-- open schools there are (from GIAS, whichever provider works with them), and which of the given
-- URNs are in it. Security definer because a provider cannot read schools it has no partnership
-- with; it reveals only what GIAS publishes.
create function app.trusts_of_urns(urns text[])
  returns table (trust_uid text, trust_name text, school_count integer, listed_urns text[])
  language sql stable security definer set search_path = ''
as $$
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
$$;
revoke execute on function app.trusts_of_urns(text[]) from public;
grant execute on function app.trusts_of_urns(text[]) to app_user;
