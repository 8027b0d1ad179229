/// <reference lib="dom" />
/**
 * Signing in to the lead provider portal with `@supabase/supabase-js`: an emailed one-time code
 * (sign-ups are off: only invited provider users get a code), a session kept for this browser
 * tab only and refreshed before it expires, and sign-out that ends it on the server too.
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js'

export type AppConfig = { apiUrl: string; publishableKey: string }

declare global {
  /** Set by `/config.js`, which the site generates for where it runs. */
  var APP_CONFIG: AppConfig | undefined
}

export const signInPath = '/provider/sign-in'

let client: SupabaseClient | undefined

export function appConfig(): AppConfig {
  const config = globalThis.APP_CONFIG
  if (!config) throw new Error('config.js did not load')
  return config
}

export function supabase(): SupabaseClient {
  return client ??= createClient(appConfig().apiUrl, appConfig().publishableKey, {
    auth: {
      // Per tab, so closing it on a shared computer signs the person out.
      storage: globalThis.sessionStorage,
      persistSession: true,
      autoRefreshToken: true,
      detectSessionInUrl: false,
    },
  })
}

/** The signed-in person's access token, or a trip to the sign-in page (returning here after). */
export async function accessToken(): Promise<string> {
  const { data } = await supabase().auth.getSession()
  if (data.session) return data.session.access_token
  return sendToSignIn()
}

export function sendToSignIn(): Promise<never> {
  const next = `${location.pathname}${location.search}`
  location.assign(`${signInPath}?next=${encodeURIComponent(next)}`)
  // The page is going away; nothing after this should run.
  return new Promise<never>(() => {})
}

/** Only our own portal pages are places to return to after signing in. */
export function safeNext(next: string | null): string {
  return next && /^\/provider(\/[\w\-/]*)?(\?[\w\-=&%.]*)?$/.test(next) ? next : '/provider'
}

export async function signOut(): Promise<void> {
  await supabase().auth.signOut()
  location.assign(`${signInPath}?signed-out`)
}
