/**
 * Notify's `((placeholder))` rules (alphagov/notifications-utils `field.py`,
 * `insensitive_dict.py`, `template.py`): names match ignoring case, spaces, hyphens and
 * underscores; `((name??text))` shows text when the value is yes/true/...; a list becomes
 * bullets; an email's placeholders are the subject's then the body's, in order of appearance.
 */

export type Personalisation = Record<string, unknown>

const placeholderPattern = /\(\(([^()]+)\)\)/g

/** InsensitiveDict.make_key. */
export function placeholderKey(name: string): string {
  return name.replace(/[ _-]/g, '').toLowerCase()
}

function placeholderName(body: string): string {
  return body.split('??')[0]!
}

/** Placeholder names in order of first appearance, without case-insensitive repeats. */
export function placeholderNames(...texts: string[]): string[] {
  const names = new Map<string, string>()
  for (const text of texts) {
    for (const [, body] of text.matchAll(placeholderPattern)) {
      const name = placeholderName(body!)
      const key = placeholderKey(name)
      if (!names.has(key)) names.set(key, name)
    }
  }
  return [...names.values()]
}

export class PersonalisationValues {
  readonly #values = new Map<string, unknown>()

  constructor(personalisation: Personalisation) {
    for (const [name, value] of Object.entries(personalisation)) {
      this.#values.set(placeholderKey(name), value)
    }
  }

  /** Template.missing_data: a placeholder with no value, or a null one. */
  missing(names: string[]): string[] {
    return names.filter((name) => (this.#values.get(placeholderKey(name)) ?? null) === null)
  }

  /** Field.replaced with html="passthrough" and markdown_lists; missing values stay as they were. */
  fill(text: string): string {
    return text.replace(placeholderPattern, (whole, body: string) => {
      const value = this.#values.get(placeholderKey(placeholderName(body)))
      if (value === undefined || value === null) return whole
      const separator = body.indexOf('??')
      if (separator >= 0) return showConditional(value) ? body.slice(separator + 2) : ''
      return Array.isArray(value) ? asMarkdownList(value) : pythonStr(value)
    })
  }
}

/** field.py `str2bool`. */
function showConditional(value: unknown): boolean {
  if (!value || (Array.isArray(value) && value.length === 0)) return false
  return ['yes', 'y', 'true', 't', '1', 'include', 'show'].includes(pythonStr(value).toLowerCase())
}

function asMarkdownList(values: unknown[]): string {
  const items = values
    .filter((item) => item !== null && item !== undefined)
    .map((item) => pythonStr(item).trim())
    .filter(Boolean)
  return items.length ? `\n\n${items.map((item) => `* ${item}`).join('\n')}` : ''
}

/** Notify is Python: `str(True)` is "True". */
function pythonStr(value: unknown): string {
  if (value === true) return 'True'
  if (value === false) return 'False'
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}
