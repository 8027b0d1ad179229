-- What wakes the `notifications` function. A committed outbox row wakes it at once, through one
-- pg_net request per statement; a pg_cron job every minute is the safety net, because pg_net
-- has no retries and loses requests, and because retries and reminders fall due with no insert.

do $$
begin
  if exists (select from pg_available_extensions where name = 'pg_net') then
    create extension if not exists pg_net with schema extensions;
  end if;
  if exists (select from pg_available_extensions where name = 'pg_cron') then
    create extension if not exists pg_cron with schema pg_catalog;
  end if;
end
$$;

-- One POST to the function, with its URL and the secret key from Vault (set per environment).
-- pg_net sends it only if the transaction commits, so a rolled-back report sends nothing. The
-- timeout covers a whole run: the request is the run. Returns pg_net's request id, or null when
-- the Vault secrets are missing (nothing to call; the outbox keeps the rows).
create function app.wake_notifications() returns bigint
  language plpgsql security definer set search_path = ''
as $$
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
    body := '{}'::jsonb,
    headers := jsonb_build_object(
      'Content-Type', 'application/json', 'Authorization', 'Bearer ' || function_secret
    ),
    timeout_milliseconds := 120000
  );
end
$$;

-- The minute sweep: wakes the function only when something is due, so an idle service makes no
-- calls.
create function app.sweep_notifications() returns bigint
  language sql security definer set search_path = ''
as $$
  select app.wake_notifications() where app.notifications_due()
$$;

-- On the outbox rather than on partnerships: every email starts as an outbox row, so this one
-- trigger also wakes the sender for emails to providers after a challenge, for support's resends
-- and for fallbacks to a school's GIAS address. Statement level: reporting 10,000 schools in one
-- statement makes one request, not 10,000. Rows due later (reminders) wake nothing; the sweep
-- picks them up when they fall due.
create function app.wake_notifications_after_insert() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  if exists (select from inserted_rows r where r.status = 'queued' and r.due_at <= now()) then
    perform app.wake_notifications();
  end if;
  return null;
end
$$;

create trigger notifications_wake_sender
  after insert on public.notifications
  referencing new table as inserted_rows
  for each statement execute function app.wake_notifications_after_insert();

revoke execute on function
  app.wake_notifications(),
  app.sweep_notifications(),
  app.wake_notifications_after_insert()
from public;
grant execute on function app.wake_notifications(), app.sweep_notifications() to service_role;

select cron.schedule('notifications-sweep', '* * * * *', 'select app.sweep_notifications()');
