// A notebook is JSON, and a broken one must be reported where it breaks:
// `JSON.parse` names no line, and on Node 20 not always an offset. This reads
// the text once, without recursion (a hostile file may nest a million deep),
// and notes where the values the notebook reader asks for begin, so that a
// cell's text can be traced back to its line in the file.

/** A value's place in the document, as the keys and indices leading to it. */
export type JsonPath = readonly (string | number)[]

export interface JsonRead {
  /** The document, when it is valid JSON. */
  value?: unknown
  /** Where the recorded values begin, as offsets, by path joined with `/`. */
  places: Map<string, number>
  /** Where and why the text is not JSON. */
  error?: { offset: number; reason: string }
}

export interface JsonOptions {
  /** Whether to note where the value at `path` begins. Asked only for values `maxDepth` deep or less. */
  record: (path: JsonPath) => boolean
  /** Deepest path `record` is asked about. Default: 6. */
  maxDepth?: number
  /** Most places noted; later ones are not (their readers fall back to a place further out). Default: 1 000 000. */
  maxPlaces?: number
}

type Frame =
  | { kind: 'object'; key: string; expect: 'key' | 'colon' | 'value' | 'comma'; empty: boolean }
  | { kind: 'array'; index: number; expect: 'value' | 'comma'; empty: boolean }

const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
const whitespace = /[ \t\n\r]*/y

export function readJson(text: string, options: JsonOptions): JsonRead {
  const places = new Map<string, number>()
  const maxDepth = options.maxDepth ?? 6
  const maxPlaces = options.maxPlaces ?? 1_000_000
  const stack: Frame[] = []
  let at = 0
  let done = false
  const fail = (reason: string, offset = at): JsonRead => ({ places, error: { offset, reason } })
  const skip = () => {
    whitespace.lastIndex = at
    whitespace.exec(text)
    at = whitespace.lastIndex
  }
  /** The end of the string that starts at `at`, past its closing quote, or an error. */
  const string = (): number | JsonRead => {
    let i = at + 1
    for (;;) {
      if (i >= text.length) return fail('A string is never closed: the file ends inside it', at)
      const c = text.charCodeAt(i)
      if (c === 34) return i + 1
      if (c < 32) return fail('A string runs over a line break or control character; write it as `\\n`', i)
      if (c === 92) {
        const e = text[i + 1]
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return fail('`\\u` must be followed by four hexadecimal digits', i)
          i += 6
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2
        else return fail(`\`\\${e ?? ''}\` is not an escape JSON knows`, i)
      } else i++
    }
  }
  const value = (): JsonRead | undefined => {
    if (stack.length <= maxDepth && places.size < maxPlaces) {
      const path = stack.map((frame) => (frame.kind === 'object' ? frame.key : frame.index))
      if (options.record(path)) places.set(path.join('/'), at)
    }
    const c = text[at]
    if (c === '{') {
      stack.push({ kind: 'object', key: '', expect: 'key', empty: true })
      at++
      return undefined
    }
    if (c === '[') {
      stack.push({ kind: 'array', index: 0, expect: 'value', empty: true })
      at++
      return undefined
    }
    if (c === '"') {
      const end = string()
      if (typeof end !== 'number') return end
      at = end
    } else if (text.startsWith('true', at)) at += 4
    else if (text.startsWith('false', at)) at += 5
    else if (text.startsWith('null', at)) at += 4
    else {
      number.lastIndex = at
      if (!number.test(text)) return fail(c === undefined ? 'The file ends where a value should be' : `\`${c}\` cannot start a value`)
      at = number.lastIndex
    }
    return finished()
  }
  /** A value is complete: its container waits for a comma, or the document is done. */
  const finished = (): undefined => {
    const top = stack.at(-1)
    if (top) top.expect = 'comma'
    else done = true
    return undefined
  }

  for (;;) {
    skip()
    const top = stack.at(-1)
    if (done) {
      if (at < text.length) return fail('There is more text after the notebook\'s JSON has ended')
      break
    }
    if (at >= text.length) return fail(stack.length > 0 ? `The file ends before the ${top?.kind === 'object' ? 'object' : 'list'} opened earlier is closed` : 'The file is empty')
    const c = text[at]!
    let problem: JsonRead | undefined
    if (!top) problem = value()
    else if (top.kind === 'array') {
      if (c === ']' && top.expect === 'value' && !top.empty) problem = fail('A list may not end with `,`: remove the comma before `]`')
      else if (c === ']' && (top.expect === 'comma' || top.empty)) {
        stack.pop()
        at++
        finished()
      } else if (top.expect === 'comma') {
        if (c !== ',') problem = fail("Expected `,` or `]` after an item of a list")
        else {
          top.index++
          top.expect = 'value'
          at++
        }
      } else {
        top.empty = false
        problem = value()
      }
    } else if (top.expect === 'key') {
      if (c === '}' && top.empty) {
        stack.pop()
        at++
        finished()
      } else if (c === '}') problem = fail('An object may not end with `,`: remove the comma before `}`')
      else if (c !== '"') problem = fail('Expected a key in double quotes')
      else {
        const end = string()
        if (typeof end !== 'number') problem = end
        else {
          top.key = JSON.parse(text.slice(at, end)) as string
          top.expect = 'colon'
          top.empty = false
          at = end
        }
      }
    } else if (top.expect === 'colon') {
      if (c !== ':') problem = fail('Expected `:` after a key')
      else {
        top.expect = 'value'
        at++
      }
    } else if (top.expect === 'value') problem = value()
    else if (c === '}') {
      stack.pop()
      at++
      finished()
    } else if (c !== ',') problem = fail('Expected `,` or `}` after a value in an object')
    else {
      top.expect = 'key'
      at++
    }
    if (problem) return problem
  }
  try {
    return { value: JSON.parse(text) as unknown, places }
  } catch (error) {
    return fail((error as Error).message, 0)
  }
}

/**
 * Where each character of a JSON string, or of a list of strings read as one text (a notebook's
 * multi-line string), sits in the file: the offset of its first character as written, and one more
 * entry for the end. `start` is the offset of the string's opening quote or of the list's `[`.
 * Undefined when the value there is neither.
 */
export function stringOffsets(text: string, start: number): number[] | undefined {
  const offsets: number[] = []
  const one = (quote: number): number => {
    let i = quote + 1
    while (i < text.length && text[i] !== '"') {
      if (text[i] !== '\\') {
        offsets.push(i)
        i++
      } else if (text[i + 1] === 'u') {
        offsets.push(i)
        i += 6
      } else {
        offsets.push(i)
        i += 2
      }
    }
    return i
  }
  if (text[start] === '"') {
    offsets.push(one(start))
    return offsets
  }
  if (text[start] !== '[') return undefined
  let i = start + 1
  let last = i
  for (;;) {
    while (i < text.length && ' \t\n\r,'.includes(text[i]!)) i++
    if (text[i] !== '"') break
    i = one(i)
    last = i
    i++
  }
  offsets.push(last)
  return offsets
}
