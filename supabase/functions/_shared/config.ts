/**
 * The one reader of the environment for edge functions. The platform sets `SUPABASE_*` (in any of
 * the shapes its docs promise); our own secrets are set with `supabase secrets set` (hosted) or by
 * local/stack.ts (local).
 *
 * The environment is read in parts (the database URL, the project URL, the secret keys, the
 * JWKS, the site's origin, the support address, Notify, Notify's callback token), each validated
 * once, on first use, by the code that needs it. A missing or bad variable disables only the
 * parts that read it: it is logged once, by name and never with its value (these are secrets),
 * and each request that needs the part is answered 503 `not_configured`. So a wrong Notify key
 * stops the sender, while a school's report page, which never needs Notify, keeps working.
 */
import { z } from 'zod'
import { AppError } from './errors.ts'

export const notificationKinds = [
  'school_first',
  'tutor_first',
  'school_reminder',
  'tutor_reminder',
  'provider_challenged',
  'new_link',
] as const
export type NotificationKind = (typeof notificationKinds)[number]

/** `school_first` -> `NOTIFY_TEMPLATE_SCHOOL_FIRST`. */
export function templateVariable(kind: NotificationKind): string {
  return `NOTIFY_TEMPLATE_${kind.toUpperCase()}`
}

/** A JSON Web Key Set as jose takes it. */
export type KeySet = { keys: JsonWebKey[] }
type JsonWebKey = { kty: string; [member: string]: unknown }

export type NotifyConfig = {
  apiKey: string
  /** Unset on hosted: the client then talks to the real GOV.UK Notify. */
  baseUrl: string | undefined
  ratePerMinute: number
  templateIds: Record<NotificationKind, string>
}

/**
 * Text holding JSON, parsed by `schema`; `message` names the shape expected (never the text).
 * An empty object or set (`{}`, `[]`, `{"keys":[]}`) reads as `undefined`: the platform's way of
 * saying "none of these", which the reader then treats like an unset variable.
 */
function jsonText<T>(
  schema: z.ZodType<T>,
  message: string,
  isEmpty: (value: T) => boolean,
) {
  return z.string().transform((text, ctx): T | undefined => {
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      json = undefined
    }
    const parsed = schema.safeParse(json)
    if (parsed.success) return isEmpty(parsed.data) ? undefined : parsed.data
    ctx.addIssue({ code: 'custom', message })
    return z.NEVER
  })
}

/** `{"default":"sb_secret_..."}`: the platform passes API keys as a JSON object of named keys. */
const namedKeys = jsonText(
  z.record(z.string(), z.string().min(1)).transform((keys) => Object.values(keys)),
  'must be a JSON object of named keys',
  (keys) => keys.length === 0,
)

/** `{"keys":[...]}`, or the bare array the platform may give instead (@supabase/server's docs). */
const keySet = jsonText<KeySet>(
  z.union([
    z.object({ keys: z.array(z.looseObject({ kty: z.string() })) }),
    z.array(z.looseObject({ kty: z.string() })).transform((keys) => ({ keys })),
  ]),
  'must be a JSON Web Key Set ({"keys":[...]} or [...])',
  (set) => set.keys.length === 0,
)

/** A legacy API key: a JWT signed with the project's legacy secret. */
const legacyJwtKey = z.string().regex(
  /^[\w-]+\.[\w-]+\.[\w-]+$/,
  'must be a JWT',
)

type Env = Record<string, string | undefined>

/** One `NOTIFY_TEMPLATE_<KIND>` template id per kind of email. */
const templateIdsShape: Record<string, z.ZodUUID> = Object.fromEntries(
  notificationKinds.map((
    kind,
  ) => [templateVariable(kind), z.uuid('must be a template id')]),
)

const notifySettings = z.object({
  NOTIFY_API_KEY: z.string().min(74, 'must be a full Notify API key'),
  NOTIFY_BASE_URL: z.url('must be a URL').optional(),
  NOTIFY_RATE_PER_MINUTE: z.coerce.number('must be a number').int(
    'must be a whole number',
  )
    .positive('must be more than 0').default(3000),
})

