/**
 * A partnership's copy of its school's name and URN (migration 20261130220000), which the portal's
 * list sorts and searches by: filled when a school is reported, and kept equal to the school's
 * when the school is renamed, whoever renames it. Each test's world is rolled back.
 */
import assert from 'node:assert/strict'
import {
  actAs,
  actAsOwner,
  createSchool,
  reportAs,
  type Tx,
  uniqueUrn,
  type World,
  worldTest,
} from './_db.ts'

/** A new school that provider A has reported; the transaction then acts as `service_role`. */
async function reportedSchool(tx: Tx, world: World) {
  const school = await createSchool(tx)
  await reportAs(tx, world.a.userId, world, world.a.deliveryPartnerId, [school.urn])
  await actAs(tx, 'service_role')
  return school
}

/** The school's partnerships hold exactly this name and URN. */
async function assertCopies(tx: Tx, schoolId: string, name: string, urn: string) {
  await actAsOwner(tx)
  const copies = await tx<{ school_name: string; school_urn: string }[]>`
    select school_name, school_urn from public.partnerships where school_id = ${schoolId}`
  assert.deepEqual([...copies], [{ school_name: name, school_urn: urn }])
}

worldTest(
  'report_schools() gives each partnership its school’s name and URN',
  async (tx, world) => {
    const school = await reportedSchool(tx, world)
    await assertCopies(tx, school.schoolId, school.name, school.urn)
  },
)

worldTest(
  'a renamed school is renamed in its partnerships, and its provider finds it by the new name',
  async (tx, world) => {
    const school = await reportedSchool(tx, world)
    const urn = uniqueUrn()
    await tx`
      update public.schools set name = 'Renamed Primary Academy', urn = ${urn}
      where school_id = ${school.schoolId}`
    await assertCopies(tx, school.schoolId, 'Renamed Primary Academy', urn)

    await actAs(tx, 'app_user', world.a.userId)
    const found = await tx<{ school_name: string }[]>`
      select school_name from public.partnerships where school_name ilike '%renamed primary%'`
    assert.deepEqual([...found], [{ school_name: 'Renamed Primary Academy' }])
  },
)

worldTest(
  'a partnership’s copies follow its school, and cannot be set to anything else',
  async (tx, world) => {
    const school = await reportedSchool(tx, world)
    await tx`
      update public.partnerships set school_name = 'Not Its Name', school_urn = '1'
      where school_id = ${school.schoolId}`
    await assertCopies(tx, school.schoolId, school.name, school.urn)

    await actAs(tx, 'service_role')
    const other = await createSchool(tx)
    await tx`
      update public.partnerships set school_id = ${other.schoolId}
      where school_id = ${school.schoolId}`
    await assertCopies(tx, other.schoolId, other.name, other.urn)
  },
)
