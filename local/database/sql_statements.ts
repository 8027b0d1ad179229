/**
 * Splits a migration file into statements the way the Supabase CLI does (its pkg/parser state
 * machine: quotes, dollar quotes, line and block comments, backslash escapes, parentheses and
 * BEGIN ATOMIC bodies), so the `statements` we record in supabase_migrations.schema_migrations
 * match what `supabase migration up` would record. Each statement keeps its comments and white
 * space, less the trailing semicolon and the white space around it.
 */

/** A tokenizer state; `next` returns the following state, or null to end the statement. */
interface State {
  /** `char` has just been appended to `token`, the statement read so far. */
  next(char: string, token: string): State | null
}

export function splitStatements(sql: string): string[] {
  const statements: string[] = []
  let state: State = readyState
  let token = ''
  const emit = () => {
    const trimmed = token.replace(/;+$/, '').trim()
    if (trimmed !== '') statements.push(trimmed)
    token = ''
  }
  for (const char of sql) {
    token += char
    const following = state.next(char, token)
    if (following === null) {
      emit()
      state = readyState
    } else {
      state = following
    }
  }
  emit()
  return statements
}

/** Outside any quote or comment: the state each statement starts in. */
const readyState: State = {
  next(char, token) {
    switch (char) {
      case '$':
        return tag(token.length - 1)
      case "'":
      case '"':
        return quoted(char)
      case '-':
        return lineCommentStart()
      case '/':
        return blockComment()
      case '\\':
        return escaped()
      case ';':
        return null
      case '(':
        return atomic(readyState, ')')
      case 'c':
      case 'C':
        return opensBeginAtomic(token) ? atomic(readyState, 'END') : readyState
      default:
        return readyState
    }
  },
}

/** True when `token` ends with the ATOMIC of `BEGIN ATOMIC`, preceded by white space. */
function opensBeginAtomic(token: string): boolean {
  const offset = token.length - 'ATOMIC'.length
  return offset > 0 && token.slice(offset).toUpperCase() === 'ATOMIC' &&
    /\s/.test(token.charAt(offset - 1))
}

function lineCommentStart(): State {
  return {
    next(char, token) {
      if (char === '-') return verbatimUntil('\n')
      return readyState.next(char, token)
    },
  }
}

function blockComment(): State {
  let depth = 0
  return {
    next(char, token) {
      if (token.endsWith('/*')) {
        depth += 1
        return this
      }
      if (depth === 0) return readyState.next(char, token)
      if (token.endsWith('*/')) {
        depth -= 1
        if (depth === 0) return readyState
      }
      return this
    },
  }
}

function quoted(delimiter: string): State {
  let closing = false
  return {
    next(char, token) {
      if (closing) {
        // A doubled delimiter is an escaped quote inside the literal.
        if (char === delimiter) {
          closing = false
          return this
        }
        return readyState.next(char, token)
      }
      if (char === delimiter) closing = true
      return this
    },
  }
}

/** Inside a dollar-quoted string or a line comment: nothing is special until `delimiter`. */
function verbatimUntil(delimiter: string): State {
  return {
    next(_char, token) {
      return token.endsWith(delimiter) ? readyState : this
    },
  }
}

/** After a `$` at `offset`: either a dollar-quote tag such as `$body$`, or not a tag at all. */
function tag(offset: number): State {
  return {
    next(char, token) {
      if (char === '$') return verbatimUntil(token.slice(offset))
      if (/^[\p{L}\p{Nd}_]$/u.test(char)) return this
      return readyState.next(char, token)
    },
  }
}

function escaped(): State {
  return { next: () => readyState }
}

/** Inside parentheses or a BEGIN ATOMIC body: semicolons do not end the statement. */
function atomic(outer: State, delimiter: string): State {
  let inner = outer
  return {
    next(char, token) {
      inner = inner.next(char, token) ?? inner
      if (inner === readyState && token.slice(-delimiter.length).toUpperCase() === delimiter) {
        return readyState
      }
      return this
    },
  }
}
