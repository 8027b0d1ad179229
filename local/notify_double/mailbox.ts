/**
 * The mailbox: every email the double accepted, newest first, as JSON for tests
 * (`GET /messages?to=&reference=&template_id=`) and as a page for people (`GET /`).
 */
import { escapeHtml, renderHtml } from './markup.ts'
import type { StoredEmail } from './store.ts'
import { notifyTimestamp, notifyTimestampOrNull } from './timestamps.ts'

export type MailboxMessage = {
  id: string
  to: string
  subject: string
  /** The email as its plain-text part reads. */
  body: string
  template_id: string
  template_version: number
  personalisation: Record<string, unknown>
  reference: string | null
  status: string
  created_at: string
  sent_at: string | null
  completed_at: string | null
}

export function mailboxMessage(email: StoredEmail): MailboxMessage {
  return {
    id: email.id,
    to: email.to,
    subject: email.subject,
    body: email.text,
    template_id: email.templateId,
    template_version: email.templateVersion,
    personalisation: email.personalisation,
    reference: email.reference,
    status: email.status,
    created_at: notifyTimestamp(email.createdAt),
    sent_at: notifyTimestampOrNull(email.sentAt),
    completed_at: notifyTimestampOrNull(email.completedAt),
  }
}

/** The page shows this many emails; the JSON has them all. */
export const PAGE_LIMIT = 200

const styles = `
body { font-family: Arial, sans-serif; margin: 0 auto; max-width: 50rem; padding: 1rem; color: #0b0c0c; line-height: 1.4; }
article { border: 1px solid #b1b4b6; margin: 0 0 1.5rem; padding: 0 1rem 1rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
dt { font-weight: bold; }
dd { margin: 0; overflow-wrap: anywhere; }
.email-body { border-top: 1px solid #b1b4b6; }
.inset { border-left: 10px solid #b1b4b6; margin: 0 0 1rem; padding: 0.5rem 1rem; }
a { color: #1d70b8; overflow-wrap: anywhere; }
a:focus { outline: 3px solid #fd0; background: #fd0; color: #0b0c0c; }
`

export function renderMailboxPage(emails: StoredEmail[], filterTo?: string): string {
  const shown = emails.slice(0, PAGE_LIMIT)
  const summary = emails.length === 0
    ? 'No emails yet.'
    : `${emails.length} email${emails.length === 1 ? '' : 's'}, newest first` +
      (emails.length > shown.length ? `; showing the newest ${shown.length}.` : '.')
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mailbox – GOV.UK Notify double</title>
<style>${styles}</style>
</head>
<body>
<main>
<h1>Mailbox</h1>
<p>Emails sent through the local GOV.UK Notify double. Nothing here leaves this computer.</p>
<form method="get" action="/">
<label for="to">Show emails to</label>
<input id="to" name="to" type="email" autocomplete="off" value="${escapeHtml(filterTo ?? '')}">
<button type="submit">Filter</button>
</form>
<p role="status">${escapeHtml(summary)}</p>
${shown.map(emailArticle).join('\n')}
</main>
</body>
</html>
`
}

function emailArticle(email: StoredEmail): string {
  const headingId = `email-${email.id}`
  return `<article aria-labelledby="${headingId}">
<h2 id="${headingId}">${escapeHtml(email.subject)}</h2>
<dl>
<dt>To</dt><dd>${escapeHtml(email.to)}</dd>
<dt>Sent</dt><dd><time datetime="${email.createdAt.toISOString()}">${
    escapeHtml(email.createdAt.toISOString().replace('T', ' ').slice(0, 19))
  } UTC</time></dd>
<dt>Status</dt><dd>${escapeHtml(email.status)}</dd>
<dt>Reference</dt><dd>${escapeHtml(email.reference ?? 'none')}</dd>
<dt>Template</dt><dd>${escapeHtml(email.templateId)}</dd>
</dl>
<div class="email-body">
${renderHtml(email.markup, { topHeadingLevel: 3 })}
</div>
</article>`
}
