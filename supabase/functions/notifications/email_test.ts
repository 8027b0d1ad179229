import assert from 'node:assert/strict'
import { composeEmail } from './email.ts'

const settings = {
  templateIds: {
    school_first: 'school-first-template',
    tutor_first: 'tutor-first-template',
    school_reminder: 'school-reminder-template',
    tutor_reminder: 'tutor-reminder-template',
    provider_challenged: 'provider-template',
    new_link: 'new-link-template',
  },
  webOrigin: 'https://report.example.test',
  supportEmail: 'help@example.test',
}

Deno.test('composeEmail() puts the token in the report link fragment, never in its own field', () => {
  const email = composeEmail({
    notificationId: 'a6f0a1de-8d4e-4a4c-9a70-4f4f7b1c2d3e',
    kind: 'tutor_first',
    recipientEmail: 'tutor@school.example.test',
    personalisation: { school_name: 'Oakfield Primary', token: 'abc_DEF-123' },
    attempts: 1,
    outcomeUnknown: false,
  }, settings)
  assert.deepEqual(email, {
    templateId: 'tutor-first-template',
    emailAddress: 'tutor@school.example.test',
    personalisation: {
      school_name: 'Oakfield Primary',
      report_link: 'https://report.example.test/report-a-mistake#abc_DEF-123',
      support_email: 'help@example.test',
    },
    reference: 'a6f0a1de-8d4e-4a4c-9a70-4f4f7b1c2d3e',
  })
})

Deno.test('composeEmail() gives a provider email no report link, and a link to the school in their list', () => {
  const email = composeEmail({
    notificationId: 'b6f0a1de-8d4e-4a4c-9a70-4f4f7b1c2d3e',
    kind: 'provider_challenged',
    recipientEmail: 'lead@provider.example.test',
    personalisation: {
      school_name: 'Oakfield Primary',
      urn: '123456',
      cohort: '2026 to 2027',
      reason_label: 'This looks like a mistake',
    },
    attempts: 1,
    outcomeUnknown: false,
  }, settings)
  assert.equal(email.templateId, 'provider-template')
  assert.equal(email.personalisation.report_link, undefined)
  assert.equal(
    email.personalisation.schools_link,
    'https://report.example.test/provider/schools?cohort=2026&q=123456',
  )
})

Deno.test('composeEmail() gives school emails no link to the provider portal', () => {
  const email = composeEmail({
    notificationId: 'c6f0a1de-8d4e-4a4c-9a70-4f4f7b1c2d3e',
    kind: 'school_first',
    recipientEmail: 'office@school.example.test',
    personalisation: { school_name: 'Oakfield Primary', cohort: '2026 to 2027', token: 'abc' },
    attempts: 1,
    outcomeUnknown: false,
  }, settings)
  assert.equal(email.personalisation.schools_link, undefined)
})
