/// <reference lib="dom" />
/** Hands a file made in the page (or fetched with the person's token) to the browser to save. */

export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob)
  const anchor = document.createElement('a')
  anchor.href = url
  anchor.download = filename
  document.body.append(anchor)
  anchor.click()
  anchor.remove()
  // Some browsers read the file after click() returns; give them time before letting it go.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
