/**
 * Loads the email templates the double knows from `templates.json` manifests, one per folder:
 * `[{ "id": "<uuid>", "kind": "school_first", "name": "...", "subject": "...",
 * "body": "school_first.md" }]`, each body file in Notify's markup. Other fields (for example
 * the documented personalisation names) are allowed and ignored.
 */
import { join } from 'node:path'
import { z } from 'zod'

export type EmailTemplate = {
  id: string
  kind: string
  name: string
  subject: string
  body: string
  /** Notify versions every edit; templates from files are always at their first version. */
  version: number
}

const manifestSchema = z.array(z.object({
  id: z.guid(),
  kind: z.string().min(1),
  name: z.string().min(1),
  subject: z.string().min(1),
  body: z.string().regex(/^[\w.-]+$/, 'must be a file name in the same folder'),
}))

export async function loadTemplates(dirs: string[]): Promise<Map<string, EmailTemplate>> {
  const templates = new Map<string, EmailTemplate>()
  for (const dir of dirs) {
    const manifestPath = join(dir, 'templates.json')
    const parsed = manifestSchema.safeParse(JSON.parse(await Deno.readTextFile(manifestPath)))
    if (!parsed.success) {
      throw new Error(`${manifestPath} is not a valid manifest: ${z.prettifyError(parsed.error)}`)
    }
    for (const entry of parsed.data) {
      const id = entry.id.toLowerCase()
      if (templates.has(id)) throw new Error(`${manifestPath}: template ${id} is listed twice`)
      const body = await Deno.readTextFile(join(dir, entry.body))
      templates.set(id, { ...entry, id, body, version: 1 })
    }
  }
  return templates
}
