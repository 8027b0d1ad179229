/**
 * The report page's words that come from code rather than its templates: each state's page
 * title, which the build writes onto the state's `<template>` and the page script sets when it
 * shows that state. The states' fixed text lives in their templates (`templates/report/`), which
 * are content themselves; what the slots in them say comes from the link (`link_details.ts`).
 * Each state has its own object, keyed as in `report_states.ts`.
 */
import { serviceProblem } from '../../supabase/functions/_shared/wording.ts'

const reportTitle = 'Report that your school has been signed up incorrectly'

export const reportWords = {
  open: { title: reportTitle },
  open_error: { title: `Error: ${reportTitle}` },
  submitted: { title: 'Your report has been submitted' },
  already_reported: { title: 'Someone at your school has already reported this issue' },
  expired: { title: 'This link has expired' },
  superseded: { title: 'This link is no longer valid' },
  not_found: { title: 'Page not found' },
  problem: { title: serviceProblem },
} as const
