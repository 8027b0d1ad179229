/**
 * Takes out of a rendered page the indentation and blank lines that Nunjucks templates leave
 * behind (an eighth of the report page), keeping one line break wherever there was white space,
 * so text reads the same. Inside `<pre>` and `<textarea>`, where white space is content, every
 * line is kept as it is.
 */
export function compactHtml(html: string): string {
  let verbatim = 0
  const lines: string[] = []
  for (const line of html.split('\n')) {
    if (verbatim > 0) lines.push(line)
    else if (line.trim() !== '') lines.push(line.trimStart())
    verbatim += count(line, /<(pre|textarea)\b/gi) - count(line, /<\/(pre|textarea)\s*>/gi)
  }
  return lines.join('\n')
}

function count(line: string, pattern: RegExp): number {
  return line.match(pattern)?.length ?? 0
}
