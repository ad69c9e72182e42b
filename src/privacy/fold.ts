// How text is read before it is matched against the private roster: the way a
// reader would read it, whatever its spelling.
// - Case, accents and compatibility forms (full-width, mathematical letters)
//   are folded, and letters of other scripts that look like Latin ones are read
//   as those (lookalikes.ts).
// - Invisible characters (soft hyphens, zero-width spaces, direction marks)
//   are dropped.
// - Separators (white space, dashes, `.`, `_`, `+`, `/`, `\`) count as one
//   space, so `jane-doe`, `jane.doe@` and `Jane_Doe` read as `jane doe`.
// - URL escapes read as what they encode (`%20`, `%C3%A9`, and escaped escapes
//   such as `%2520`); in markdown, so do character references (`&shy;`).
// Each folded code unit remembers the span of the original it came from, so a
// match can be placed in the text as written. Every step reads a bounded way
// ahead, so folding is linear in the length of the text.

import { decodeNamedCharacterReference } from 'decode-named-character-reference'
import { invisible, lookalike } from './lookalikes.js'

/**
 * What kind of text is folded. Every kind ignores the marks of emphasis and
 * code (`*`, `~`, `` ` ``); `markdown` also ignores the `>` that continues a
 * blockquote on the next line, and reads character references. `text`, `path` and `binary` (text read out of a binary file)
 * are folded alike; the matcher is stricter with `binary` (roster.ts).
 */
export type FoldMode = 'text' | 'markdown' | 'path' | 'binary'

export interface FoldOptions {
  /** Keep each letter's case, to read labels such as `P05` as written. Default: false. */
  keepCase?: boolean
}

export interface Folded {
  text: string
  /** For each code unit of `text`, where its character starts in the original. */
  from: Uint32Array
  /** For each code unit of `text`, where its character ends in the original. */
  to: Uint32Array
}

const mark = /\p{M}/u
const separator = /[\s\p{Pd}\p{Pc}.+/\\·•‧∙⋅−⁄∕]/u

/** How one character reads: folded text (`' '` for a separator, `''` for nothing), or `null` for a mark that belongs to the letter before it. */
type Reading = string | null

function readChar(char: string, keepCase: boolean): Reading {
  if (invisible.test(char)) return ''
  if (separator.test(char)) return ' '
  if (mark.test(char)) return null
  const latin = lookalike(char)
  if (latin !== undefined) return keepCase ? latin : latin.toLowerCase()
  let read = ''
  for (const piece of char.normalize('NFKD')) {
    if (mark.test(piece)) continue
    if (separator.test(piece)) read += ' '
    else if (keepCase) read += lookalike(piece) ?? piece
    else read += (lookalike(piece) ?? lookalike(piece.toLowerCase()) ?? piece).toLowerCase()
  }
  return read
}

const ascii = [false, true].map((keepCase) => Array.from({ length: 0x80 }, (_, code) => readChar(String.fromCharCode(code), keepCase)))
// Readings of other characters, kept as they are worked out: by code for the
// Basic Multilingual Plane, and a bounded number beyond it.
const known = [new Array<Reading | undefined>(0x10000), new Array<Reading | undefined>(0x10000)]
const knownBeyond = [new Map<number, Reading>(), new Map<number, Reading>()]

function reading(code: number, keepCase: boolean): Reading {
  if (code < 0x10000) return (known[+keepCase]![code] ??= readChar(String.fromCharCode(code), keepCase))
  const cache = knownBeyond[+keepCase]!
  let read = cache.get(code)
  if (read === undefined) {
    read = readChar(String.fromCodePoint(code), keepCase)
    if (cache.size < 0x10000) cache.set(code, read)
  }
  return read
}

/** Marks of emphasis and code: never part of a name, however they are written. */
const marks = new Set(['*', '~', '`'])

