-- Local platform shim: the parts of a Supabase database that our migrations rely on, for a plain
-- Postgres that has no Supabase images, pg_net or pg_cron. local/database/migrations.ts applies it before the
-- migrations; it is never a migration itself.
--
-- Safe to apply again and again. It creates only what is missing and never alters what the
-- platform owns: on a real Supabase database (`supabase start`, hosted) every block below finds
-- the platform's own objects and changes nothing. Schemas the shim creates carry a comment
-- starting 'local platform shim', and only those schemas are (re)filled by later blocks, so an
-- improved shim reaches an existing local database without touching anything else.
--
-- Deliberately conservative grants: local privileges are never wider than the platform's, so
-- code that works here does not fail for lack of a grant when deployed.
--
-- Applied as the platform superuser `supabase_admin` (local/database/postgres.ts makes it the cluster's
-- bootstrap superuser), which therefore owns everything below, as it does on hosted. `postgres`,
-- the role migrations, seed, functions and tools use, is created here as hosted has it: not a
-- superuser, a member of the API roles, with the grants on platform objects that
-- github:supabase/postgres (migrations/db) gives it. On a real Supabase database the shim may run
-- as `postgres` itself, and then finds all of this in place.

-- Roles, as the platform defines them (PostgREST switches from authenticator to the other three).
do $shim$
begin
  if not exists (select from pg_catalog.pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select from pg_catalog.pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select from pg_catalog.pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
  if not exists (select from pg_catalog.pg_roles where rolname = 'authenticator') then
    create role authenticator login noinherit;
  end if;
  if not pg_catalog.pg_has_role('authenticator', 'anon', 'member') then
    grant anon to authenticator;
  end if;
  if not pg_catalog.pg_has_role('authenticator', 'authenticated', 'member') then
    grant authenticated to authenticator;
  end if;
  if not pg_catalog.pg_has_role('authenticator', 'service_role', 'member') then
    grant service_role to authenticator;
  end if;
  -- The API roles can see the public schema; what is in it needs explicit grants, as on new
  -- Supabase projects.
  if not pg_catalog.has_schema_privilege('anon', 'public', 'usage')
    or not pg_catalog.has_schema_privilege('authenticated', 'public', 'usage')
    or not pg_catalog.has_schema_privilege('service_role', 'public', 'usage') then
    grant usage on schema public to anon, authenticated, service_role;
  end if;
end
$shim$;

-- `postgres` as on hosted: NOSUPERUSER CREATEDB CREATEROLE REPLICATION BYPASSRLS; a member of the
-- API roles with ADMIN (hosted grants it them WITH ADMIN OPTION on Postgres 16 and later), and of
-- pg_read_all_data, pg_signal_backend and pg_monitor; the owner of the project's database.
-- Default privileges: none. Hosted projects made before 2026 gave every new table in `public` to
-- anon, authenticated and service_role (ALTER DEFAULT PRIVILEGES FOR ROLE postgres ... GRANT ALL);
-- new projects no longer do, and neither does this, so a table is reachable only by explicit GRANT.
-- A role postgres creates is granted back to it WITH ADMIN but (Postgres 16+) neither INHERIT nor
-- SET, as on hosted: `set role <it>` needs a migration's `grant <it> to postgres with set true`.
do $shim$
begin
  if not exists (select from pg_catalog.pg_roles where rolname = 'postgres') then
    create role postgres login password 'postgres'
      nosuperuser inherit createdb createrole replication bypassrls;
    alter role postgres set search_path to "$user", public, extensions;
  end if;
  if (select rolsuper from pg_catalog.pg_roles where rolname = 'postgres') then
    -- Another Postgres (DATABASE_URL) whose `postgres` is a superuser: nothing to grant.
    return;
  end if;
  if not exists (
    select from pg_catalog.pg_auth_members m
    where m.member = 'postgres'::regrole and m.roleid = 'service_role'::regrole
  ) then
    grant anon, authenticated, service_role to postgres with admin option;
    grant pg_read_all_data, pg_signal_backend, pg_monitor to postgres;
  end if;
  -- As on hosted, where postgres owns the project's database (so `public`, pg_database_owner's).
  if pg_catalog.pg_get_userbyid(
    (select datdba from pg_catalog.pg_database where datname = pg_catalog.current_database())
  ) <> 'postgres' and (select rolsuper from pg_catalog.pg_roles where rolname = current_user) then
    execute pg_catalog.format('alter database %I owner to postgres', pg_catalog.current_database());
  end if;
