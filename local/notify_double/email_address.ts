/**
 * Email address validation as GOV.UK Notify does it (alphagov/notifications-utils
 * `recipient_validation/email_address.py`): stricter than RFC 5322 so that the email provider
 * never fails on what Notify accepted.
 */

const VALID_LOCAL_CHARS = "a-zA-Z0-9.!#$%&'*+/=?^_`{|}~\\-"
const emailPattern = new RegExp(`^[${VALID_LOCAL_CHARS}]+@([^.@][^@\\s]+)$`)
const hostnamePart = /^(xn|[a-z0-9]+)(-?-[a-z0-9]+)*$/i
const tldPart = /^([a-z]{2,63}|xn--([a-z0-9]+-)*[a-z0-9]+)$/i
// notifications-utils `strip_and_remove_obscure_whitespace`: zero-width and other invisible spaces.
const obscureWhitespace = /[\u180E\u200B\u200C\u200D\u2060\uFEFF]/g

/** The address as Notify stores it, or undefined when Notify would say it is not valid. */
export function validEmailAddress(input: string): string | undefined {
  const address = input.replace(obscureWhitespace, '').trim()
  const match = emailPattern.exec(address)
  if (!match || address.length > 320 || address.includes('..')) return undefined
  const hostname = toAscii(match[1]!)
  if (hostname === undefined) return undefined
  const parts = hostname.split('.')
  if (hostname.length > 253 || parts.length < 2) return undefined
  if (parts.some((part) => !part || part.length > 63 || !hostnamePart.test(part))) return undefined
  return tldPart.test(parts.at(-1)!) ? address : undefined
}

/** IDNA encoding, as Python's `hostname.encode("idna")`; the URL parser does the same job. */
function toAscii(hostname: string): string | undefined {
  if (/^[ -~]*$/.test(hostname)) return hostname
  try {
    return new URL(`http://${hostname}`).hostname
  } catch {
    return undefined
  }
}
