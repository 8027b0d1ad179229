/**
 * The local project's keys, made on first run and kept in `<dataDir>/keys.json` (mode 0600) so a
 * second run keeps sessions and API keys valid: the ES256 key Auth signs access tokens with, the
 * `sb_publishable_...` and `sb_secret_...` API keys, the Notify API key the double accepts, the
 * bearer token Notify's delivery receipts carry and the secret Auth signs its Send Email Hook
 * calls with. A keys.json from before a key existed gets that key added, keeping the others.
 */
import { exportJWK, generateKeyPair, type JWK } from 'jose'
import { join } from 'node:path'
import { z } from 'zod'
import { generateApiKey } from './notify_double/api_keys.ts'

export type LocalKeys = {
  /** Private signing key with `kid`, `alg: ES256`. */
  signingKey: JWK
  publishableKey: string
  secretKey: string
  notifyApiKey: string
  notifyCallbackToken: string
  /** `v1,whsec_<base64>`, as Auth > Hooks shows it on hosted. */
  sendEmailHookSecret: string
}

const keysSchema = z.object({
  signingKey: z.looseObject({ kty: z.literal('EC'), kid: z.string(), d: z.string() }),
  publishableKey: z.string().startsWith('sb_publishable_'),
  secretKey: z.string().startsWith('sb_secret_'),
  notifyApiKey: z.string(),
  notifyCallbackToken: z.string(),
  sendEmailHookSecret: z.string().regex(/^v1,whsec_[A-Za-z0-9+/=]{32,88}$/).optional(),
})

export async function loadOrCreateKeys(dataDir: string): Promise<LocalKeys> {
  const file = join(dataDir, 'keys.json')
  let stored: z.infer<typeof keysSchema>
  try {
    stored = keysSchema.parse(JSON.parse(await Deno.readTextFile(file)))
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      throw new Error(`${file} is damaged; run \`deno task reset\` to start afresh`)
    }
    const keys = await createKeys()
    await Deno.mkdir(dataDir, { recursive: true })
    await writeKeys(file, keys)
    return keys
  }
  if (stored.sendEmailHookSecret) return stored as LocalKeys
  const keys = { ...stored, sendEmailHookSecret: newHookSecret() } as LocalKeys
  await writeKeys(file, keys)
  return keys
}

function writeKeys(file: string, keys: LocalKeys): Promise<void> {
  return Deno.writeTextFile(file, JSON.stringify(keys, null, 2), { mode: 0o600 })
}

/** 32 random bytes in standard base64, as Auth > Hooks generates them. */
function newHookSecret(): string {
  return `v1,whsec_${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))}`
}

/** The JWKS Auth publishes: the public half of the signing key. */
export function publicJwks(keys: LocalKeys): { keys: JWK[] } {
  const { d: _private, ...publicKey } = keys.signingKey
  return { keys: [publicKey] }
}

async function createKeys(): Promise<LocalKeys> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true })
  const signingKey = {
    ...(await exportJWK(privateKey)),
    kid: crypto.randomUUID(),
    alg: 'ES256',
    use: 'sig',
  }
  return {
    signingKey,
    publishableKey: `sb_publishable_${randomText(22)}`,
    secretKey: `sb_secret_${randomText(32)}`,
    notifyApiKey: generateApiKey('local'),
    notifyCallbackToken: randomText(32),
    sendEmailHookSecret: newHookSecret(),
  }
}

/** base64url text carrying `bytes` random bytes. */
function randomText(bytes: number): string {
  const buffer = crypto.getRandomValues(new Uint8Array(bytes))
  return btoa(String.fromCharCode(...buffer)).replace(/\+/g, '-').replace(/\//g, '_')
    .replace(/=+$/, '')
}