end
$shim$;

-- Schema `extensions`, holding pgcrypto and uuid-ossp as on Supabase.
do $shim$
declare
  pgcrypto_schema name := (
    select n.nspname from pg_catalog.pg_extension e
    join pg_catalog.pg_namespace n on n.oid = e.extnamespace
    where e.extname = 'pgcrypto'
  );
begin
  if to_regnamespace('extensions') is null then
    create schema extensions;
    comment on schema extensions is 'local platform shim: extensions';
    grant usage on schema extensions to anon, authenticated, service_role;
    -- Hosted's postgres created `extensions` (it owns it there) and may use all that is in it.
    grant usage, create on schema extensions to postgres;
    alter default privileges in schema extensions
      grant all on tables to postgres with grant option;
    alter default privileges in schema extensions
      grant all on routines to postgres with grant option;
    alter default privileges in schema extensions
      grant all on sequences to postgres with grant option;
  end if;
  if pgcrypto_schema is null then
    create extension pgcrypto with schema extensions;
  elsif pgcrypto_schema <> 'extensions' then
    raise exception 'pgcrypto is installed in schema %, not in extensions', pgcrypto_schema
      using hint = 'Supabase keeps it in extensions: '
        || 'alter extension pgcrypto set schema extensions';
  end if;
  if not exists (select from pg_catalog.pg_extension where extname = 'uuid-ossp')
    and exists (select from pg_catalog.pg_available_extensions where name = 'uuid-ossp') then
    create extension "uuid-ossp" with schema extensions;
  end if;
  if coalesce(obj_description(to_regnamespace('extensions'), 'pg_namespace'), '')
    like 'local platform shim%' then
    grant all on all tables in schema extensions to postgres with grant option;
    grant all on all routines in schema extensions to postgres with grant option;
    grant all on all sequences in schema extensions to postgres with grant option;
  end if;
end
$shim$;

-- Schema `auth`: the users table and the claim helpers, as Supabase Auth defines them.
do $shim$
declare
  helper record;
