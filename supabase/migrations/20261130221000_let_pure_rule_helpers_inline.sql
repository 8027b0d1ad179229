-- The pure rule helpers become inlinable (issue 16). Postgres inlines a `language sql` function
-- into the query that calls it (its body planned once with that query, no call per row) only if
-- the function has no `set` clause, is not `security definer` and does not claim more than its
-- body is (an `immutable` one may call only immutable functions). Each of these had
-- `set search_path = ''`, so every row of a claim called each one (and planned its body afresh
-- per statement), and the link check restated their rules inline rather than pay for calls.
--
-- They touch no table: each computes from its arguments. Without a `search_path` of their own,
-- every name in them is schema-qualified (`pg_catalog.` for types, functions and operators;
-- `at time zone` is always `pg_catalog.timezone`), so a caller's search path cannot change what
-- they mean. They stay `security invoker`; `create or replace` keeps their grants (none to
-- PUBLIC: `service_role` may call the deadline ones and the cohort label, and only their owner
-- the token and the long date, as before). `app.partnership_deadline_date` reads a table and
-- keeps its `security definer` and `search_path`.
--
-- `app.london_long_date` was declared `immutable`, but `to_char` is only `stable` (so it was
-- never inlinable): it is now `stable`, and formats a `timestamp` (no time zone involved) rather
-- than a `timestamptz` at the session's midnight. The same text for every date.

create or replace function app.challenge_deadline_date(anchor_at timestamptz, earliest_deadline date)
  returns date
  language sql immutable
as $$
  select greatest(
    (anchor_at at time zone 'Europe/London')::pg_catalog.date operator(pg_catalog.+) 14,
    earliest_deadline
  )
$$;

create or replace function app.challenge_window_closes_at(deadline date) returns timestamptz
  language sql immutable
as $$
  select (deadline operator(pg_catalog.+) 1)::pg_catalog.timestamp at time zone 'Europe/London'
$$;

create or replace function app.cohort_label(start_year integer) returns text
  language sql immutable
as $$
  select start_year::pg_catalog.text operator(pg_catalog.||) ' to '
    operator(pg_catalog.||) (start_year operator(pg_catalog.+) 1)::pg_catalog.text
$$;

create or replace function app.london_long_date(day date) returns text
  language sql stable
as $$
  select pg_catalog.to_char(day::pg_catalog.timestamp, 'FMDay FMDD FMMonth YYYY')
$$;

-- 256 random bits, URL-safe base64 without padding. Volatile: a new token at every row.
create or replace function app.new_link_token() returns text
  language sql volatile
as $$
  select pg_catalog.rtrim(
    pg_catalog.translate(
      pg_catalog.encode(extensions.gen_random_bytes(32), 'base64'), '+/', '-_'
    ),
    '='
  )
$$;
