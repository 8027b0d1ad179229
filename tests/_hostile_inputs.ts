/**
 * Generators of hostile input for the hostile_*_test.ts suites, built on fast-check with one
 * fixed seed and a bounded number of runs per property, so every run of the suite sends the same
 * requests and a failure names the seed and path that reproduce it.
 *
 * Text that could name a real school is never generated where a request might act on it: the
 * report generators carry no digits, so no generated URN can be a school in the shared database.
 */
import fc from 'fast-check'
import { generateKeyPair, SignJWT } from 'jose'

/** The one seed of the suite: change it to explore, keep it fixed to reproduce. */
export const hostileSeed = 20261129

/** Checks `predicate` on `runs` inputs from `inputs`, deterministically, stopping at a failure. */
export async function forEachInput<T>(
  inputs: fc.Arbitrary<T>,
  runs: number,
  predicate: (input: T) => Promise<void>,
): Promise<void> {
  await fc.assert(fc.asyncProperty(inputs, predicate), {
    seed: hostileSeed,
    numRuns: runs,
    // Each run is real HTTP: report the first failure as found rather than shrinking it.
    endOnFailure: true,
  })
}

/** The five reasons a school may give: valid, to pair with a field that is not. */
export const reasonCodes = [
  'another_provider',
  'not_confirmed',
  'do_not_recognise',
  'no_ects',
  'mistake',
] as const

/** SQL that would do harm if it were ever spliced into a statement (no digits on purpose). */
export const sqlInjections = [
  "' or 'a'='a",
  "'; drop table public.partnerships; --",
  "' union select token_hash, null from public.link_tokens --",
  '"; select pg_sleep(ten); --',
  "'); delete from public.partnership_events where true; --",
  '$$; truncate public.notifications; $$',
  '%',
  '_',
  '\\',
  "''",
] as const

/** Markup and template syntax that would run if echoed into a page or a template. */
export const markupInjections = [
  '<script>alert(document.cookie)</script>',
  '"><img src=x onerror=alert(one)>',
  "javascript:alert('x')",
  '{{constructor.constructor("alert(one)")()}}',
  '${process.env}',
  '=HYPERLINK("http://evil.example","click")',
  '<!--',
  ']]>',
] as const

/** Text that is awkward to store, compare or show: direction marks, joiners, NUL, lone halves. */
export const awkwardUnicode = [
  '\u202eloohcs\u202c',
  'a\u200bb\u200c\u200dc\ufeff',
  '👩🏽‍🏫🏫',
  'e\u0301\u0301\u0301',
  'school\u0000name',
  '\u0000',
  '\ud800',
  'tail\udfff',
  '\u2028\u2029',
  '\u00a0\u3000',
  'ﷺ',
  '\u{10ffff}',
] as const

/** Ids and path segments that try to climb out of where they are put. */
export const traversals = [
  '..',
  '../..',
  '..%2f..%2fsupport%2fschools',
  '%2e%2e%2f',
  '..\\..\\',
  '%00',
  '%',
  '%zz',
  '.',
  '~',
] as const

const known = fc.constantFrom(
  ...sqlInjections,
  ...markupInjections,
  ...awkwardUnicode,
  ...traversals,
)

/** Nasty text of every kind: injections, unicode edge cases, random code units, and mixes. */
export function nastyText({ maxLength = 60 }: { maxLength?: number } = {}): fc.Arbitrary<string> {
  return fc.oneof(
    known,
    // Any code point, NUL and halves of surrogate pairs included.
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
    fc.array(known, { minLength: 2, maxLength: 4 }).map((parts) => parts.join(' ')),
  )
}

/**
 * Text longer than any field accepts (the shortest limit is 200 characters); cut where it falls,
 * even inside a surrogate pair.
 */
export function hugeText(): fc.Arbitrary<string> {
  return fc.tuple(fc.integer({ min: 201, max: 2_000 }), known).map(([length, seed]) =>
    seed.repeat(Math.ceil(length / seed.length)).slice(0, length)
  )
}