begin
  if to_regnamespace('auth') is null then
    create schema auth;
    comment on schema auth is 'local platform shim: Supabase Auth';
    grant usage on schema auth to anon, authenticated, service_role;
  end if;
  if coalesce(obj_description(to_regnamespace('auth'), 'pg_namespace'), '')
    not like 'local platform shim%' then
    return;
  end if;

  create table if not exists auth.users (
    instance_id uuid,
    id uuid not null primary key,
    aud varchar(255),
    role varchar(255),
    email varchar(255),
    encrypted_password varchar(255),
    email_confirmed_at timestamptz,
    invited_at timestamptz,
    confirmation_token varchar(255),
    confirmation_sent_at timestamptz,
    recovery_token varchar(255),
    recovery_sent_at timestamptz,
    email_change_token_new varchar(255),
    email_change varchar(255),
    email_change_sent_at timestamptz,
    last_sign_in_at timestamptz,
    raw_app_meta_data jsonb,
    raw_user_meta_data jsonb,
    is_super_admin boolean,
    created_at timestamptz,
    updated_at timestamptz,
    phone text unique default null,
    phone_confirmed_at timestamptz,
    phone_change text default '',
    phone_change_token varchar(255) default '',
    phone_change_sent_at timestamptz,
    confirmed_at timestamptz
      generated always as (least(email_confirmed_at, phone_confirmed_at)) stored,
    email_change_token_current varchar(255) default '',
    email_change_confirm_status smallint default 0
      check (email_change_confirm_status >= 0 and email_change_confirm_status <= 2),
    banned_until timestamptz,
    reauthentication_token varchar(255) default '',
    reauthentication_sent_at timestamptz,
    is_sso_user boolean not null default false,
    deleted_at timestamptz,
    is_anonymous boolean not null default false
  );
  comment on table auth.users is 'Auth: Stores user login data within a secure schema.';
  create unique index if not exists users_email_partial_key on auth.users (email)
    where is_sso_user = false;
  create index if not exists users_instance_id_idx on auth.users (instance_id);
  create index if not exists users_instance_id_email_idx on auth.users (instance_id, lower(email));

  create table if not exists auth.identities (
    provider_id text not null,
    user_id uuid not null references auth.users (id) on delete cascade,
    identity_data jsonb not null,
    provider text not null,
    last_sign_in_at timestamptz,
    created_at timestamptz,
    updated_at timestamptz,
    email text generated always as (lower(identity_data ->> 'email')) stored,
    id uuid not null default gen_random_uuid() primary key,
    constraint identities_provider_id_provider_unique unique (provider_id, provider)
  );
  create index if not exists identities_user_id_idx on auth.identities (user_id);

  -- The claim helpers, as Supabase Auth's migrations define them today: auth.uid(), auth.role()
  -- and auth.email() each read one claim, from its own setting or from the claims object.
  for helper in
    select * from (values ('uid', 'sub', 'uuid'), ('role', 'role', 'text'), ('email', 'email', 'text'))
      as h (name, claim, result_type)
  loop
    execute pg_catalog.format(
      $def$
        create or replace function auth.%1$I() returns %3$s
          language sql stable set search_path to ''
        as $fn$
          select coalesce(
            nullif(current_setting(%4$L, true), ''),
            (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> %2$L)
          )::%3$s
        $fn$
      $def$,
      helper.name, helper.claim, helper.result_type, 'request.jwt.claim.' || helper.claim);
    execute pg_catalog.format('comment on function auth.%I() is %L', helper.name,
      pg_catalog.format('Deprecated. Use auth.jwt() -> %L instead.', helper.claim));
  end loop;

  create or replace function auth.jwt() returns jsonb
    language sql stable set search_path to ''
  as $fn$
    select coalesce(
      nullif(current_setting('request.jwt.claim', true), ''),
      nullif(current_setting('request.jwt.claims', true), '')
    )::jsonb
  $fn$;

  -- Hosted: postgres may use auth and everything in it, but create nothing there.
  grant usage on schema auth to postgres;
  grant all on all tables in schema auth to postgres;
  grant all on all sequences in schema auth to postgres;
  grant all on all routines in schema auth to postgres;
end
$shim$;

