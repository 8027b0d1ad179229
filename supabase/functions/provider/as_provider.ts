/**
 * Runs work as the signed-in lead provider user: one transaction under RLS with their claims,
 * refused with 403 when the person signed in is not a provider user (a support user, say).
 */
import type { Database, Tx, UserClaims } from '../_shared/db.ts'
import { AppError } from '../_shared/errors.ts'
import { findProvider, type Provider } from './provider_data.ts'

export function asProvider<T>(
  database: Database,
  claims: UserClaims,
  work: (tx: Tx, provider: Provider) => Promise<T>,
): Promise<T> {
  return database.withUser(claims, async (tx) => {
    const provider = await findProvider(tx, claims.sub)
    if (!provider) {
      throw new AppError(
        403,
        'not_a_provider_user',
        'You do not have access to the lead provider service',
      )
    }
    return await work(tx, provider)
  })
}
