/**
 * The one reader of the environment for edge functions. The platform sets SUPABASE_*; our own
 * secrets are set with `supabase secrets set` (hosted) or by local/serve.ts (local). Values are
 * validated once, on first use, so a function that never needs Notify does not fail for want of
 * a Notify key.
 */
import { z } from 'zod'

/** `{"default":"sb_secret_..."}`: the platform passes API keys as a JSON object of named keys. */
const keyDictSchema = z.string().transform((text, ctx) => {
  try {
    const parsed = z.record(z.string(), z.string().min(1)).safeParse(JSON.parse(text))
    if (parsed.success && Object.keys(parsed.data).length > 0) return Object.values(parsed.data)
  } catch {
    // reported below
  }
  ctx.addIssue({ code: 'custom', message: 'must be a JSON object of named keys' })
  return z.NEVER
})

const jwksSchema = z.string().transform((text, ctx) => {
  try {
    const parsed = z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) })
      .safeParse(JSON.parse(text))
    if (parsed.success) return parsed.data
  } catch {
    // reported below
  }
  ctx.addIssue({ code: 'custom', message: 'must be a JSON Web Key Set' })
  return z.NEVER
})

const platformSchema = z.object({
  SUPABASE_URL: z.url(),
  SUPABASE_DB_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  SUPABASE_PUBLISHABLE_KEYS: keyDictSchema.optional(),
  SUPABASE_SECRET_KEYS: keyDictSchema,
  /** Inline JWKS; when absent the keys are fetched from the project's Auth server. */
  SUPABASE_JWKS: jwksSchema.optional(),
  WEB_ORIGIN: z.url().transform((url) => new URL(url).origin),
  SUPPORT_EMAIL: z.email(),
})

const notifySchema = z.object({
  NOTIFY_API_KEY: z.string().min(74, 'must be a full Notify API key'),
  /** Unset on hosted: the client then talks to the real GOV.UK Notify. */
  NOTIFY_BASE_URL: z.url().optional(),
  NOTIFY_CALLBACK_BEARER_TOKEN: z.string().min(16),
  NOTIFY_RATE_PER_MINUTE: z.coerce.number().int().positive().default(3000),
})

export const notificationKinds = [
  'school_first',
  'tutor_first',
  'school_reminder',
  'tutor_reminder',
  'provider_challenged',
] as const
export type NotificationKind = (typeof notificationKinds)[number]

/** One `NOTIFY_TEMPLATE_<KIND>` template id per kind of email. */
const templatesSchema = z.object(
  Object.fromEntries(notificationKinds.map((kind) => [templateVariable(kind), z.uuid()])),
)

export type PlatformConfig = {
  supabaseUrl: string
  dbUrl: string
  publishableKeys: string[]
  secretKeys: string[]
  jwks: { keys: Record<string, unknown>[] } | undefined
  webOrigin: string
  supportEmail: string
}

export type NotifyConfig = {
  apiKey: string
  baseUrl: string | undefined
  callbackBearerToken: string
  ratePerMinute: number
  templateIds: Record<NotificationKind, string>
}

type Env = Record<string, string | undefined>

/** Reads and validates the platform part of `env`; exported for tests, use `config()`. */
export function parsePlatformConfig(env: Env): PlatformConfig {
  const parsed = parse(platformSchema, env)
  return {
    supabaseUrl: parsed.SUPABASE_URL.replace(/\/+$/, ''),
    dbUrl: parsed.SUPABASE_DB_URL,
    publishableKeys: parsed.SUPABASE_PUBLISHABLE_KEYS ?? [],
    secretKeys: parsed.SUPABASE_SECRET_KEYS,
    jwks: parsed.SUPABASE_JWKS,
    webOrigin: parsed.WEB_ORIGIN,
    supportEmail: parsed.SUPPORT_EMAIL,
  }
}

/** Reads and validates the Notify part of `env`; exported for tests, use `notifyConfig()`. */
export function parseNotifyConfig(env: Env): NotifyConfig {
  const parsed = parse(notifySchema, env)
  const templates: Record<string, string> = parse(templatesSchema, env)
  const templateIds = Object.fromEntries(
    notificationKinds.map((kind) => [kind, templates[templateVariable(kind)]]),
  ) as Record<NotificationKind, string>
  return {
    apiKey: parsed.NOTIFY_API_KEY,
    baseUrl: parsed.NOTIFY_BASE_URL,
    callbackBearerToken: parsed.NOTIFY_CALLBACK_BEARER_TOKEN,
    ratePerMinute: parsed.NOTIFY_RATE_PER_MINUTE,
    templateIds,
  }
}

/** `school_first` -> `NOTIFY_TEMPLATE_SCHOOL_FIRST`. */
export function templateVariable(kind: NotificationKind): string {
  return `NOTIFY_TEMPLATE_${kind.toUpperCase()}`
}

let platform: PlatformConfig | undefined
let notify: NotifyConfig | undefined

export function config(): PlatformConfig {
  return platform ??= parsePlatformConfig(Deno.env.toObject())
}

export function notifyConfig(): NotifyConfig {
  return notify ??= parseNotifyConfig(Deno.env.toObject())
}

/** Names the variables that are wrong, never their values (they are secrets). */
function parse<T extends z.ZodType>(schema: T, env: Env): z.infer<T> {
  const result = schema.safeParse(env)
  if (result.success) return result.data
  const problems = result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`)
  throw new Error(`Invalid function configuration: ${problems.join('; ')}`)
}

/**
 * The Send Email Hook's own needs, read apart from the rest so the hook keeps working when an
 * unrelated variable is wrong. The secret is the one Supabase Auth signs with: `v1,whsec_<base64>`
 * (Auth > Hooks), several separated by `|` while one is being rotated, as Auth accepts them.
 */
const hookSecretsSchema = z.string().transform((text, ctx) => {
  const secrets = text.split('|').filter(Boolean)
  if (
    secrets.length && secrets.every((secret) => /^v1,whsec_[A-Za-z0-9+/=]{32,88}$/.test(secret))
  ) {
    return secrets.map((secret) => secret.slice('v1,'.length))
  }
  ctx.addIssue({ code: 'custom', message: 'must be v1,whsec_<base64>, several separated by |' })
  return z.NEVER
})

const sendEmailHookSchema = notifySchema.pick({ NOTIFY_API_KEY: true, NOTIFY_BASE_URL: true })
  .extend({
    SEND_EMAIL_HOOK_SECRET: hookSecretsSchema,
    NOTIFY_TEMPLATE_SIGN_IN_CODE: z.uuid(),
  })

export type SendEmailHookConfig = {
  /** Each `whsec_<base64>`, as the `standardwebhooks` library takes it. */
  secrets: string[]
  notifyApiKey: string
  notifyBaseUrl: string | undefined
  signInCodeTemplateId: string
}

/** Reads and validates the hook's part of `env`; exported for tests, use `sendEmailHookConfig()`. */
export function parseSendEmailHookConfig(env: Env): SendEmailHookConfig {
  const parsed = parse(sendEmailHookSchema, env)
  return {
    secrets: parsed.SEND_EMAIL_HOOK_SECRET,
    notifyApiKey: parsed.NOTIFY_API_KEY,
    notifyBaseUrl: parsed.NOTIFY_BASE_URL,
    signInCodeTemplateId: parsed.NOTIFY_TEMPLATE_SIGN_IN_CODE,
  }
}

let sendEmailHook: SendEmailHookConfig | undefined

export function sendEmailHookConfig(): SendEmailHookConfig {
  return sendEmailHook ??= parseSendEmailHookConfig(Deno.env.toObject())
}
