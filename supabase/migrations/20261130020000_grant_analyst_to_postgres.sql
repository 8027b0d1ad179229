-- Lets the project owner act as an analyst: `set role analyst` in the SQL editor (docs/mi.md) and
-- `deno task export-mi` both need it. On hosted Supabase `postgres` is not a superuser, and on
-- Postgres 16 and later a role it creates (analyst, in 20261129000100) is granted back to it WITH
-- ADMIN only, without SET, so `set role analyst` fails with "permission denied to set role".
-- Postgres 15 has no SET option: there plain membership is what `set role` needs.
-- INHERIT false: postgres acts as analyst only when it says so.
do $$
begin
  if current_setting('server_version_num')::int >= 160000 then
    execute 'grant analyst to postgres with inherit false, set true';
  else
    grant analyst to postgres;
  end if;
end
$$;
