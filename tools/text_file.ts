/**
 * Reads an uploaded text file. GIAS downloads are Windows-1252, not UTF-8, so a file that is not
 * valid UTF-8 is read as Windows-1252 rather than turning accented school names into '\uFFFD'.
 */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return new TextDecoder('windows-1252').decode(bytes)
  }
}

export async function readTextFile(path: string): Promise<string> {
  return decodeText(await Deno.readFile(path))
}
