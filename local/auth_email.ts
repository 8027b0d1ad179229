/**
 * Sends the Auth stand-in's sign-in codes the way the service's other emails go: through the
 * GOV.UK Notify REST API with the real `notifications-node-client`, here to the local Notify
 * double, using the template in local/auth_templates/.
 */
import { NotifyClient } from 'notifications-node-client'

export type SendCode = (email: string, code: string) => Promise<void>

export const authTemplatesDir = new URL('./auth_templates/', import.meta.url)

type Manifest = { id: string; kind: string }[]

export async function createCodeSender(notifyUrl: string, apiKey: string): Promise<SendCode> {
  const manifest: Manifest = JSON.parse(
    await Deno.readTextFile(new URL('templates.json', authTemplatesDir)),
  )
  const template = manifest.find(({ kind }) => kind === 'auth_sign_in_code')
  if (!template) throw new Error('local/auth_templates/templates.json has no auth_sign_in_code')
  const client = new NotifyClient(notifyUrl, apiKey)
  return async (email, code) => {
    await client.sendEmail(template.id, email, { personalisation: { code } })
  }
}

/** Six decimal digits, uniformly random (rejection sampling avoids modulo bias). */
export function newCode(): string {
  const limit = Math.floor(0x1_0000_0000 / 1_000_000) * 1_000_000
  for (;;) {
    const [value] = crypto.getRandomValues(new Uint32Array(1))
    if (value! < limit) return String(value! % 1_000_000).padStart(6, '0')
  }
}
