/**
 * Waits for a child process started from `serve.ts` or `serve_functions.ts` to print its
 * `{"ready":...}` line, and returns what that line holds. Lines before it go to `onEarlierLine`;
 * after it the output is drained, so the child never blocks on a full pipe.
 */
export async function waitForReadyLine<T>(
  child: Deno.ChildProcess,
  what: string,
  onEarlierLine: (line: string) => void = () => {},
): Promise<T> {
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader()
  let buffered = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (done) throw new Error(`${what} stopped before it was ready`)
    buffered += value
    const lines = buffered.split('\n')
    buffered = lines.pop() ?? ''
    const ready = lines.find((line) => line.startsWith('{"ready":'))
    if (ready) {
      ;(async () => {
        while (!(await reader.read()).done) {
          // discard
        }
      })()
      return JSON.parse(ready).ready
    }
    for (const line of lines) onEarlierLine(line)
  }
}
