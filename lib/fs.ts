/**
 * File-system helpers for the tooling around the product (`local/`, `checks/`): nothing here is
 * product code, and product code (`supabase/`, `web/`) does not import it.
 */

/** Whether `path` exists; any error other than "not found" (permissions, say) is thrown. */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path)
    return true
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false
    throw error
  }
}
