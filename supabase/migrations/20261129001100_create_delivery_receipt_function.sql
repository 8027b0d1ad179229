-- Notify's delivery receipts (via the `notify-callback` edge function). Notify may send a receipt
-- more than once, out of order, or before the sender has recorded Notify's answer, so recording
-- one is idempotent and never overwrites a final status. A permanent failure to an induction
-- tutor's address sends the same email to the school's GIAS address, so the school still hears.

-- 'recorded', 'repeat' (a final status was already recorded), 'ignored' (not a final status) or
-- 'unknown' (no such email: Notify is told all is well, as there is nothing to retry).
create function app.record_delivery_receipt(
  notify_id text, reference text, status text, completed_at timestamptz
) returns text
  language plpgsql security definer set search_path = ''
as $$
declare
  email public.notifications;
  gias_email text;
  challenged boolean;
begin
  if status not in ('delivered', 'permanent-failure', 'temporary-failure', 'technical-failure') then
    return 'ignored';
  end if;

  select n.* into email from public.notifications n
  where n.notify_id = record_delivery_receipt.notify_id
  for update;
  if not found and reference ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    -- The receipt beat the sender's record of the send: the reference is our notification_id.
    select n.* into email from public.notifications n
    where n.notification_id = reference::uuid and n.notify_id is null
    for update;
  end if;
  if not found then
    return 'unknown';
  end if;
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
$$;

-- The tutor's address does not exist: the same email goes to the school's GIAS address (or is
-- recorded as having no address), and a reminder still waiting for the tutor follows it there.
create function app.fall_back_to_gias(failed public.notifications, gias_email text) returns void
  language plpgsql security definer set search_path = ''
as $$
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
$$;

revoke execute on function
  app.record_delivery_receipt(text, text, text, timestamptz),
  app.fall_back_to_gias(public.notifications, text)
from public;
grant execute on function app.record_delivery_receipt(text, text, text, timestamptz)
  to service_role;
