-- Support's resend is recorded as an event of its own, `resend_requested`, naming the support user
-- who asked for it, so a school's timeline says who sent its email again and when (the send
-- itself is the `notified` event that follows). Also: the "lock the partnership, then refuse if
-- it is unknown or already challenged" step that both support actions take lives in one function.

alter table public.partnership_events drop constraint partnership_events_kind_check;
alter table public.partnership_events add constraint partnership_events_kind_check check (
  kind in (
    'reported', 're_reported', 'notified', 'delivered', 'delivery_failed', 'reminded',
    'challenged', 'resend_requested'
  )
);

-- Locks a partnership (so a challenge and a resend at once cannot both act) and says whether a
-- support action may go ahead: `refusal` is null when it may, else the answer to give
-- (`not_found`, or `already_challenged` with the school's name). Internal: only the functions
-- below call it, with their owner's rights.
create function app.lock_unchallenged_partnership(
  partnership_id uuid,
  out refusal jsonb,
  out school_name text
)
  language plpgsql set search_path = ''
as $$
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
$$;

revoke execute on function app.lock_unchallenged_partnership(uuid) from public;

-- As in 20261129000400, with the lock taken by the shared function.
create or replace function app.challenge_by_support(partnership_id uuid, reason text, note text)
  returns jsonb
  language plpgsql security definer set search_path = ''
as $$
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
$$;

-- As in 20261129002100, with the lock taken by the shared function, and a `resend_requested`
-- event naming the support user (details: the queued email's `notification_id`; the address
-- stays on the email, not in the append-only log).
create or replace function app.resend_school_notification(partnership_id uuid, email text)
  returns jsonb
  language plpgsql security definer set search_path = ''
as $$
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
$$;
