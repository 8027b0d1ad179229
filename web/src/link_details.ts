/**
 * What the challenge function says about a link (the body of `POST /challenge/status`), and how
 * the pages show it. Shared by the build (page fixtures) and the page script, so a fixture and the
 * live page put the same words in the same places.
 */

export type Reason = { code: string; label: string }

export type LinkDetails = {
  school_name: string
  urn: string
  lead_provider_name: string
  delivery_partner_name: string
  /** The cohort as people name it: `2026 to 2027`. */
  cohort: string
  /** The last day a report is accepted, `YYYY-MM-DD`, in Europe/London. */
  deadline: string
  reasons: Reason[]
}

/** The words that fill the report states' slots. */
export type DetailsView = {
  school_name: string
  urn: string
  lead_provider_name: string
  delivery_partner_name: string
  cohort: string
  deadline: string
}

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
})

/** `2026-10-31` -> `31 October 2026` (GOV.UK style); the date is already London's. */
export function formatDate(isoDate: string): string {
  return dateFormat.format(new Date(`${isoDate}T00:00:00Z`))
}

export function detailsView(details: LinkDetails): DetailsView {
  return {
    school_name: details.school_name,
    urn: details.urn,
    lead_provider_name: details.lead_provider_name,
    delivery_partner_name: details.delivery_partner_name,
    cohort: details.cohort,
    deadline: formatDate(details.deadline),
  }
}
