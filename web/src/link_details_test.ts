import assert from 'node:assert/strict'
import { detailsView, formatDate } from './link_details.ts'

Deno.test('formatDate() writes dates the GOV.UK way, whatever the clock change', () => {
  assert.equal(formatDate('2026-10-31'), '31 October 2026')
  assert.equal(formatDate('2027-03-28'), '28 March 2027')
  assert.equal(formatDate('2027-01-01'), '1 January 2027')
})

Deno.test('detailsView() gives the words for the page and leaves the reasons to the form', () => {
  const view = detailsView({
    school_name: 'Greenfield Primary School',
    urn: '100001',
    lead_provider_name: 'Ambition Institute',
    delivery_partner_name: 'North West Teaching School Hub',
    cohort: '2026 to 2027',
    deadline: '2026-12-13',
    reasons: [{ code: 'mistake', label: 'This looks like a mistake' }],
  })
  assert.deepEqual(view, {
    school_name: 'Greenfield Primary School',
    urn: '100001',
    lead_provider_name: 'Ambition Institute',
    delivery_partner_name: 'North West Teaching School Hub',
    cohort: '2026 to 2027',
    deadline: '13 December 2026',
  })
})
