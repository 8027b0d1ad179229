/** Hands a delivery receipt to the database, which decides what it means (see its migration). */
import type { Database } from '../_shared/db.ts'

export type ReceiptResult = 'recorded' | 'repeat' | 'ignored' | 'unknown'

export type Receipt = {
  id: string
  reference: string | null
  status: string
  completed_at: string | null
}

export async function recordReceipt(
  database: Database,
  receipt: Receipt,
): Promise<ReceiptResult> {
  const completedAt = receipt.completed_at === null ? null : new Date(receipt.completed_at)
  // One statement on its own, as the sender's calls are (notifications/outbox.ts): no
  // transaction or role around this `security definer` function, so fewer round trips per email.
  const sql = database.sql()
  const [row] = await sql<{ result: ReceiptResult }[]>`
    select app.record_delivery_receipt(
      ${receipt.id}, ${receipt.reference}, ${receipt.status}, ${completedAt}
    ) as result`
  if (!row) throw new Error('record_delivery_receipt returned no row')
  return row.result
}
