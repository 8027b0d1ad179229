/**
 * What the Auth stand-in answers at `GET /auth/v1/settings`, in GoTrue's shape
 * (supabase/auth internal/api/settings.go): the sign-in methods it offers and whether anyone may
 * sign up. It states what the stand-in does, which is what supabase/config.toml asks of hosted
 * Auth: email one-time codes only, no sign-ups, no email confirmation step. The deploy check
 * (tools/deploy_check.ts) reads the same endpoint on hosted.
 */
const noExternalProviders = {
  anonymous_users: false,
  apple: false,
  azure: false,
  bitbucket: false,
  discord: false,
  facebook: false,
  snapchat: false,
  figma: false,
  fly: false,
  github: false,
  gitlab: false,
  google: false,
  keycloak: false,
  kakao: false,
  linkedin: false,
  linkedin_oidc: false,
  notion: false,
  spotify: false,
  slack: false,
  slack_oidc: false,
  workos: false,
  twitch: false,
  twitter: false,
  email: false,
  phone: false,
  zoom: false,
}

export const authSettings = {
  external: { ...noExternalProviders, email: true },
  disable_signup: true,
  // config.toml's `[auth.email] enable_confirmations = false`.
  mailer_autoconfirm: true,
  phone_autoconfirm: false,
  // GoTrue names its default SMS provider even when phone sign-in is off.
  sms_provider: 'twilio',
  saml_enabled: false,
  saml_private_key_next_configured: false,
  passkeys_enabled: false,
}
