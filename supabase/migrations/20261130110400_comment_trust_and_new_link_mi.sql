-- What each of the trust and new-link MI views holds, for analysts reading them in the SQL editor.
comment on view mi.challenges_by_trust is
  'Per cohort, lead provider and multi-academy trust: schools in the trust (open, GIAS now), how '
  'many it reported, whether every school or only some, reports, challenged, rate.';
comment on view mi.challenge_rates_by_trust_coverage is
  'Challenge rates for providers that reported every school of a trust against only some.';
comment on view mi.new_links_by_lead_provider is
  'Schools that asked for a new link to report a mistake, per cohort and lead provider.';
comment on view mi.new_link_requests_by_day is
  'Every "Get a new link" request by London day: matched a report, or refused by a limit.';
