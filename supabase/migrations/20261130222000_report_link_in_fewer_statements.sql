-- A school's report asks the check's own question (issue 16, the challenge function's time). The
-- report ran the token's hash three times and five helpers with `set search_path`
-- (`partnership_id_for_token`, `link_token_superseded`, `partnership_deadline_date`,
-- `challenge_deadline_date`, `challenge_window_closes_at`): Postgres inlines none of them and
-- plans each body afresh on every call, the cost that 20261130150000 took out of the check.
--
-- Now one query finds the token's partnership by the hash (the primary key), locks it and looks
-- the reason up, and `app.challenge_link_status`, whose plan plpgsql keeps for the session,
-- answers superseded, challenged, expired or open by the same rules the page was shown, once the
-- row is held: a report and a check can never disagree, and the rules live in one place. Called after the lock, it sees
-- whatever a report or re-report that got the lock first committed. The answers and their order
-- are as before: not found, invalid reason, superseded, already challenged, expired.

create or replace function app.challenge_by_token(token text, reason text) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  linked_id uuid;
  reason_known boolean;
  link jsonb;
begin
  -- Simultaneous calls queue here; each sees the row as the one before it left it.
  select
    p.partnership_id,
    exists (select from public.challenge_reasons r where r.code = challenge_by_token.reason)
  into linked_id, reason_known
  from public.link_tokens t
  join public.partnerships p on p.partnership_id = t.partnership_id
  where t.token_hash = extensions.digest(convert_to(token, 'UTF8'), 'sha256')
  for update of p;
  if linked_id is null then
    return jsonb_build_object('status', 'not_found');
  elsif not reason_known then
    return jsonb_build_object('status', 'invalid_reason');
  end if;

  link := app.challenge_link_status(token);
  case link ->> 'status'
    when 'open' then
      perform app.record_challenge(linked_id, reason, 'email_link', null, null);
      return jsonb_build_object('status', 'challenged', 'school_name', link -> 'school_name');
    when 'challenged' then
      return jsonb_build_object('status', 'already_challenged', 'school_name', link -> 'school_name');
    else
      -- Superseded or expired: the status and the school's name, as before (and `not_found`
      -- alone, should the token go between the lock and the check).
      return jsonb_strip_nulls(
        jsonb_build_object('status', link -> 'status', 'school_name', link -> 'school_name')
      );
  end case;
end
$$;
