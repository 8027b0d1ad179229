/**
 * `deno task dev`: the whole service on this machine, on the default ports (each movable, see
 * docs/architecture.md), keeping its data in `.local/` so a second run picks up where the last
 * one stopped. Prints where everything is and who can sign in; Ctrl-C stops it all.
 * `deno task reset` (`--reset`) empties the local data instead.
 */
import postgres from 'postgres'
import { localSettings } from './config.ts'
import { resetDatabase } from './database/migrations.ts'
import { startStack } from './stack.ts'

const settings = localSettings()

if (Deno.args.includes('--reset')) {
  if (settings.databaseUrl) {
    await resetDatabase(settings.databaseUrl)
    console.log(
      'The database at DATABASE_URL is empty; the next `deno task dev` migrates and seeds it.',
    )
  } else {
    await Deno.remove(settings.dataDir, { recursive: true }).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error
    })
    console.log(`Removed ${settings.dataDir}; the next \`deno task dev\` starts afresh.`)
  }
  Deno.exit(0)
}

const stack = await startStack({
  ports: settings.ports,
  dataDir: settings.dataDir,
  databaseUrl: settings.databaseUrl,
  databaseAdminUrl: settings.databaseAdminUrl,
})

let stopping: Promise<void> | undefined
function shutdown(): Promise<void> {
  return stopping ??= (async () => {
    console.log('\nStopping…')
    await stack.stop()
    Deno.exit(0)
  })()
}
Deno.addSignalListener('SIGINT', shutdown)
Deno.addSignalListener('SIGTERM', shutdown)

const people = await demoPeople(stack.urls.db)
console.log(`
Report a mistake with early career teacher training: running locally

  Site (report a mistake, sign in)   ${stack.urls.web}
  API gateway                        ${stack.urls.api}
    functions                        ${stack.urls.api}/functions/v1/<name>  (${
  stack.functions.join(', ') || 'none yet'
})
    auth                             ${stack.urls.api}/auth/v1
  GOV.UK Notify double (mailbox)     ${stack.urls.notify}
  Postgres                           ${stack.urls.db}

  Publishable key                    ${stack.keys.publishable}
  Secret key                         ${stack.keys.secret}

Sign in with an emailed code (read it in the mailbox) as:
${
  people.length
    ? people.map((person) => `  ${person}`).join('\n')
    : '  (no provider or support users in the database yet)'
}

Data is kept in ${settings.databaseUrl ? 'the database at DATABASE_URL' : settings.dataDir}.
Ready. Press Ctrl-C to stop.`)

/** The seeded people who can sign in; the tables may not exist while the schema is written. */
async function demoPeople(url: string): Promise<string[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    const [tables] = await sql<{ providers: boolean; support: boolean }[]>`
      select to_regclass('public.provider_users') is not null
          and to_regclass('public.lead_providers') is not null as providers,
        to_regclass('public.support_users') is not null as support`
    const providers = tables?.providers
      ? await sql<{ email: string; name: string }[]>`
        select pu.email, lp.name from public.provider_users pu
        join public.lead_providers lp using (lead_provider_id)
        order by lp.name, pu.email`
      : []
    const support = tables?.support
      ? await sql<{ email: string }[]>`select email from public.support_users order by email`
      : []
    return [
      ...providers.map(({ email, name }) => `${email.padEnd(42)} lead provider user, ${name}`),
      ...support.map(({ email }) => `${email.padEnd(42)} DfE support user`),
    ]
  } finally {
    await sql.end()
  }
}