/** A length as the functions' limits count it: zod counts code points, not UTF-16 units. */
export function characterCount(text: string): number {
  return [...text].length
}

/** Nasty text with no digit in it: never a URN, never a number. */
export function nastyTextWithoutDigits(): fc.Arbitrary<string> {
  return nastyText().map((text) => text.replace(/\d/g, 'x'))
}

/** Anything that is not a string: the wrong JSON type for a text field. */
export function notAString(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  )
}

/** Anything that is not a number: the wrong JSON type for a numeric field. */
export function notANumber(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.constantFrom('2026', '', 'NaN', 'Infinity'),
    fc.array(fc.integer(), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
  )
}

/** Numbers as a query string writes them that no page, year or cohort can be. */
export const absurdNumbers = [
  '-1',
  '0',
  '1e309',
  '-1e309',
  'NaN',
  'Infinity',
  '1.5',
  '99999999999999999999',
  '',
  ' ',
  '١٢',
  '2026abc',
  '[]',
  '{}',
  'null',
  'true',
] as const

/** Strings that look like ids but are not uuids. */
export function notAUuid(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      '',
      'null',
      'undefined',
      '00000000-0000-0000-0000-00000000000g',
      '{00000000-0000-0000-0000-000000000000}',
      '000000000000000000000000000000000000',
      ...traversals,
      ...sqlInjections,
    ),
    fc.uuid().map((uuid) => uuid.replaceAll('-', '')),
    fc.uuid().map((uuid) => `${uuid}x`),
    fc.uuid().map((uuid) => `${uuid}' or 'a'='a`),
    nastyText({ maxLength: 40 }),
  )
}

/** Email addresses a support user might mistype, and worse. */
export function notAnEmail(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      '',
      'school',
      'school@',
      '@school.example',
      'a@b',
      'a@@b.example',
      'office@school.example\r\nBcc: everyone@example.com',
      '"><script>@x.example',
      'office@school.example\u0000',
      'office@school.example; drop table public.notifications',
    ),
    nastyText().map((text) => text.replaceAll('@', '')),
    // Over the 320 characters an address may have, however plausible its characters.
    hugeText().map((text) => `${text.repeat(2)}@example.com`),
  )
}

/** Request bodies that are not JSON objects at all, as text. */
export const notJsonBodies = [
  'not json',
  '{',
  '{"token":',
  '{"token": "abc",}',
  "{'token': 'abc'}",
  '<?xml version="one"?><token>abc</token>',
  'token=abc&reason=mistake',
  '[',
  ']',
  '\u0000',
  'undefined',
  'NaN',
] as const

/** Request bodies that are JSON, but not an object. */
export const jsonNotObjects = ['null', 'true', '42', '"token"', '[]', '[{}]'] as const

/** Bodies as raw bytes that are not UTF-8: a lone surrogate's bytes, stray continuations. */
export const notUtf8Bodies: Uint8Array<ArrayBuffer>[] = [
  new Uint8Array([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]),
  new Uint8Array([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]),
  new Uint8Array([0x80, 0x81, 0x82]),
  new Uint8Array([0xc0, 0xaf]),
]

/** Content types other than JSON, as a browser or a script might send a body. */
export const notJsonContentTypes = [
  'text/plain',
  'text/plain;charset=UTF-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/jsonp',
  'application/json-patch+json',
  'text/json',
  'application/octet-stream',
] as const

/** Origins that are not the site's, for CORS. */
export const foreignOrigins = [
  'https://evil.example',
  'null',
  'http://127.0.0.1.evil.example',
  'https://report-a-mistake.education.gov.uk.evil.example',
  'file://',
] as const

/** Extra members a body might carry to confuse a parser or a merge. */
export function extraMembers(): fc.Arbitrary<Record<string, unknown>> {
  return fc.dictionary(
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'role', 'lead_provider_id', 'id'),
    fc.oneof(fc.constant({ isAdmin: true }), fc.constant('service_role'), fc.uuid()),
    { maxKeys: 2 },
  )
}

