-- A delivery receipt locked its email and then, through recording the send, the email's
-- partnership: the opposite order to the sender recording the same send (partnership first), so a
-- receipt arriving while the send was being recorded could deadlock with it. The receipt now finds
-- its email without a lock, locks the partnership and then the email.

create or replace function app.record_delivery_receipt(
  notify_id text, reference text, status text, completed_at timestamptz
) returns text
  language plpgsql security definer set search_path = ''
as $$
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
$$;
