/**
 * The challenge function: what a school's "report a mistake" link points at, and the report
 * itself. No sign-in: the link's token is the credential, so it travels only in request bodies
 * and is never logged. Answers: 200; 404 unknown or malformed link; 409 already reported (with
 * the school's name); 410 link expired, or superseded (the school was reported again since this
 * link was sent: code `link_superseded`); 422 no reason or an unknown one.
 *
 *   POST /challenge/status {token}          -> 200 the partnership's details and the reasons
 *   POST /challenge/report {token, reason}  -> 200 {status: "challenged", school_name}
 *   POST /challenge/new-link {urn}          -> 200 {status: "accepted"} whether or not the URN
 *                                              matched; 429 urn_limit or client_limit
 */
import type { Context } from 'hono'
import { z } from 'zod'
import { AppError, type ErrorBody } from '../_shared/errors.ts'
import type { FunctionDeps } from '../_shared/function_deps.ts'
import { functionApp, jsonOrPlainText, validatedJsonText } from '../_shared/http.ts'
import { challengeByToken, linkStatus } from './link_store.ts'
import { requestNewLink } from './new_link_store.ts'
import { reasonList } from './reason_list.ts'
import { clientAddressHash } from './client_address.ts'
import { reasonRequired } from '../_shared/wording.ts'

/** The emailed token: 32 random bytes, base64url without padding. */
const tokenPattern = /^[A-Za-z0-9_-]{43}$/

/** Long enough for any token or reason code; anything longer is not one of ours. */
const field = z.string().max(200)

export const statusRequestSchema = z.object({ token: field })
export type StatusRequest = z.infer<typeof statusRequestSchema>

export const reportRequestSchema = z.object({ token: field, reason: field })
export type ReportRequest = z.infer<typeof reportRequestSchema>

/** Any text: a malformed URN gets the same answer as an unknown one, so the page reveals nothing. */
export const newLinkRequestSchema = z.object({ urn: z.string().max(50) })
export type NewLinkRequest = z.infer<typeof newLinkRequestSchema>

/** The configuration and database the challenge function needs. */
export type ChallengeDeps = FunctionDeps<'webOrigin'>

export function createChallengeApp({ config, database }: ChallengeDeps) {
  // Bodies may come as text/plain: the report page's calls are CORS simple requests, so a
  // school's browser sends no preflight before them (web/src/report_api.ts).
  const app = functionApp('challenge', config, {
    maxBodyBytes: 4 * 1024,
    bodyTypes: jsonOrPlainText,
  })

  const reasons = reasonList(database)

  app.post('/status', validatedJsonText(statusRequestSchema), async (c) => {
    const { token } = c.req.valid('json')
    const link = await linkStatus(database.sql(), wellFormed(token))
    switch (link.status) {
      case 'open':
        return c.json({ ...link, reasons: await reasons() })
      case 'challenged':
        return alreadyReported(c, link.school_name)
      default:
        throw unusableLink(link.status)
    }
  })

  app.post('/report', validatedJsonText(reportRequestSchema), async (c) => {
    const { token, reason } = c.req.valid('json')
    const checkedToken = wellFormed(token)
    if (reason.trim() === '') {
      throw new AppError(422, 'reason_required', reasonRequired)
    }
    const result = await challengeByToken(database.sql(), checkedToken, reason)
    switch (result.status) {
      case 'challenged':
        return c.json({
          status: 'challenged',
          school_name: result.school_name,
        })
      case 'already_challenged':
        return alreadyReported(c, result.school_name)
      case 'invalid_reason':
        throw new AppError(422, 'invalid_reason', reasonRequired)
      default:
        throw unusableLink(result.status)
    }
  })

  app.post('/new-link', validatedJsonText(newLinkRequestSchema), async (c) => {
    const { urn } = c.req.valid('json')
    const result = await requestNewLink(
      database,
      urn,
      await clientAddressHash(c.req.raw.headers),
    )
    switch (result.status) {
      case 'accepted':
        return c.json({ status: 'accepted' })
      case 'urn_limit':
        throw new AppError(
          429,
          'urn_limit',
          'A new link has been asked for this school too often',
        )
      case 'client_limit':
        throw new AppError(
          429,
          'client_limit',
          'You have asked for too many new links',
        )
    }
  })

  return app
}

/** A token of the wrong shape cannot be one we sent: the same answer as an unknown one. */
function wellFormed(token: string): string {
  if (!tokenPattern.test(token)) throw linkNotFound()
  return token
}

/** A link that cannot be used, whichever route was given it: the same answer from each. */
function unusableLink(
  status: 'expired' | 'superseded' | 'not_found',
): AppError {
  switch (status) {
    case 'expired':
      return linkExpired()
    case 'superseded':
      return linkSuperseded()
    case 'not_found':
      return linkNotFound()
  }
}

function linkNotFound(): AppError {
  return new AppError(404, 'link_not_found', 'This link is not valid')
}

function linkExpired(): AppError {
  return new AppError(410, 'link_expired', 'This link has expired')
}

/** Gone, like an expired link: a newer email about the same school has a link that works. */
function linkSuperseded(): AppError {
  return new AppError(410, 'link_superseded', 'This link is no longer valid')
}

/** The one error that carries more than a code: the page names the school. */
function alreadyReported(c: Context, schoolName: string) {
  const body: ErrorBody & { error: { school_name: string } } = {
    error: {
      code: 'already_reported',
      message: `Someone at ${schoolName} has already reported this issue`,
      school_name: schoolName,
    },
  }
  return c.json(body, 409)
}
