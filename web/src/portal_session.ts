/// <reference lib="dom" />
/**
 * Signing in to a portal (lead providers under `/provider`, DfE support under `/support`) with
 * Supabase Auth's own client, `@supabase/auth-js` (the part of `@supabase/supabase-js` the portals
 * use: the rest would more than double their script): an emailed one-time code (sign-ups are off: only invited people get a
 * code), a session shared by the site's tabs and refreshed before it expires, and sign-out that
 * ends it on the server too. One Supabase session serves every portal on the site; what a
 * person may see is decided by the functions, not here.
 */
import { GoTrueClient } from '@supabase/auth-js'

export type AppConfig = { apiUrl: string; publishableKey: string }

declare global {
  /** Set by `/config.js`, which the site generates for where it runs. */
  var APP_CONFIG: AppConfig | undefined
}

/** Shaped as supabase-js's client, whose `auth` this is. */
let client: { auth: GoTrueClient } | undefined

export function appConfig(): AppConfig {
  const config = globalThis.APP_CONFIG
  if (!config) throw new Error('config.js did not load')
  return config
}

export function supabase(): { auth: GoTrueClient } {
  const { apiUrl, publishableKey } = appConfig()
  return client ??= {
    auth: new GoTrueClient({
      url: `${apiUrl}/auth/v1`,
      // What supabase-js's `createClient` sends Auth with the project's key.
      headers: { apikey: publishableKey, Authorization: `Bearer ${publishableKey}` },
      // Shared by every tab of this site, so a school opened in a new tab needs no second
      // sign-in; the client keeps the tabs' refreshes in step. It lasts until the person signs
      // out (every tab then follows) or the project's session limits end it.
      storage: globalThis.localStorage,
      storageKey: 'app-auth',
      persistSession: true,
      autoRefreshToken: true,
      detectSessionInUrl: false,
    }),
  }
}

/** A portal's session: where its pages live (`/provider`), its sign-in page is `<path>/sign-in`. */
export type PortalSession = ReturnType<typeof portalSession>

export function portalSession(path: '/provider' | '/support') {
  const signInPath = `${path}/sign-in`
  // Only this portal's own pages are places to return to after signing in.
  const ownPage = new RegExp(`^${path}(/[\\w\\-/]*)?(\\?[\\w\\-=&%.]*)?$`)

  function sendToSignIn(): Promise<never> {
    const next = `${location.pathname}${location.search}`
    location.assign(`${signInPath}?next=${encodeURIComponent(next)}`)
    // The page is going away; nothing after this should run.
    return new Promise<never>(() => {})
  }

  return {
    path,
    sendToSignIn,

    /** The signed-in person's access token, or a trip to sign in (returning here after). */
    async accessToken(): Promise<string> {
      const { data } = await supabase().auth.getSession()
      if (data.session) return data.session.access_token
      return sendToSignIn()
    },

    safeNext(next: string | null): string {
      return next && ownPage.test(next) ? next : path
    },

    async signOut(): Promise<void> {
      await supabase().auth.signOut()
      location.assign(`${signInPath}?signed-out`)
    },
  }
}
