/**
 * GOV.UK Notify API keys: `<key name>-<service id>-<secret>`, both ids UUIDs. The clients take
 * the last 36 characters as the signing secret and the 36 before the last hyphen as the service
 * id (notifications-node-client `client/api_client.js`), so key names may contain hyphens.
 */

export type ApiKey = { name: string; serviceId: string; secret: string }

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function isUuid(value: string): boolean {
  return uuidPattern.test(value)
}

export function parseApiKey(key: string): ApiKey {
  const secret = key.slice(-36)
  const serviceId = key.slice(-73, -37)
  const name = key.slice(0, -74)
  if (
    !isUuid(secret) || !isUuid(serviceId) || key.at(-37) !== '-' || key.at(-74) !== '-' || !name
  ) {
    throw new Error('A Notify API key looks like <key name>-<service id uuid>-<secret uuid>')
  }
  return { name, serviceId: serviceId.toLowerCase(), secret }
}

/** A fresh key for a local service: a new service id and secret under the given key name. */
export function generateApiKey(name = 'local'): string {
  return `${name}-${crypto.randomUUID()}-${crypto.randomUUID()}`
}