/** `v1,whsec_<base64>`, several separated by `|` while rotating, as Supabase Auth takes them. */
const hookSecrets = z.string().transform((text, ctx) => {
  const secrets = text.split('|').filter(Boolean)
  if (
    secrets.length &&
    secrets.every((secret) => /^v1,whsec_[A-Za-z0-9+/=]{32,88}$/.test(secret))
  ) {
    // The standardwebhooks library takes `whsec_<base64>`, without the version prefix.
    return secrets.map((secret) => secret.slice('v1,'.length))
  }
  ctx.addIssue({
    code: 'custom',
    message: 'must be v1,whsec_<base64>, several separated by |',
  })
  return z.NEVER
})

export type SendEmailHookConfig = {
  /** Each `whsec_<base64>`, as the `standardwebhooks` library takes it. */
  secrets: string[]
  notifyApiKey: string
  notifyBaseUrl: string | undefined
  signInCodeTemplateId: string
}

/**
 * One part of the configuration: the variables it reads (a zod object, one field per variable)
 * and what the functions get from them.
 */
type Part<S extends z.ZodObject, T> = {
  name: string
  schema: S
  build: (values: z.infer<S>) => T
}

function part<S extends z.ZodObject, T>(
  name: string,
  schema: S,
  build: (values: z.infer<S>) => T,
): Part<S, T> {
  return { name, schema, build }
}

const parts = {
  supabaseUrl: part(
    'supabase_url',
    z.object({ SUPABASE_URL: z.url('must be a URL') }),
    (env) => env.SUPABASE_URL.replace(/\/+$/, ''),
  ),
  databaseUrl: part(
    'database_url',
    z.object({
      SUPABASE_DB_URL: z.string().regex(
        /^postgres(ql)?:\/\//,
        'must be a postgres:// URL',
      ),
    }),
    (env) => env.SUPABASE_DB_URL,
  ),
  /**
   * The keys the platform's own callers (pg_net, pg_cron) present. The first variable set wins:
   * the secret keys (`SUPABASE_SECRET_KEYS`, or the single `SUPABASE_SECRET_KEY` self-hosted
   * projects may export), else, on a project with legacy API keys only, its service role key.
   * A legacy key is not accepted beside secret keys: a project that has moved on may have
   * disabled it.
   */
  secretKeys: part(
    'secret_keys',
    z.object({
      SUPABASE_SECRET_KEYS: namedKeys.optional(),
      SUPABASE_SECRET_KEY: z.string().startsWith(
        'sb_secret_',
        'must be an sb_secret_ key',
      )
        .optional(),
      SUPABASE_SERVICE_ROLE_KEY: legacyJwtKey.optional(),
    }).refine(
      (env) =>
        env.SUPABASE_SECRET_KEYS ?? env.SUPABASE_SECRET_KEY ??
          env.SUPABASE_SERVICE_ROLE_KEY,
      'none of SUPABASE_SECRET_KEYS, SUPABASE_SECRET_KEY or SUPABASE_SERVICE_ROLE_KEY is set',
    ),
    (env): string[] =>
      env.SUPABASE_SECRET_KEYS ??
        [env.SUPABASE_SECRET_KEY ?? env.SUPABASE_SERVICE_ROLE_KEY].filter((
          key,
        ) => key !== undefined),
  ),
  /** Inline keys; `undefined` when absent or empty: they are then fetched from Auth. */
  jwks: part(
    'jwks',
    z.object({ SUPABASE_JWKS: keySet.optional() }),
    (env): KeySet | undefined => env.SUPABASE_JWKS,
  ),
  webOrigin: part(
    'web_origin',
    z.object({ WEB_ORIGIN: z.url('must be a URL') }),
    (env) => new URL(env.WEB_ORIGIN).origin,
  ),
  supportEmail: part(
    'support_email',
    z.object({ SUPPORT_EMAIL: z.email('must be an email address') }),
    (env) => env.SUPPORT_EMAIL,
  ),
  notifyConfig: part(
    'notify',
    notifySettings.extend(templateIdsShape),
    (values): NotifyConfig => {
      // The template ids' index signature would widen the settings' own types: read them apart.
      const env = values as
        & z.infer<typeof notifySettings>
        & Record<string, unknown>
      return {
        apiKey: env.NOTIFY_API_KEY,
        baseUrl: env.NOTIFY_BASE_URL,
        ratePerMinute: env.NOTIFY_RATE_PER_MINUTE,
        templateIds: Object.fromEntries(
          notificationKinds.map((
            kind,
          ) => [kind, String(env[templateVariable(kind)])]),
        ) as Record<NotificationKind, string>,
      }
    },
  ),
  /**
   * What the Send Email Hook needs: its own secret, Notify's key and the sign-in template, and not
   * the outbox's templates, so sign-in keeps working while an outbox template id is wrong.
   */
  sendEmailHook: part(
    'send_email_hook',
    z.object({
      SEND_EMAIL_HOOK_SECRET: hookSecrets,
      NOTIFY_API_KEY: notifySettings.shape.NOTIFY_API_KEY,
      NOTIFY_BASE_URL: notifySettings.shape.NOTIFY_BASE_URL,
      NOTIFY_TEMPLATE_SIGN_IN_CODE: z.uuid('must be a template id'),
    }),
    (env): SendEmailHookConfig => ({
      secrets: env.SEND_EMAIL_HOOK_SECRET,
      notifyApiKey: env.NOTIFY_API_KEY,
      notifyBaseUrl: env.NOTIFY_BASE_URL,
      signInCodeTemplateId: env.NOTIFY_TEMPLATE_SIGN_IN_CODE,
    }),
  ),
  notifyCallbackToken: part(
    'notify_callback',
    z.object({
      NOTIFY_CALLBACK_BEARER_TOKEN: z.string().min(
        16,
        'must be 16 characters or more',
      ),
    }),
    (env) => env.NOTIFY_CALLBACK_BEARER_TOKEN,
  ),
}

