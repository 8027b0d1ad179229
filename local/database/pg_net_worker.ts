/**
 * Performs the HTTP requests queued by the pg_net shim, as pg_net's background worker does: takes
 * committed rows from net.http_request_queue, sends them with fetch (honouring each request's
 * timeout, not following redirects, as pg_net's libcurl does not), records each outcome in
 * net._http_response and forgets responses older than pg_net's default TTL of 6 hours. It wakes on
 * the NOTIFY the queue's trigger sends at commit, and polls as a fallback. Like pg_net, a request
 * taken from the queue is lost if the worker dies before sending it.
 */
import postgres from 'postgres'

export interface NetWorkerOptions {
  /** Fallback poll interval; the NOTIFY wake-up makes this rarely matter. */
  pollMs?: number
  /** Most requests in flight at once (pg_net's `pg_net.batch_size` defaults to 200). */
  batchSize?: number
}

export interface NetWorker {
  /** Resolves once the worker listens for commits, rejects if it cannot. */
  ready: Promise<void>
  /** Sends every queued request now and resolves when all their responses are recorded. */
  drain(): Promise<number>
  /** Stops taking requests, cancels those in flight (recording the cancellation) and disconnects. */
  stop(): Promise<void>
}

interface QueuedRequest {
  id: string
  method: string
  url: string
  headers: Record<string, unknown>
  body: Uint8Array<ArrayBuffer> | null
  timeout_milliseconds: number
}

interface Outcome {
  status_code: number | null
  content_type: string | null
  headers: Record<string, string> | null
  content: string | null
  timed_out: boolean
  error_msg: string | null
}

const channel = 'local_pg_net'
const responseTtl = '6 hours'

export function startNetWorker(
  url: string,
  { pollMs = 1000, batchSize = 200 }: NetWorkerOptions = {},
): NetWorker {
  const sql = postgres(url, { max: 2, onnotice: () => {} })
  const stopping = new AbortController()
  const inFlight = new Set<Promise<void>>()
  let claiming: Promise<Promise<void>[]> | undefined
  let claimAgain = false

  /** Takes as many queued rows as there is room for and starts sending them. */
  async function claimAndSend(): Promise<Promise<void>[]> {
    const room = batchSize - inFlight.size
    if (room <= 0 || stopping.signal.aborted) return []
    const rows = await sql<QueuedRequest[]>`
      delete from net.http_request_queue
      where id in (
        select id from net.http_request_queue order by id limit ${room} for update skip locked
      )
      returning id, method, url, headers, body, timeout_milliseconds`
    return rows.map((row) => {
      const sending: Promise<void> = send(row, stopping.signal)
        .then((outcome) => record(sql, row.id, outcome))
        .catch((error) => console.error(`[pg_net] could not record a response: ${describe(error)}`))
        .finally(() => {
          inFlight.delete(sending)
          // Rows left behind for want of room go now that there is some.
          if (rows.length === room) void wake()
        })
      inFlight.add(sending)
      return sending
    })
  }

  /** Claims once, or once more after the current claim if woken meanwhile. */
  function wake(): Promise<Promise<void>[]> {
    if (claiming) {
      claimAgain = true
      return claiming
    }
    claiming = (async () => {
      const started: Promise<void>[] = []
      try {
        do {
          claimAgain = false
          started.push(...await claimAndSend())
        } while (claimAgain)
      } catch (error) {
        if (!stopping.signal.aborted) console.error(`[pg_net] ${describe(error)}`)
      } finally {
        claiming = undefined
      }
      return started
    })()
    return claiming
  }

  const poll = setInterval(() => {
    void wake()
    sql`delete from net._http_response where created < now() - ${responseTtl}::interval`
      .catch((error) => console.error(`[pg_net] ${describe(error)}`))
  }, pollMs)

  const listening = sql.listen(channel, () => void wake(), () => void wake())
  const ready = listening.then(() => undefined)
  // Callers may never await `ready`; the failure must not become an unhandled rejection.
  ready.catch((error) => console.error(`[pg_net] cannot listen for requests: ${describe(error)}`))

  return {
    ready,
    async drain() {
      let total = 0
      for (let started = await wake(); started.length > 0; started = await wake()) {
        total += started.length
        await Promise.all(started)
      }
      return total
    },
    async stop() {
      clearInterval(poll)
      stopping.abort()
      await listening.then(({ unlisten }) => unlisten()).catch(() => {})
      await claiming
      await Promise.allSettled(inFlight)
      await sql.end()
    },
  }
}

async function send(request: QueuedRequest, stopping: AbortSignal): Promise<Outcome> {
  const timeout = AbortSignal.timeout(request.timeout_milliseconds)
  const method = request.method.toUpperCase()
  try {
    const response = await fetch(request.url, {
      method,
      headers: Object.entries(request.headers ?? {}).map(([name, value]): [string, string] => [
        name,
        String(value),
      ]),
      body: method === 'GET' ? undefined : request.body ?? undefined,
      redirect: 'manual',
      signal: AbortSignal.any([timeout, stopping]),
    })
    const content = await response.text()
    return {
      status_code: response.status,
      content_type: response.headers.get('content-type'),
      headers: Object.fromEntries(response.headers),
      content,
      timed_out: false,
      error_msg: null,
    }
  } catch (error) {
    const timedOut = timeout.aborted
    const message = timedOut
      ? `Timeout of ${request.timeout_milliseconds} ms reached`
      : stopping.aborted
      ? 'Request cancelled: the local platform worker stopped'
      : describe(error)
    return {
      status_code: null,
      content_type: null,
      headers: null,
      content: null,
      timed_out: timedOut,
      error_msg: message,
    }
  }
}

async function record(sql: postgres.Sql, id: string, outcome: Outcome): Promise<void> {
  await sql`
    insert into net._http_response
      (id, status_code, content_type, headers, content, timed_out, error_msg)
    values (
      ${id}, ${outcome.status_code}, ${outcome.content_type},
      ${outcome.headers === null ? null : sql.json(outcome.headers)}, ${outcome.content},
      ${outcome.timed_out}, ${outcome.error_msg}
    )`
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