/**
 * A token no function may admit, and the code of its 401: `unauthorised`, but for a token signed
 * with HS256, which the functions answer `legacy_jwt_signing_key` (a project that still signs with
 * its legacy secret must be told so, and a forger learns nothing from it).
 */
export type ForgedToken = { label: string; token: string; code: string }

const base64url = (text: string) =>
  btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')

function decodePart(part: string): Record<string, unknown> {
  return JSON.parse(atob(part.replaceAll('-', '+').replaceAll('_', '/')))
}

/**
 * Access tokens an attacker could make from a real one (`genuine`, of a signed-in user) and what
 * is public: the JWKS's `kid`, the issuer, the publishable key. None may admit anyone.
 */
export async function forgedAccessTokens(
  { genuine, issuer, kid, publishableKey, otherUserId }: {
    genuine: string
    issuer: string
    kid: string
    publishableKey: string
    otherUserId: string
  },
): Promise<ForgedToken[]> {
  const [header, payload, signature] = genuine.split('.') as [string, string, string]
  const claims = decodePart(payload)
  const now = Math.floor(Date.now() / 1000)
  const tampered = (label: string, changes: Record<string, unknown>): ForgedToken => ({
    label,
    code: 'unauthorised',
    token: `${header}.${base64url(JSON.stringify({ ...claims, ...changes }))}.${signature}`,
  })
  const unsigned = (alg: string): ForgedToken => ({
    label: `alg ${alg}, no signature`,
    code: 'unauthorised',
    token: `${base64url(JSON.stringify({ alg, typ: 'JWT' }))}.${payload}.`,
  })
  const { privateKey } = await generateKeyPair('ES256')
  const signedByUs = (label: string, changes: Record<string, unknown>) =>
    new SignJWT({ ...claims, ...changes }).setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
      .sign(privateKey).then((token) => ({ label, token, code: 'unauthorised' }))
  const hmac = (label: string, key: string) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid, typ: 'JWT' })
      .sign(new TextEncoder().encode(key))
      .then((token) => ({ label, token, code: 'legacy_jwt_signing_key' }))
  return [
    unsigned('none'),
    unsigned('None'),
    {
      label: 'genuine header and payload, signature cut',
      token: `${header}.${payload}.`,
      code: 'unauthorised',
    },
    {
      label: 'signature altered',
      token: `${header}.${payload}.${signature.slice(1)}A`,
      code: 'unauthorised',
    },
    tampered('role changed to service_role', { role: 'service_role' }),
    tampered('sub changed to another user', { sub: otherUserId }),
    tampered('expiry moved a year on', { exp: now + 365 * 24 * 3600 }),
    await signedByUs('signed with a key of our own under the real kid', {}),
    await signedByUs('expired, signed with our key', { exp: now - 60, iat: now - 3660 }),
    await signedByUs('not yet valid, signed with our key', { nbf: now + 3600 }),
    await signedByUs('wrong audience, signed with our key', { aud: 'anon' }),
    await signedByUs('wrong issuer, signed with our key', { iss: `${issuer}.evil.example` }),
    await hmac('HS256 with the publishable key', publishableKey),
    await hmac('HS256 with the kid as secret', kid),
    { label: 'the publishable key itself', token: publishableKey, code: 'unauthorised' },
    { label: 'not a JWT', token: 'not-a-jwt', code: 'unauthorised' },
    { label: 'two dots only', token: '..', code: 'unauthorised' },
    {
      label: 'header not JSON',
      token: `${base64url('{')}.${payload}.${signature}`,
      code: 'unauthorised',
    },
    {
      label: 'a very long token',
      token: `${header}.${'A'.repeat(16_000)}.${signature}`,
      code: 'unauthorised',
    },
  ]
}
