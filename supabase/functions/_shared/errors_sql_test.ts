/**
 * How every function answers what Postgres raises: an `app.*` refusal (SQLSTATE P0001) becomes a
 * 4xx with its code and hint, anything else a generic 500 whose log line names no value. The
 * errors are raised by the real database, in a transaction rolled back after each test.
 */
import assert from 'node:assert/strict'
import { handlerTest, testConfig } from '../../../tests/_handlers.ts'
import type { Database } from './db.ts'
import { fromSqlRefusal } from './errors.ts'
import { functionApp } from './http.ts'

function testApp(database: Database) {
  const app = functionApp('greet', testConfig)
  app.get('/refused', async () => {
    await database.withService((tx) =>
      tx`do $$ begin raise exception 'delivery_partner_not_related'
        using hint = 'This delivery partner does not work with you'; end $$`
    ).catch((error) => {
      throw fromSqlRefusal(error, { delivery_partner_not_related: 409 })
    })
    return new Response(null, { status: 204 })
  })
  app.get('/refused-unlisted', async () => {
    await database.withService((tx) =>
      tx`do $$ begin raise exception 'some_rule' using hint = 'A rule said no'; end $$`
    )
    return new Response(null, { status: 204 })
  })
  app.get('/broken', async () => {
    await database.withService((tx) => tx`select 'not a uuid'::uuid`)
    return new Response(null, { status: 204 })
  })
  return app
}

handlerTest(
  'a P0001 refusal answers the status given for its code, else 422, with its hint',
  async ({ database }) => {
    const app = testApp(database)
    const answers = [
      [
        '/greet/refused',
        409,
        'delivery_partner_not_related',
        'This delivery partner does not work with you',
      ],
      ['/greet/refused-unlisted', 422, 'some_rule', 'A rule said no'],
    ] as const
    for (const [path, status, code, message] of answers) {
      const response = await app.request(path)
      assert.deepEqual({ status: response.status, body: await response.json() }, {
        status,
        body: { error: { code, message } },
      })
    }
  },
)

handlerTest(
  'onError() answers an unexpected database error with a generic 500 and logs no values',
  async ({ database }) => {
    const logged: string[] = []
    const original = console.error
    console.error = (...args: unknown[]) => logged.push(args.join(' '))
    try {
      const response = await testApp(database).request('/greet/broken')
      assert.equal(response.status, 500)
      assert.deepEqual(await response.json(), {
        error: { code: 'internal_error', message: 'Sorry, there is a problem with the service' },
      })
    } finally {
      console.error = original
    }
    assert.equal(logged.length, 1)
    assert.match(logged[0]!, /"sqlstate":"22P02"/)
    assert.doesNotMatch(logged[0]!, /not a uuid/)
  },
)
