-- A run that is about to spend its budget with work left asks for its successor a moment before it
-- stops, and the successor waits for the lock instead of answering "busy": it starts sending as the
-- lock is given up, so the hand-over leaves no gap for the successor's wake-up and start.
-- The request that wakes the sender is now one function with a body, so the wake-up and the
-- hand-over share it.

-- One POST to the function, with its URL and the secret key from Vault (set per environment).
-- pg_net sends it only if the transaction commits. The timeout covers a whole run: the request is
-- the run. Returns pg_net's request id, or null when the Vault secrets are missing (nothing to
-- call; the outbox keeps the rows).
create function app.request_notifications_run(body jsonb) returns bigint
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
    body := body,
    headers := jsonb_build_object(
      'Content-Type', 'application/json', 'Authorization', 'Bearer ' || function_secret
    ),
    timeout_milliseconds := 120000
  );
end
$$;

create or replace function app.wake_notifications() returns bigint
  language sql security definer set search_path = ''
as $$
  select app.request_notifications_run('{}'::jsonb)
$$;

-- The successor of a run about to stop: it waits for that run's lock (the function's `handover`).
create function app.hand_over_notifications() returns bigint
  language sql security definer set search_path = ''
as $$
  select app.request_notifications_run('{"handover": true}'::jsonb)
$$;

revoke execute on function
  app.request_notifications_run(jsonb),
  app.hand_over_notifications()
from public;
grant execute on function app.hand_over_notifications() to service_role;
