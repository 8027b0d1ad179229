/**
 * The double's memory of accepted emails, oldest dropped first beyond a cap so that a long
 * `deno task dev` session or a 25,000-email backlog cannot grow it without bound.
 */

/** Notify's email statuses (docs.notifications.service.gov.uk "Email status descriptions"). */
export type EmailStatus =
  | 'created'
  | 'sending'
  | 'delivered'
  | 'permanent-failure'
  | 'temporary-failure'
  | 'technical-failure'

export type StoredEmail = {
  id: string
  serviceId: string
  to: string
  templateId: string
  templateVersion: number
  personalisation: Record<string, unknown>
  reference: string | null
  oneClickUnsubscribeUrl: string | null
  subject: string
  /** The template's markup with placeholders filled in: what Notify returns as `body`. */
  markup: string
  /** Notify's plain-text email part, as a person would read it. */
  text: string
  status: EmailStatus
  createdAt: Date
  sentAt: Date | null
  completedAt: Date | null
}

export type EmailFilter = { to?: string; reference?: string; templateId?: string }

export type EmailStore = {
  add(email: StoredEmail): void
  get(id: string): StoredEmail | undefined
  /** Newest first. */
  list(filter?: EmailFilter): StoredEmail[]
  readonly size: number
}

export const DEFAULT_CAPACITY = 50_000

export function createEmailStore(capacity = DEFAULT_CAPACITY): EmailStore {
  // A Map keeps insertion order, so its first key is always the oldest email.
  const emails = new Map<string, StoredEmail>()
  return {
    add(email) {
      emails.set(email.id, email)
      if (emails.size > capacity) emails.delete(emails.keys().next().value!)
    },
    get(id) {
      return emails.get(id.toLowerCase())
    },
    list({ to, reference, templateId } = {}) {
      const address = to?.toLowerCase()
      const matches: StoredEmail[] = []
      for (const email of emails.values()) {
        if (address !== undefined && email.to.toLowerCase() !== address) continue
        if (reference !== undefined && email.reference !== reference) continue
        if (templateId !== undefined && email.templateId !== templateId.toLowerCase()) continue
        matches.push(email)
      }
      return matches.reverse()
    },
    get size() {
      return emails.size
    },
  }
}