-- Schema `vault` (supabase_vault). Locally the secret is encrypted with pgcrypto under a key kept
-- in the same database (vault._local_key): that protects nothing, but keeps `secret` ciphertext
-- and only `decrypted_secret` readable, as on the platform, so code reading the wrong column
-- fails here too. The real Vault keeps its key outside the database.
do $shim$
begin
  if to_regnamespace('vault') is null then
    if exists (select from pg_catalog.pg_available_extensions where name = 'supabase_vault') then
      create extension supabase_vault;
      return;
    end if;
    create schema vault;
    comment on schema vault is 'local platform shim: supabase_vault';
    revoke all on schema vault from public;
  end if;
  if coalesce(obj_description(to_regnamespace('vault'), 'pg_namespace'), '')
    not like 'local platform shim%' then
    return;
  end if;

  create table if not exists vault.secrets (
    id uuid primary key default gen_random_uuid(),
    name text,
    description text not null default '',
    secret text not null,
    key_id uuid,
    nonce bytea,
    created_at timestamptz not null default current_timestamp,
    updated_at timestamptz not null default current_timestamp
  );
  comment on table vault.secrets is
    'Table with encrypted `secret` column for storing sensitive information on disk.';
  create unique index if not exists secrets_name_idx on vault.secrets (name) where name is not null;

  create table if not exists vault._local_key (
    singleton boolean primary key default true check (singleton),
    key text not null
  );
  insert into vault._local_key (key)
  values (encode(extensions.gen_random_bytes(32), 'hex'))
  on conflict do nothing;

  create or replace view vault.decrypted_secrets as
  select
    s.id,
    s.name,
    s.description,
    s.secret,
    extensions.pgp_sym_decrypt(decode(s.secret, 'base64'), k.key) as decrypted_secret,
    s.key_id,
    s.nonce,
    s.created_at,
    s.updated_at
  from vault.secrets s
  cross join vault._local_key k;

  create or replace function vault._encrypt(plain text) returns text
    language sql volatile set search_path to ''
  as $fn$
    select encode(extensions.pgp_sym_encrypt(plain, k.key), 'base64') from vault._local_key k
  $fn$;

  create or replace function vault.create_secret(
    new_secret text,
    new_name text default null,
    new_description text default '',
    new_key_id uuid default null -- unused, as on the platform
  ) returns uuid
    -- Security definer: postgres may not insert into vault.secrets, only call this.
    language plpgsql security definer set search_path to ''
  as $fn$
  declare
    secret_id uuid;
  begin
    insert into vault.secrets (secret, name, description)
    values (vault._encrypt(new_secret), new_name, new_description)
    returning id into secret_id;
    return secret_id;
  end
  $fn$;

  create or replace function vault.update_secret(
    secret_id uuid,
    new_secret text default null,
    new_name text default null,
    new_description text default null,
    new_key_id uuid default null -- unused, as on the platform
  ) returns void
    language plpgsql security definer set search_path to ''
  as $fn$
  begin
    update vault.secrets s
    set
      secret = case when new_secret is null then s.secret else vault._encrypt(new_secret) end,
      name = coalesce(new_name, s.name),
      description = coalesce(new_description, s.description),
      updated_at = now()
    where s.id = secret_id;
  end
  $fn$;

  revoke all on all tables in schema vault from public;
  revoke all on all functions in schema vault from public;
  -- What supabase/postgres grants postgres on Vault: read and delete secrets, and create or
  -- change them only through the functions.
  grant usage on schema vault to postgres with grant option;
  grant select, delete on vault.secrets, vault.decrypted_secrets to postgres with grant option;
  grant execute on function
    vault.create_secret(text, text, text, uuid),
    vault.update_secret(uuid, text, text, text, uuid)
    to postgres with grant option;
end
$shim$;

