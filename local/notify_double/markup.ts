/**
 * Renders GOV.UK Notify's email markup, after placeholders are filled, as Notify's plain-text
 * email part (alphagov/notifications-utils `markdown.py`, NotifyPlainTextEmailMarkdownRenderer)
 * and as plain semantic HTML for the mailbox page. Notify's markup is a cut-down Markdown:
 * `#` and `##` headings, `*`/`-`/`•` and `1.` lists, `^` inset text, `---` rules, links and bare
 * URLs, and every line break kept (mistune's hard_wrap). Emphasis and code are not supported,
 * so `*` and backticks inside a line stay as typed.
 */

type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'break' }
  | { kind: 'link'; text: string; url: string; title?: string }
  | { kind: 'url'; url: string }

type Block =
  | { kind: 'heading'; level: number; content: Inline[] }
  | { kind: 'rule' }
  | { kind: 'paragraph'; content: Inline[] }
  | { kind: 'list'; ordered: boolean; items: Inline[][] }
  | { kind: 'inset'; blocks: Block[] }

const headingLine = /^ *(#{1,6}) *(.+?) *#* *$/
const ruleLine = /^ {0,3}[-*_](?: *[-*_]){2,} *$/
const insetLine = /^ *\^/
const listLine = /^ *([•*-]|\d+\.)/
const underlineLine = /^ *(=+|-+) *$/

/** Notify's plain-text column width for heading underlines and rules. */
const COLUMN_WIDTH = 65

export function renderPlainText(markup: string): string {
  const text = parseBlocks(toLines(markup)).map(plainBlock).join('')
  return `${text.trim()}\n`
}

/**
 * Notify shows `#` as a second-level heading and `##` as a third; a page that shows the email
 * under its own headings can start lower.
 */
export function renderHtml(markup: string, { topHeadingLevel = 2 } = {}): string {
  return parseBlocks(toLines(markup)).map((block) => htmlBlock(block, topHeadingLevel)).join('\n')
}

function toLines(markup: string): string[] {
  return markup.replace(/\r\n?/g, '\n').split('\n')
}

function isBlank(line: string | undefined): boolean {
  return line === undefined || line.trim() === ''
}

function startsBlock(lines: string[], i: number): boolean {
  const line = lines[i]!
  return headingLine.test(line) || ruleLine.test(line) || insetLine.test(line) ||
    listLine.test(line) || startsUnderlinedHeading(lines, i)
}

function startsUnderlinedHeading(lines: string[], i: number): boolean {
  return !isBlank(lines[i]) && underlineLine.test(lines[i + 1] ?? '')
}

function parseBlocks(lines: string[]): Block[] {
  const blocks: Block[] = []
  let i = 0
  while (i < lines.length) {
    const line = lines[i]!
    const heading = headingLine.exec(line)
    if (isBlank(line)) {
      i++
    } else if (ruleLine.test(line)) {
      blocks.push({ kind: 'rule' })
      i++
    } else if (heading) {
      blocks.push({ kind: 'heading', level: heading[1]!.length, content: parseInline(heading[2]!) })
      i++
    } else if (startsUnderlinedHeading(lines, i)) {
      const level = lines[i + 1]!.trim().startsWith('=') ? 1 : 2
      blocks.push({ kind: 'heading', level, content: parseInline(line.trim()) })
      i += 2
    } else if (insetLine.test(line)) {
      const inset: string[] = []
      // An inset runs on through following lines, and past a blank line into another `^` line.
      while (i < lines.length && (!isBlank(lines[i]) || insetLine.test(lines[i + 1] ?? ''))) {
        inset.push(lines[i]!.replace(/^ *\^ ?/, ''))
        i++
      }
      blocks.push({ kind: 'inset', blocks: parseBlocks(inset) })
    } else if (listLine.test(line)) {
      const ordered = /^ *\d/.test(line)
      const items: string[][] = []
      while (i < lines.length && !ruleLine.test(lines[i]!)) {
        const current = lines[i]!
        if (isBlank(current)) {
          // A blank line ends the list unless the next line is another item or indented.
          const next = lines[i + 1]
          if (next === undefined || !(listLine.test(next) || /^ +\S/.test(next))) break
        } else if (listLine.test(current)) {
          items.push([current.replace(listLine, '').trim()])
        } else {
          items.at(-1)!.push(current.trim())
        }
        i++
      }
      blocks.push({
        kind: 'list',
        ordered,
        items: items.map((item) => parseInline(item.join('\n'))),
      })
    } else {
      const paragraph = [line.trim()]
      i++
      while (i < lines.length && !isBlank(lines[i]) && !startsBlock(lines, i)) {
        paragraph.push(lines[i]!.trim())
        i++
      }
      blocks.push({ kind: 'paragraph', content: parseInline(paragraph.join('\n')) })
    }
  }
  return blocks
}

// mistune's inline link, autolink and Notify's bare-URL rule (InlineGrammar.url).
const inlinePattern =
  /\[([^\]\n]*)\]\(\s*<?([^\s)>]*)>?(?:\s+["']([^"'\n]*)["'])?\s*\)|<(https?:\/\/[^ >]+|mailto:[^ >]+)>|(https?:\/\/[^\s<]+[^<.,:"')\]\s])|\n/g

function parseInline(text: string): Inline[] {
  const content: Inline[] = []
  let last = 0
  for (const match of text.matchAll(inlinePattern)) {
    if (match.index > last) content.push({ kind: 'text', text: text.slice(last, match.index) })
    const [whole, linkText, linkUrl, title, autolink, url] = match
    if (whole === '\n') content.push({ kind: 'break' })
    else if (linkUrl !== undefined) {
      content.push({ kind: 'link', text: linkText!, url: linkUrl, ...(title ? { title } : {}) })
    } else content.push({ kind: 'url', url: (autolink ?? url)! })
    last = match.index + whole.length
  }
  if (last < text.length) content.push({ kind: 'text', text: text.slice(last) })
  return content
}

function plainInline(content: Inline[]): string {
  return content.map((item) => {
    switch (item.kind) {
      case 'text':
        return item.text
      case 'break':
        return '\n'
      case 'link':
        return `${item.text}${item.title ? ` (${item.title})` : ''}: ${item.url}`
      case 'url':
        return item.url
    }
  }).join('')
}

function plainParagraph(text: string): string {
  return text.trim() ? `\n\n${text}` : ''
}

function plainBlock(block: Block): string {
  switch (block.kind) {
    case 'heading': {
      const text = plainInline(block.content)
      if (block.level > 2) return plainParagraph(text)
      return `\n\n\n${text}\n${(block.level === 1 ? '=' : '-').repeat(COLUMN_WIDTH)}`
    }
    case 'rule':
      return plainParagraph('=-'.repeat(COLUMN_WIDTH).slice(0, COLUMN_WIDTH))
    case 'paragraph':
      return plainParagraph(plainInline(block.content))
    case 'list':
      return `\n${
        block.items.map((item, index) =>
          `\n${block.ordered ? `${index + 1}.` : '•'} ${plainInline(item).trim()}`
        ).join('')
      }`
    case 'inset':
      return block.blocks.map(plainBlock).join('')
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
}

/** Only web and mail links become anchors: anything else is shown as the text it is. */
function safeHref(url: string): string | undefined {
  return /^(https?:\/\/|mailto:)/i.test(url) ? escapeHtml(url) : undefined
}

function htmlInline(content: Inline[]): string {
  return content.map((item) => {
    switch (item.kind) {
      case 'text':
        return escapeHtml(item.text)
      case 'break':
        return '<br>'
      case 'link': {
        const href = safeHref(item.url)
        const title = item.title ? ` title="${escapeHtml(item.title)}"` : ''
        return href
          ? `<a href="${href}"${title}>${escapeHtml(item.text)}</a>`
          : escapeHtml(`${item.text}: ${item.url}`)
      }
      case 'url': {
        const href = safeHref(item.url)
        return href ? `<a href="${href}">${escapeHtml(item.url)}</a>` : escapeHtml(item.url)
      }
    }
  }).join('')
}

function htmlBlock(block: Block, topHeadingLevel: number): string {
  switch (block.kind) {
    case 'heading': {
      // Only `#` and `##` are headings in Notify; deeper ones read as ordinary text.
      const text = htmlInline(block.content)
      const tag = `h${topHeadingLevel + block.level - 1}`
      return block.level > 2 ? `<p>${text}</p>` : `<${tag}>${text}</${tag}>`
    }
    case 'rule':
      return '<hr>'
    case 'paragraph':
      return `<p>${htmlInline(block.content)}</p>`
    case 'list': {
      const tag = block.ordered ? 'ol' : 'ul'
      const items = block.items.map((item) => `<li>${htmlInline(item)}</li>`).join('')
      return `<${tag}>${items}</${tag}>`
    }
    case 'inset':
      return `<blockquote class="inset">${
        block.blocks.map((inner) => htmlBlock(inner, topHeadingLevel)).join('\n')
      }</blockquote>`
  }
}
