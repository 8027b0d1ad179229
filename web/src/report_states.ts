/**
 * The states of the report page: each has a partial in `templates/report/`, a page title (its
 * words in `report_words.ts`) and a page fixture in `fixtures/report/`. The build renders every
 * state into a `<template>` on the report page; the page script shows one at a time.
 */
import { reportWords } from './report_words.ts'

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
  open: { partial: 'open', title: reportWords.open.title },
  open_error: { partial: 'open', title: reportWords.open_error.title, error: true },
  submitted: { partial: 'submitted', title: reportWords.submitted.title },
  already_reported: { partial: 'already_reported', title: reportWords.already_reported.title },
  expired: { partial: 'expired', title: reportWords.expired.title },
  superseded: { partial: 'superseded', title: reportWords.superseded.title },
  not_found: { partial: 'not_found', title: reportWords.not_found.title },
  problem: { partial: 'problem', title: reportWords.problem.title },
}
