/**
 * A small world for the support function's tests, written into the stack's database by the world
 * builder (tests/world.ts) with names unique to each call: a school's partnership (from `createSchoolLink`), a signed-in user of
 * its lead provider, a signed-in DfE support user, and a client that calls the `support` function
 * through the gateway as either of them or as nobody.
 */
import type postgres from 'postgres'
import { createSchoolLink, type LinkOptions, type SchoolLink } from './_challenge_world.ts'
import { connect, createUser, signIn, stack } from './_stack.ts'
import * as insert from './world.ts'

export type SignedInUser = { id: string; email: string; fullName: string; accessToken: string }

export type SupportWorld = {
  link: SchoolLink
  support: SignedInUser
  provider: SignedInUser
}

export async function createSupportWorld(
  sql: postgres.Sql,
  options: LinkOptions = {},
): Promise<SupportWorld> {
  const link = await createSchoolLink(sql, options)
  const supportUser = await createUser('support')
  const supportName = `Sam Support ${supportUser.id.slice(0, 8)}`
  await insert.supportUser(sql, {
    userId: supportUser.id,
    email: supportUser.email,
    fullName: supportName,
  })
  const providerUser = await createUser('provider')
  const providerName = `Pat Provider ${providerUser.id.slice(0, 8)}`
  await insert.providerUser(sql, {
    userId: providerUser.id,
    leadProviderId: link.leadProviderId,
    email: providerUser.email,
    fullName: providerName,
  })
  const [support, provider] = await Promise.all([
    signedIn(supportUser, supportName),
    signedIn(providerUser, providerName),
  ])
  return { link, support, provider }
}

/** A test body run with a database connection and a fresh world, closing the connection after. */
export function withSupportWorld(
  fn: (sql: postgres.Sql, world: SupportWorld) => Promise<void>,
  options: LinkOptions = {},
): () => Promise<void> {
  return async () => {
    const sql = connect()
    try {
      await fn(sql, await createSupportWorld(sql, options))
    } finally {
      await sql.end()
    }
  }
}

async function signedIn(
  user: { id: string; email: string },
  fullName: string,
): Promise<SignedInUser> {
  const { session } = await signIn(user.email)
  return { ...user, fullName, accessToken: session.access_token }
}

export type SupportAnswer = { status: number; body: Record<string, unknown> }

/** Calls `/functions/v1/support<path>` as `caller` (or signed out) and reads the JSON answer. */
export async function callSupport(
  caller: SignedInUser | undefined,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<SupportAnswer> {
  const headers: Record<string, string> = { apikey: stack.publishableKey }
  if (caller) headers.authorization = `Bearer ${caller.accessToken}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(`${stack.apiUrl}/functions/v1/support${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: response.status, body: await response.json() }
}