-- Schema `net` mirroring pg_net: net.http_post/http_get/http_delete queue a row; the local
-- platform worker (local/database/pg_net_worker.ts) performs it after commit and records the response.
-- Rows queued by a transaction that rolls back vanish with it, as with pg_net. When pg_net is
-- available the migrations enable the real extension instead, so the shim stays out of its way.
do $shim$
begin
  if to_regnamespace('net') is null
    and not exists (select from pg_catalog.pg_available_extensions where name = 'pg_net') then
    create schema net;
    comment on schema net is 'local platform shim: pg_net';
  end if;
  if coalesce(obj_description(to_regnamespace('net'), 'pg_namespace'), '')
    not like 'local platform shim%' then
    return;
  end if;

  if to_regtype('net.http_method') is null then
    create domain net.http_method as text
      check (value ilike 'get' or value ilike 'post' or value ilike 'delete');
  end if;

  -- Unlogged like pg_net's: queued requests do not survive a crash there either.
  create unlogged table if not exists net.http_request_queue (
    id bigserial,
    method net.http_method not null,
    url text not null,
    headers jsonb not null,
    body bytea,
    timeout_milliseconds int not null
  );

  create unlogged table if not exists net._http_response (
    id bigint,
    status_code integer,
    content_type text,
    headers jsonb,
    content text,
    timed_out bool,
    error_msg text,
    created timestamptz not null default now()
  );
  create index if not exists _http_response_created_idx on net._http_response (created);

  -- NOTIFY is delivered at commit, and never for a rolled-back transaction: the worker wakes
  -- exactly when there is committed work.
  create or replace function net._wake_local_worker() returns trigger
    language plpgsql set search_path to ''
  as $fn$
  begin
    perform pg_catalog.pg_notify('local_pg_net', '');
    return null;
  end
  $fn$;
  create or replace trigger wake_local_worker
    after insert on net.http_request_queue
    for each statement execute function net._wake_local_worker();

  create or replace function net._urlencode_string(string varchar) returns text
    language sql immutable strict set search_path to ''
  as $fn$
    select coalesce(string_agg(
      case
        when b between 48 and 57 or b between 65 and 90 or b between 97 and 122
          or b in (45, 46, 95, 126) then chr(b)
        else '%' || upper(lpad(to_hex(b), 2, '0'))
      end, '' order by i), '')
    from (
      select i, get_byte(convert_to(string, 'UTF8'), i) as b
      from generate_series(0, octet_length(convert_to(string, 'UTF8')) - 1) as i
    ) as bytes
  $fn$;

  create or replace function net._encode_url_with_params_array(url text, params_array text[])
    returns text
    language sql immutable strict set search_path to ''
  as $fn$
    select case
      when cardinality(params_array) = 0 then url
      else url || case when strpos(url, '?') > 0 then '&' else '?' end
        || array_to_string(params_array, '&')
    end
  $fn$;

  create or replace function net._encode_params(params jsonb) returns text[]
    language sql immutable set search_path to ''
  as $fn$
    select coalesce(
      array_agg(net._urlencode_string(key) || '=' || net._urlencode_string(value)),
      '{}'
    )
    from jsonb_each_text(coalesce(params, '{}'::jsonb))
  $fn$;

  -- What each request function does once its arguments are checked: queue the request, with the
  -- params in its URL, for the worker; the id is what pg_net returns.
  create or replace function net._enqueue(
    method text,
    url text,
    params jsonb,
    headers jsonb,
    body bytea,
    timeout_milliseconds int
  ) returns bigint
    language sql volatile set search_path to ''
  as $fn$
    insert into net.http_request_queue (method, url, headers, body, timeout_milliseconds)
    values (method, net._encode_url_with_params_array(url, net._encode_params(params)), headers,
      body, timeout_milliseconds)
    returning id
  $fn$;

  create or replace function net.http_get(
    url text,
    params jsonb default '{}'::jsonb,
    headers jsonb default '{}'::jsonb,
    timeout_milliseconds int default 5000
  ) returns bigint
    language sql volatile strict security definer set search_path to ''
  as $fn$
    select net._enqueue('GET', url, params, headers, null, timeout_milliseconds)
  $fn$;

  create or replace function net.http_post(
    url text,
    body jsonb default '{}'::jsonb,
    params jsonb default '{}'::jsonb,
    headers jsonb default '{"Content-Type": "application/json"}'::jsonb,
    timeout_milliseconds int default 5000
  ) returns bigint
    language plpgsql volatile security definer set search_path to ''
  as $fn$
  declare
    content_type text := (
      select header_value from jsonb_each_text(coalesce(headers, '{}'::jsonb)) as h (header_name,
        header_value)
      where lower(header_name) = 'content-type'
      limit 1
    );
  begin
    if content_type is null then
      headers := coalesce(headers, '{}'::jsonb) || '{"Content-Type": "application/json"}'::jsonb;
    elsif content_type <> 'application/json' then
      raise exception 'Content-Type header must be "application/json"';
    end if;
    return net._enqueue('POST', url, params, headers, convert_to(body::text, 'UTF8'),
      timeout_milliseconds);
  end
  $fn$;

  create or replace function net.http_delete(
    url text,
    params jsonb default '{}'::jsonb,
    headers jsonb default '{}'::jsonb,
    timeout_milliseconds int default 5000,
    body jsonb default null
  ) returns bigint
    language sql volatile security definer set search_path to ''
  as $fn$
    select net._enqueue('DELETE', url, params, headers, convert_to(body::text, 'UTF8'),
      timeout_milliseconds)
  $fn$;

  -- As Supabase grants pg_net to the API roles; the tables stay private.
  revoke all on all tables in schema net from public;
  revoke all on all functions in schema net from public;
  grant usage on schema net to anon, authenticated, service_role, postgres;
  grant execute on function
    net.http_get(text, jsonb, jsonb, int),
    net.http_post(text, jsonb, jsonb, jsonb, int),
    net.http_delete(text, jsonb, jsonb, int, jsonb)
    to anon, authenticated, service_role, postgres;
  -- pg_net's own script gives postgres its tables (the queue and the responses).
  grant all on all tables in schema net to postgres;
