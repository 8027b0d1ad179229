/**
 * The steps of reporting schools, as plain data: each is an entry in the browser's history
 * (`history.state`), so Back, Forward and reload show the step the person was on, with their list,
 * instead of leaving the journey and throwing the list away.
 */
import type { ListedTrust, ProviderCohort, ReportResult } from './provider_api.ts'

export type School = { urn: string; school_name: string }

/** The cohort and delivery partner chosen, rebuilt from `/me` whenever a step is shown. */
export type Choice = { cohort: ProviderCohort; partner: { id: string; name: string } }

type Chosen = { cohort: number; partnerId: string }

/**
 * A step's error, set only by a preview's fixture (`web/fixtures/provider/`): a live
 * page shows an error without saving it in the history, so reload starts the question afresh.
 */
type PreviewError<T> = { error?: T }

/** Where the upload step's error shows: the file input or the pasted URNs. */
export type UploadError = { field: 'csv-file' | 'urns'; text: string }

/** Why confirming failed: refused, so nothing saved, or no answer, so not known. */
export type ConfirmFailure = 'not_saved' | 'unknown'

export type Step =
  | { step: 'cohort' } & PreviewError<string>
  | { step: 'partner'; cohort: number } & PreviewError<string>
  | Chosen & { step: 'upload' } & PreviewError<UploadError>
  | Chosen & { step: 'check'; result: ReportResult; page: number; csv: string }
  | Chosen & {
    step: 'confirm'
    schools: School[]
    page: number
    removed?: string
    /** The trusts among the checked schools, so the notices follow the list as schools go. */
    trusts: ListedTrust[]
  } & PreviewError<ConfirmFailure>
  | Chosen & { step: 'done'; result: ReportResult }

/** How a page moves the journey on: a new history entry, or in place of the current one. */
export type Flow = {
  go(step: Step): void
  replace(step: Step): void
}

const stepNames = new Set(['cohort', 'partner', 'upload', 'check', 'confirm', 'done'])

/** Whether `state` (from `history.state`) is a step this script saved. */
export function isStep(state: unknown): state is Step {
  return typeof state === 'object' && state !== null &&
    stepNames.has((state as { step?: unknown }).step as string)
}

/** Rows and schools shown on one page of the check and confirm steps. */
export const perPage = 50

export function pageCount(items: number): number {
  return Math.max(1, Math.ceil(items / perPage))
}

export function onPage<T>(items: T[], page: number): T[] {
  return items.slice((page - 1) * perPage, page * perPage)
}