type Parts = typeof parts
export type Config = {
  [K in keyof Parts]: () => ReturnType<Parts[K]['build']>
}

/** What each part of the configuration holds, once read. */
export type ConfigValues = { [K in keyof Config]: ReturnType<Config[K]> }

/**
 * A configuration of literal values, read from no environment: what handler tests give an app
 * factory, naming exactly the parts the app reads.
 */
export function literalConfig<K extends keyof Config>(
  values: Pick<ConfigValues, K>,
): Pick<Config, K> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [key, () => value]),
  ) as unknown as Pick<Config, K>
}

/**
 * Why a part is unusable: the variables at fault and what is wrong with each, never a value.
 * Thrown to a request as a 503 `not_configured`, which the functions' `onError` answers.
 */
export class NotConfiguredError extends AppError {
  constructor(readonly part: string, readonly problems: string[]) {
    super(
      503,
      'not_configured',
      'Sorry, this part of the service is not available at the moment',
    )
  }
}

/**
 * The configuration read from `env` (a name's value, or undefined), part by part, each on first
 * use and then kept, whether it was good or not; a bad part is reported to `log` once.
 */
export function readConfig(
  env: (name: string) => string | undefined,
  log: (line: string) => void = console.error,
): Config {
  const read = <S extends z.ZodObject, T>(part: Part<S, T>): () => T => {
    let outcome: { value: T } | { error: NotConfiguredError } | undefined
    return () => {
      outcome ??= readPart(part, env, log)
      if ('error' in outcome) throw outcome.error
      return outcome.value
    }
  }
  return Object.fromEntries(
    Object.entries(parts).map((
      [key, part],
    ) => [key, read(part as Part<z.ZodObject, unknown>)]),
  ) as Config
}

function readPart<S extends z.ZodObject, T>(
  part: Part<S, T>,
  env: (name: string) => string | undefined,
  log: (line: string) => void,
): { value: T } | { error: NotConfiguredError } {
  // An empty variable is an unset one, as the platform and @supabase/server treat it.
  const values: Env = {}
  for (const name of Object.keys(part.schema.shape)) {
    values[name] = env(name) || undefined
  }
  const result = part.schema.safeParse(values)
  if (result.success) return { value: part.build(result.data) }
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.map(String).join('.')
    if (!name) return issue.message
    return values[name] === undefined ? `${name} is not set` : `${name} ${issue.message}`
  })
  log(
    JSON.stringify({
      level: 'error',
      event: 'not_configured',
      part: part.name,
      problems,
    }),
  )
  return { error: new NotConfiguredError(part.name, problems) }
}

/**
 * The configuration the platform gives a function, from this process's environment: what each
 * function's `index.ts` hands its app factory. Tests give a factory literal parts instead.
 */
export function environmentConfig(): Config {
  return readConfig((name) => Deno.env.get(name))
}
