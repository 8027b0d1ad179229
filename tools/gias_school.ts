/**
 * How one row of a GIAS establishments extract becomes a row of `public.schools`, using GIAS's own
 * column names and values (get-information-schools.service.gov.uk, "Establishment fields" CSV).
 */
import type { CsvRow } from './csv_table.ts'

/** The GIAS columns the loader cannot work without: a file lacking any is not a GIAS extract. */
export const giasColumns = {
  urn: 'URN',
  name: 'EstablishmentName',
  status: 'EstablishmentStatus (name)',
  type: 'TypeOfEstablishment (name)',
  typeGroup: 'EstablishmentTypeGroup (name)',
  localAuthority: 'LA (name)',
  trustFlag: 'TrustSchoolFlag (name)',
  trustCode: 'Trusts (code)',
  trustName: 'Trusts (name)',
  region: 'GOR (name)',
} as const

export type School = {
  urn: string
  name: string
  status: 'open' | 'closed' | 'proposed_to_close' | 'proposed_to_open'
  establishment_type: string
  is_independent: boolean
  in_england: boolean
  local_authority: string | null
  trust_uid: string | null
  trust_name: string | null
  trust_type: 'multi_academy_trust' | 'single_academy_trust' | null
}

export type SchoolOrRejection = { school: School } | { reason: string }

const statuses: Record<string, School['status']> = {
  'Open': 'open',
  'Closed': 'closed',
  'Open, but proposed to close': 'proposed_to_close',
  'Proposed to open': 'proposed_to_open',
}

// Only academy trusts count as trusts here; a foundation trust ("Supported by a trust") is a
// different thing and would wrongly put maintained schools into the MAT figures.
const trustTypes: Record<string, School['trust_type']> = {
  'Supported by a multi-academy trust': 'multi_academy_trust',
  'Supported by a single-academy trust': 'single_academy_trust',
}

// GIAS puts Welsh establishments in the pseudo-region "Wales (pseudo)" and schools overseas in
// "Not Applicable"; the establishment types say the same, and either is enough.
const outsideEnglandRegions = new Set(['Wales (pseudo)', 'Not Applicable'])
const outsideEnglandTypes = new Set(['Welsh establishment', 'British schools overseas'])

/** Maps one GIAS row, or says in plain words why it cannot be loaded. */
export function schoolFromGiasRow(row: CsvRow): SchoolOrRejection {
  const urn = row.get(giasColumns.urn).replace(/^0+/, '')
  if (!/^[1-9][0-9]{0,7}$/.test(urn)) return { reason: 'URN is missing or not a number' }
  const name = row.get(giasColumns.name)
  if (name === '') return { reason: 'EstablishmentName is blank' }
  const statusName = row.get(giasColumns.status)
  const status = statuses[statusName]
  if (!status) return { reason: `EstablishmentStatus (name) "${statusName}" is not a GIAS status` }
  const establishmentType = row.get(giasColumns.type)
  if (establishmentType === '') return { reason: 'TypeOfEstablishment (name) is blank' }

  const trustType = trustTypes[row.get(giasColumns.trustFlag)] ?? null
  const trustUid = trustType ? row.get(giasColumns.trustCode) : ''
  if (trustType && trustUid === '') {
    return { reason: 'Trusts (code) is blank for a school supported by an academy trust' }
  }
  return {
    school: {
      urn,
      name,
      status,
      establishment_type: establishmentType,
      is_independent: row.get(giasColumns.typeGroup) === 'Independent schools',
      in_england: !outsideEnglandRegions.has(row.get(giasColumns.region)) &&
        !outsideEnglandTypes.has(establishmentType),
      local_authority: row.get(giasColumns.localAuthority) || null,
      trust_uid: trustType ? trustUid : null,
      trust_name: trustType ? row.get(giasColumns.trustName) || null : null,
      trust_type: trustType,
    },
  }
}
