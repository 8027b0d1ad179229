-- An email given back untried keeps what the sender knew of it. A run that spends its budget gives
-- back the emails it claimed and did not start. Some of them it had claimed from a run that died
-- (`app.claim_notifications`' "expired" branch): perhaps already at Notify, so to be looked up
-- there before any send. Given back as plain "queued", that was forgotten and the next run sent
-- them again: a school emailed twice (tests/faults_functions_killed_test.ts, about one run in two).
-- The claim reads "perhaps sent" from `last_error` ('Outcome unknown: ...'), as for a send that got
-- no answer; the sender now says, as it gives an email back, whether it was one of those.

drop function app.release_notification(uuid);

create function app.release_notification(notification_id uuid, outcome_unknown boolean)
returns void
  language sql security definer set search_path = ''
as $$
  update public.notifications n
  set status = 'queued',
    lease_expires_at = null,
    -- Untried: the attempt is not counted.
    attempts = greatest(n.attempts - 1, 0),
    last_error = case
      when release_notification.outcome_unknown
        and coalesce(n.last_error, '') not like 'Outcome unknown:%' then 'Outcome unknown: given back before it was looked up at Notify'
      else n.last_error
    end
  where n.notification_id = release_notification.notification_id
    and n.status = 'sending'
$$;

revoke execute on function app.release_notification(uuid, boolean) from public;
grant execute on function app.release_notification(uuid, boolean) to service_role;
