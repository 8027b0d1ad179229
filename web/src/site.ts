/** Facts about the service that every page shows. */

export const serviceName = 'Report a mistake with early career teacher training'

/** DfE's support inbox for early career teacher training, used when no SUPPORT_EMAIL is given. */
export const defaultSupportEmail = 'continuing-professional-development@digital.education.gov.uk'
