/**
 * What every function's app factory takes: the parts of the configuration it reads and its
 * database. `index.ts` passes the platform's (`platformDeps`), the local gateway the same built
 * from the environment it gives each function, and handler tests a literal configuration and a
 * database bound to a transaction they roll back.
 */
import { type Config, environmentConfig } from './config.ts'
import { type Database, poolDatabase } from './db.ts'

export type FunctionDeps<K extends keyof Config> = {
  config: Pick<Config, K>
  database: Database
}

/** The configuration read from the environment, and a pool of the function's own for it. */
export function platformDeps(config: Config = environmentConfig()): FunctionDeps<keyof Config> {
  return { config, database: poolDatabase(config.databaseUrl) }
}