end
$shim$;

-- Schema `cron` mirroring pg_cron: cron.schedule/unschedule/alter_job keep cron.job; the local
-- platform worker (local/database/pg_cron_runner.ts) runs due jobs and records cron.job_run_details.
-- Schedules: five fields (minute hour day-of-month month day-of-week, each `*`, numbers, ranges,
-- lists and `/steps`), the @hourly style macros, or '1 seconds' to '59 seconds'. Times are UTC,
-- pg_cron's default.
do $shim$
begin
  if to_regnamespace('cron') is null
    and not exists (select from pg_catalog.pg_available_extensions where name = 'pg_cron') then
    create schema cron;
    comment on schema cron is 'local platform shim: pg_cron';
  end if;
  if coalesce(obj_description(to_regnamespace('cron'), 'pg_namespace'), '')
    not like 'local platform shim%' then
    return;
  end if;

  create sequence if not exists cron.jobid_seq;
  create sequence if not exists cron.runid_seq;

  create table if not exists cron.job (
    jobid bigint primary key default nextval('cron.jobid_seq'),
    schedule text not null,
    command text not null,
    nodename text not null default 'localhost',
    nodeport int not null default inet_server_port(),
    database text not null default current_database(),
    username text not null default current_user,
    active boolean not null default true,
    jobname text,
    constraint jobname_username_uniq unique (jobname, username)
  );

  create table if not exists cron.job_run_details (
    jobid bigint,
    runid bigint primary key default nextval('cron.runid_seq'),
    job_pid integer,
    database text,
    username text,
    command text,
    status text,
    return_message text,
    start_time timestamptz,
    end_time timestamptz
  );

  create or replace function cron._validate_schedule(schedule text) returns void
    language plpgsql immutable set search_path to ''
  as $fn$
  declare
    fields text[] := regexp_split_to_array(btrim(schedule), '\s+');
    lowest int[] := array[0, 0, 1, 1, 0];
    highest int[] := array[59, 23, 31, 12, 7];
    part text;
    m text[];
  begin
    if btrim(schedule) ~ '^[1-5]?[0-9] seconds?$' and split_part(btrim(schedule), ' ', 1)::int
      between 1 and 59 then
      return;
    end if;
    if lower(btrim(schedule)) in (
      '@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'
    ) then
      return;
    end if;
    if cardinality(fields) <> 5 then
      raise exception 'invalid schedule: %', schedule;
    end if;
    for i in 1..5 loop
      foreach part in array string_to_array(fields[i], ',') loop
        m := regexp_match(part, '^(\*|([0-9]{1,2})(-([0-9]{1,2}))?)(/([0-9]{1,2}))?$');
        if m is null
          or m[2]::int not between lowest[i] and highest[i]
          or m[4]::int not between m[2]::int and highest[i]
          or m[6]::int = 0
          -- A step needs a range to walk: `*/5` and `1-30/5` are fine, `5/10` is not.
          or (m[6] is not null and m[1] <> '*' and m[4] is null) then
          raise exception 'invalid schedule: %', schedule;
        end if;
      end loop;
    end loop;
  end
  $fn$;

  -- pg_cron's functions act as, and record, the user calling them, and write cron.job whatever
  -- that user's privileges (hosted's postgres may only read it). Here they are security definer,
  -- so the caller is the role it SET ROLE to, else the session's user; a job can be changed or
  -- removed only by its own user or a superuser, as pg_cron checks.
  create or replace function cron._caller() returns text
    language sql stable set search_path to ''
  as $fn$
    select case
      when pg_catalog.current_setting('role') = 'none' then session_user::text
      else pg_catalog.current_setting('role')
    end
  $fn$;

  create or replace function cron._assert_may_change(job_id bigint) returns void
    language plpgsql stable set search_path to ''
  as $fn$
  declare
    job_user text := (select j.username from cron.job j where j.jobid = job_id);
  begin
    if job_user is null or (job_user <> cron._caller() and not coalesce(
      (select r.rolsuper from pg_catalog.pg_roles r where r.rolname = cron._caller()), false
    )) then
      raise exception 'could not find valid entry for job %', job_id;
    end if;
  end
  $fn$;

  -- pg_cron's named form updates the job of that name (per user) instead of adding another.
  create or replace function cron.schedule(job_name text, schedule text, command text)
    returns bigint
    language plpgsql security definer set search_path to ''
  as $fn$
  declare
    job_id bigint;
  begin
    perform cron._validate_schedule(schedule);
    insert into cron.job (jobname, schedule, command, username)
    values (job_name, schedule, command, cron._caller())
    on conflict on constraint jobname_username_uniq do update
      set schedule = excluded.schedule, command = excluded.command,
        database = excluded.database, active = true
    returning jobid into job_id;
    return job_id;
  end
  $fn$;

  create or replace function cron.schedule(schedule text, command text) returns bigint
    language plpgsql security definer set search_path to ''
  as $fn$
  declare
    job_id bigint;
  begin
    perform cron._validate_schedule(schedule);
    insert into cron.job (schedule, command, username) values (schedule, command, cron._caller())
    returning jobid into job_id;
    return job_id;
  end
  $fn$;

  create or replace function cron.unschedule(job_name text) returns boolean
    language plpgsql security definer set search_path to ''
  as $fn$
  begin
    delete from cron.job where jobname = job_name and username = cron._caller();
    if not found then
      raise exception 'could not find valid entry for job ''%''', job_name;
    end if;
    return true;
  end
  $fn$;

  create or replace function cron.unschedule(job_id bigint) returns boolean
    language plpgsql security definer set search_path to ''
  as $fn$
  begin
    perform cron._assert_may_change(job_id);
    delete from cron.job where jobid = job_id;
    return true;
  end
  $fn$;

  create or replace function cron.alter_job(
    job_id bigint,
    schedule text default null,
    command text default null,
    database text default null,
    username text default null,
    active boolean default null
  ) returns void
    language plpgsql security definer set search_path to ''
  as $fn$
  begin
    perform cron._assert_may_change(job_id);
    if schedule is not null then
      perform cron._validate_schedule(schedule);
    end if;
    -- pg_cron lets only a superuser give a job to another user.
    if username is not null and username <> cron._caller() and not coalesce(
      (select r.rolsuper from pg_catalog.pg_roles r where r.rolname = cron._caller()), false
    ) then
      raise exception 'must be superuser to alter username';
    end if;
    update cron.job j
    set
      schedule = coalesce(alter_job.schedule, j.schedule),
      command = coalesce(alter_job.command, j.command),
      database = coalesce(alter_job.database, j.database),
      username = coalesce(alter_job.username, j.username),
      active = coalesce(alter_job.active, j.active)
    where j.jobid = job_id;
  end
  $fn$;

  revoke all on all tables in schema cron from public;
  revoke all on all sequences in schema cron from public;
  revoke all on all functions in schema cron from public;
  -- As supabase/postgres grants them: the schema, every function and table, but cron.job only
  -- to read, and no triggers on cron.job_run_details.
  grant usage on schema cron to postgres with grant option;
  grant all on all functions in schema cron to postgres with grant option;
  grant all on all tables in schema cron to postgres with grant option;
  revoke all on table cron.job from postgres;
  grant select on table cron.job to postgres with grant option;
  revoke trigger on table cron.job_run_details from postgres;
end
$shim$;
