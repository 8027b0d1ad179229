/**
 * A tool refusing what it was asked to do (a file that is not what it should be, a view that does
 * not exist) before changing anything. The message is for the person running the tool.
 */
export class RefusedError extends Error {
  override name = 'RefusedError'
}