export function fold(original: string, mode: FoldMode = 'text', options: FoldOptions = {}): Folded {
  const keepCase = options.keepCase ?? false
  const table = ascii[+keepCase]!
  let units = new Uint16Array(original.length + 16)
  let from = new Uint32Array(units.length)
  let to = new Uint32Array(units.length)
  let n = 0
  const take = (read: Reading, start: number, end: number) => {
    if (read === null) {
      // A mark belongs to the letter before it: widen that letter's span, add nothing.
      if (n > 0) to[n - 1] = end
      return
    }
    for (let k = 0; k < read.length; k++) {
      const unit = read.charCodeAt(k)
      if (unit === 0x20 && (n === 0 || units[n - 1] === 0x20)) continue
      if (n === units.length) {
        // A few characters read as several (`ß` as `ss`): grow.
        const size = units.length * 2
        units = grown(units, new Uint16Array(size))
        from = grown(from, new Uint32Array(size))
        to = grown(to, new Uint32Array(size))
      }
      units[n] = unit
      from[n] = start
      to[n] = end
      n++
    }
  }

  // At the start of a line, before anything but white space and separators.
  let lineStart = true
  let i = 0
  while (i < original.length) {
    const code = original.charCodeAt(i)
    if (code === 0x0a || code === 0x0d) lineStart = true
    const decoded = code === 0x25 ? escapedChar(original, i) : code === 0x26 && mode === 'markdown' ? characterReference(original, i) : undefined
    if (decoded) {
      for (const char of decoded.value) if (!marks.has(char)) take(reading(char.codePointAt(0)!, keepCase), i, decoded.end)
      lineStart = false
      i = decoded.end
      continue
    }
    if ((mode === 'markdown' && lineStart && code === 0x3e) || marks.has(original[i]!)) {
      // `>` continuing a blockquote, and the `*`, `~` and `` ` `` of emphasis and code, are not part of the words.
      // The marks are dropped in every kind of text: a title in report.yml is published as written, and a
      // reader still reads `**Jane** Doe` there as a name.
      i++
      continue
    }
    const next = original.charCodeAt(i + 1)
    const size = code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1
    const read = code < 0x80 ? table[code]! : reading(size === 1 ? code : (code - 0xd800) * 0x400 + (next - 0xdc00) + 0x10000, keepCase)
    take(read, i, i + size)
    if (read !== ' ' && read !== '') lineStart = false
    i += size
  }
  return { text: Buffer.from(units.buffer, 0, n * 2).toString('utf16le'), from: from.subarray(0, n), to: to.subarray(0, n) }
}

function grown<T extends Uint16Array | Uint32Array>(old: T, larger: T): T {
  larger.set(old)
  return larger
}

const hex = (code: number) => (code >= 0x30 && code <= 0x39 ? code - 0x30 : (code | 0x20) >= 0x61 && (code | 0x20) <= 0x66 ? (code | 0x20) - 0x57 : -1)

/** The byte a URL escape at `at` stands for; an escaped escape (`%2541`, which decodes to `%41`) is read through, a few levels deep. */
function escapedByte(text: string, at: number): { byte: number; end: number } | undefined {
  if (text.charCodeAt(at) !== 0x25) return undefined
  const high = hex(text.charCodeAt(at + 1))
  const low = hex(text.charCodeAt(at + 2))
  if (high < 0 || low < 0) return undefined
  let byte = high * 16 + low
  let end = at + 3
  for (let depth = 0; byte === 0x25 && depth < 3; depth++) {
    const nextHigh = hex(text.charCodeAt(end))
    const nextLow = hex(text.charCodeAt(end + 1))
    if (nextHigh < 0 || nextLow < 0) break
    byte = nextHigh * 16 + nextLow
    end += 2
  }
  return { byte, end }
}

/** The character that the URL escapes at `at` encode in UTF-8, if they encode one. */
function escapedChar(text: string, at: number): { value: string; end: number } | undefined {
  const first = escapedByte(text, at)
  if (!first) return undefined
  const { byte } = first
  const length = byte < 0x80 ? 1 : byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xf0 && byte <= 0xf4 ? 4 : 0
  if (length === 0) return undefined
  const bytes = [byte]
  let end = first.end
  while (bytes.length < length) {
    const next = escapedByte(text, end)
    if (!next || next.byte < 0x80 || next.byte > 0xbf) return undefined
    bytes.push(next.byte)
    end = next.end
  }
  const value = Buffer.from(bytes).toString('utf8')
  return value === '\ufffd' ? undefined : { value, end }
}

const reference = /&(?:#[xX]([0-9a-fA-F]{1,6})|#(\d{1,7})|([A-Za-z][A-Za-z0-9]{1,31}));/y
const looseReference = /&(?:#[xX]([0-9a-fA-F]{1,6});?|#(\d{1,7});?|([A-Za-z][A-Za-z0-9]{1,31});)/y

/**
 * The character reference at `at` (`&#74;`, `&#x4A;`, `&shy;`) and what it
 * stands for. `loose` also reads a numeric reference without its `;`, as
 * browsers do in HTML.
 */
export function characterReference(text: string, at: number, loose = false): { value: string; end: number } | undefined {
  const pattern = loose ? looseReference : reference
  pattern.lastIndex = at
  const found = pattern.exec(text)
  if (!found) return undefined
  const [written, hexCode, decimalCode, name] = found
  let value: string | false = false
  if (name !== undefined) value = decodeNamedCharacterReference(name)
  else {
    const code = hexCode !== undefined ? parseInt(hexCode, 16) : parseInt(decimalCode!, 10)
    if (code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)) value = String.fromCodePoint(code)
  }
  return value === false ? undefined : { value, end: at + written.length }
}
