/**
 * Serves a fetch-style handler over node:http rather than Deno.serve, because a "drop" fault
 * needs what Deno.serve cannot give: destroying the socket so the client sees a connection
 * reset and no HTTP answer at all.
 */
import { Buffer } from 'node:buffer'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'

export type ServerEnv = {
  drop(): void
  /** Runs `fn` once this request's answer has been written (an outage starts after saying so). */
  afterAnswer(fn: () => void): void
}
export type FetchHandler = (request: Request, env: ServerEnv) => Response | Promise<Response>

export type HttpServer = { port: number; close(): Promise<void> }

export function listen(
  handler: FetchHandler,
  { port, hostname }: { port: number; hostname: string },
): Promise<HttpServer> {
  const server = createServer(async (req, res) => {
    let dropped = false
    const after: (() => void)[] = []
    const env = {
      drop() {
        dropped = true
        req.socket.destroy()
      },
      afterAnswer(fn: () => void) {
        after.push(fn)
      },
    }
    try {
      const response = await handler(await toRequest(req, hostname), env)
      if (dropped) return
      const body = Buffer.from(await response.arrayBuffer())
      res.writeHead(response.status, Object.fromEntries(response.headers))
      res.end(body, () => after.forEach((fn) => fn()))
    } catch {
      // The handler answers every error itself; this is a client that went away mid-request.
      if (!res.headersSent) res.writeHead(500)
      res.end()
    }
  })

  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, hostname, () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done())
            server.closeAllConnections()
          }),
      })
    })
  })
}

async function toRequest(req: IncomingMessage, hostname: string): Promise<Request> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item)
  }
  const method = req.method ?? 'GET'
  const host = req.headers.host ?? hostname
  return new Request(`http://${host}${req.url ?? '/'}`, {
    method,
    headers,
    body: method === 'GET' || method === 'HEAD' ? undefined : Buffer.concat(chunks),
  })
}
