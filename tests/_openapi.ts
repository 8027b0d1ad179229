/**
 * Holds the Lead Provider API to its OpenAPI document (supabase/functions/lead-provider-api/
 * openapi.json): `assertMatchesOpenApi` finds the operation a request reached and checks the
 * answer's status is documented and its body matches the documented schema, with ajv on JSON
 * Schema 2020-12 (OpenAPI 3.1's dialect). Every answer the API tests receive goes through it.
 */
import { Ajv2020 } from 'ajv/dist/2020.js'
import openApi from '../supabase/functions/lead-provider-api/openapi.json' with {
  type: 'json',
}

export const openApiDocument = openApi

type Operation = {
  responses: Record<string, { content?: Record<string, unknown> }>
}

const ajv = new Ajv2020({ strict: false, allErrors: true })
ajv.addFormat(
  'uuid',
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
)
ajv.addFormat(
  'date-time',
  (value: string) =>
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(value) &&
    !Number.isNaN(Date.parse(value)),
)
ajv.addSchema(openApi, 'openapi')

/** `/partnerships/0f…` → `/partnerships/{id}`, by the document's own paths. */
function templateOf(path: string): string | undefined {
  return Object.keys(openApi.paths).find((template) =>
    new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path)
  )
}

/** Whether openapi.json documents this status for this method and path at all. */
export function isDocumented(method: string, path: string, status: number): boolean {
  const template = templateOf(path)
  const operation = template === undefined
    ? undefined
    : (openApi.paths as Record<string, Record<string, Operation>>)[template]?.[method.toLowerCase()]
  return operation?.responses[String(status)] !== undefined
}

function pointer(...parts: string[]): string {
  return parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1'))
    .join('/')
}

/**
 * Throws unless the document describes this answer: method and path, status, content type and
 * body. `path` is after the function's name, without the query string.
 */
export function assertMatchesOpenApi(
  answer: {
    method: string
    path: string
    status: number
    contentType: string
    body: unknown
  },
): void {
  const template = templateOf(answer.path)
  const what = `${answer.method} ${answer.path} ${answer.status}`
  if (!template) throw new Error(`${what}: the path is not in openapi.json`)
  const method = answer.method.toLowerCase()
  const operation = (openApi.paths as Record<string, Record<string, Operation>>)[template]
    ?.[method]
  if (!operation) throw new Error(`${what}: the method is not in openapi.json`)
  const response = operation.responses[String(answer.status)]
  if (!response) throw new Error(`${what}: the status is not in openapi.json`)
  const type = answer.contentType.split(';')[0]!.trim()
  if (!response.content?.[type]) {
    throw new Error(`${what}: content type ${type} is not in openapi.json`)
  }
  const ref = `openapi#/${
    pointer(
      'paths',
      template,
      method,
      'responses',
      String(answer.status),
      'content',
      type,
      'schema',
    )
  }`
  const validate = ajv.getSchema(ref)
  if (!validate) throw new Error(`${what}: no schema at ${ref}`)
  if (!validate(answer.body)) {
    throw new Error(
      `${what}: the body departs from openapi.json: ${ajv.errorsText(validate.errors)}`,
    )
  }
}
