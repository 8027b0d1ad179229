/**
 * The pages' content security policy. Everything comes from our own origin; the only other place
 * a page may talk to is the API. The one inline script allowed is GOV.UK Frontend's own
 * `js-enabled` line in its page template, by hash, as GOV.UK Frontend advises.
 */

export type PolicyOptions = {
  /** Where the challenge function lives (the Supabase project URL). */
  apiOrigin: string
  scriptHashes: string[]
}

export function contentSecurityPolicy({ apiOrigin, scriptHashes }: PolicyOptions): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': ["'self'", ...scriptHashes.map((hash) => `'${hash}'`)],
    'style-src': ["'self'"],
    'img-src': ["'self'"],
    'font-src': ["'self'"],
    'manifest-src': ["'self'"],
    'connect-src': [apiOrigin],
    'base-uri': ["'none'"],
    // The report form is sent by the page script; a form must never be sent as a page request.
    'form-action': ["'none'"],
  }
  return Object.entries(directives).map(([name, values]) => `${name} ${values.join(' ')}`).join(
    '; ',
  )
}

/** The policy as a host header, which can also forbid framing (a meta tag cannot). */
export function headerPolicy(options: PolicyOptions): string {
  return `${contentSecurityPolicy(options)}; frame-ancestors 'none'`
}

/**
 * `sha256-...` of each distinct inline script in `html`. More than one means someone added an
 * inline script of their own, which this site does not allow.
 */
export async function inlineScriptHashes(html: string): Promise<string[]> {
  const bodies = new Set(
    [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((match) =>
      match[1] ?? ''
    ),
  )
  if (bodies.size > 1) throw new Error('Pages may not have inline scripts of their own')
  return await Promise.all([...bodies].map(sha256Source))
}

async function sha256Source(source: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(source))
  return `sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}`
}
