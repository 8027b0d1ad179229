/**
 * The states of the report page: each has a partial in `templates/report/`, a page title and a
 * page fixture in `fixtures/report/`. The build renders every state into a `<template>` on the
 * report page; the page script shows one at a time.
 */
import { serviceProblem } from './site_words.ts'

export const reportStateIds = [
  'open',
  'open_error',
  'submitted',
  'already_reported',
  'expired',
  'superseded',
  'not_found',
  'problem',
] as const

export type ReportStateId = (typeof reportStateIds)[number]

type ReportState = { partial: string; title: string; error?: boolean }

export const reportStates: Record<ReportStateId, ReportState> = {
  open: { partial: 'open', title: 'Report that your school has been signed up incorrectly' },
  open_error: {
    partial: 'open',
    title: 'Error: Report that your school has been signed up incorrectly',
    error: true,
  },
  submitted: { partial: 'submitted', title: 'Your report has been submitted' },
  already_reported: {
    partial: 'already_reported',
    title: 'Someone at your school has already reported this issue',
  },
  expired: { partial: 'expired', title: 'This link has expired' },
  superseded: { partial: 'superseded', title: 'This link is no longer valid' },
  not_found: { partial: 'not_found', title: 'Page not found' },
  problem: { partial: 'problem', title: serviceProblem },
}
