-- The delivery-partner read policy asks, for each delivery partner a provider user's query meets,
-- `exists (select from partnerships where delivery_partner_id = … and lead_provider_id = …)`.
-- With only (lead_provider_id, cohort_id) and (delivery_partner_id) to go on, Postgres answered
-- it by scanning the partnerships table, once per delivery partner: a provider's school list cost
-- what every provider's schools cost. This index answers it with one probe, so the list costs
-- what the provider's own schools cost.
create index partnerships_lead_provider_delivery_partner_idx
  on public.partnerships (lead_provider_id, delivery_partner_id);
