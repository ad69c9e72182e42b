// Pandoc's citation syntax, in both dialects: `[@key]`, `[see @a; @b, p. 3]`,
// `[-@key]`, and `@key` in running text (`@key [p. 3]` adds a locator). A
// bracketed citation is always a citation; a bare `@word` only becomes one if
// the bibliography has that key (decided in resolve.ts), so e-mail addresses
// and `@name` mentions stay as they are; in MyST projects it may also name a
// label (labels.ts). `\@name` is never one.

import type { Parent, PhrasingContent, Text } from 'mdast'
import type { Position } from 'unist'
import type { SourceLines } from '../markdown/source.js'
import type { Place } from '../messages.js'
import type { Cite, CiteItem } from './nodes.js'

const keyPattern = String.raw`(?:\{[^{}\s]+\}|[\p{L}\p{N}_](?:[\p{L}\p{N}_:.#$%&+?<>~/-]*[\p{L}\p{N}_])?)`
// A bracket cites when some `@` in it starts a key; readItems then reads it whole.
const citesSomething = /@(?:\{[^{}\s]+\}|[\p{L}\p{N}_])/u
const segmentPattern = new RegExp(String.raw`^([\s\S]*?)(-?)@(${keyPattern})([\s\S]*)$`, 'u')
const bare = new RegExp(String.raw`(?<![\p{L}\p{N}_@\\])@(${keyPattern})(?:\s\[([^\[\]@]+)\])?`, 'gu')

const labels: Record<string, string> = {
  p: 'page',
  pp: 'page',
  page: 'page',
  pages: 'page',
  chap: 'chapter',
  chapter: 'chapter',
  sec: 'section',
  section: 'section',
  para: 'paragraph',
  fig: 'figure',
  figure: 'figure',
  vol: 'volume',
  volume: 'volume',
  n: 'note',
  note: 'note',
  l: 'line',
  line: 'line',
}

export function citeNode(items: CiteItem[], mode: Cite['mode'], position: Position | undefined, written = '', isBare = false): Cite {
  const node: Cite = { type: 'cite', mode, items, bare: isBare, value: written || items.map((i) => `@${i.key}`).join('; ') }
  if (position) node.position = position
  return node
}

export function transformCitations(tree: Parent, source: SourceLines): void {
  const children = tree.children as PhrasingContent[]
  // Rebuilt rather than spliced: a paragraph may hold many thousands of citations.
  let rebuilt: PhrasingContent[] | undefined
  for (let index = 0; index < children.length; index++) {
    const child = children[index]!
    const parts = child.type === 'text' ? splitCitations(child, source) : undefined
    if (parts) {
      rebuilt ??= children.slice(0, index)
      for (const part of parts) rebuilt.push(part)
      continue
    }
    rebuilt?.push(child)
    // Link text is the link's; a citation inside it would be a link in a link.
    if (child.type === 'link' || child.type === 'linkReference' || child.type === 'text') continue
    if ('children' in child) transformCitations(child as Parent, source)
  }
  if (rebuilt) tree.children = rebuilt
}

interface Found {
  start: number
  end: number
  /** A bracket's items, each with the offset of its `@key` in the text. */
  items?: { item: CiteItem; at: number; needle: string }[]
  /** A bare key, and its locator. */
  bare?: RegExpExecArray
}

/**
 * One pass each over the text: brackets are paired as they come (a bracket
 * holds no other bracket), and bare keys inside a citation are passed over
 * with a cursor, so the work grows with the length of the text and no more.
 */
function splitCitations(text: Text, source: SourceLines): PhrasingContent[] | undefined {
  const value = text.value
  if (!value.includes('@')) return undefined
  const brackets: Found[] = []
  let open = -1
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c === 91) open = i
    else if (c === 93 && open >= 0) {
      const inner = value.slice(open + 1, i)
      const items = citesSomething.test(inner) ? readItems(inner, open + 1) : undefined
      if (items) brackets.push({ start: open, end: i + 1, items })
      open = -1
    }
  }
  const found: Found[] = []
  let next = 0
  for (const match of value.matchAll(bare)) {
    const start = match.index
    while (next < brackets.length && brackets[next]!.end <= start) found.push(brackets[next++]!)
    if (next < brackets.length && start >= brackets[next]!.start) continue
    found.push({ start, end: start + match[0].length, bare: match })
  }
  while (next < brackets.length) found.push(brackets[next++]!)
  if (found.length === 0) return undefined

  const place = placer(text, source)
  const parts: PhrasingContent[] = []
  let at = 0
  for (const f of found) {
    // `\@name` is an escaped `@`, as in MyST: text, not a citation.
    const keyPlace = f.bare ? place(f.start, `@${f.bare[1]}`) : undefined
    if (keyPlace && source.line(keyPlace.line).charAt(keyPlace.column - 2) === '\\') continue
    const written = value.slice(f.start, f.end)
    const position = positionOf(text, place, f.start, written)
    let node: Cite
    if (f.items) {
      for (const { item, at: offset, needle } of f.items) item.place = place(offset, needle)
      node = citeNode(
        f.items.map((i) => i.item),
        'parenthetical',
        position,
        written,
      )
    } else {
      const match = f.bare!
      const item: CiteItem = { key: unbrace(match[1]!), place: keyPlace! }
      if (match[2]) Object.assign(item, locatorOf(match[2]))
      node = citeNode([item], 'narrative', position, written, true)
    }
    if (f.start > at) parts.push({ type: 'text', value: value.slice(at, f.start) })
    parts.push(node)
    at = f.end
  }
  if (at < value.length) parts.push({ type: 'text', value: value.slice(at) })
  return parts
}

/** The items of `[…]`, or undefined when a part of it is not a citation (then it is not one at all). */
function readItems(inner: string, offset: number): Found['items'] {
  const items: NonNullable<Found['items']> = []
  let at = offset
  for (const segment of inner.split(';')) {
    const match = segmentPattern.exec(segment)
    if (!match) return undefined
    const [, prefix, dash, rawKey, rest] = match as unknown as [string, string, string, string, string]
    const item: CiteItem = { key: unbrace(rawKey) }
    if (prefix.trim() !== '') item.prefix = prefix.trim()
    if (dash === '-') item.suppressAuthor = true
    if (rest.trim() !== '') Object.assign(item, locatorOf(rest))
    items.push({ item, at: at + prefix.length + dash.length, needle: `@${rawKey}` })
    at += segment.length + 1
  }
  return items
}

/** `, p. 3` → page 3; anything else is a suffix. */
export function locatorOf(rest: string): Pick<CiteItem, 'locator' | 'label' | 'suffix'> {
  const text = rest.trim().replace(/^,\s*/, '')
  const match = /^([a-z]+)\.?\s+(\S[^,]*?)(?:,\s*(.*))?$/i.exec(text)
  const label = match ? labels[match[1]!.toLowerCase()] : undefined
  if (match && label) {
    return { locator: match[2]!.trim(), label, ...(match[3] ? { suffix: match[3].trim() } : {}) }
  }
  // Any other text keeps its comma, which the style prints as written.
  return text === '' ? {} : { suffix: rest.trim() }
}

function unbrace(key: string): string {
  return key.startsWith('{') ? key.slice(1, -1) : key
}

/** How far past its guessed column a citation is looked for on its line. */
const searchWindow = 512

/**
 * Where a character of the text node is in the file: its line from the
 * newlines before it, its column by finding the needle near where the text
 * says it should be. Escapes and character references make the text shorter
 * than the source, so each find also moves the next guess; the search never
 * goes far, so many citations on one long line cost no more than the line.
 */
function placer(text: Text, source: SourceLines): (index: number, needle: string) => Place {
  const start = text.position?.start ?? { line: 1, column: 1 }
  const value = text.value
  const breaks: number[] = []
  for (let i = value.indexOf('\n'); i >= 0; i = value.indexOf('\n', i + 1)) breaks.push(i)
  let shiftLine = -1
  let shift = 0
  return (index, needle) => {
    // Newlines before the index, by binary search.
    let low = 0
    let high = breaks.length
    while (low < high) {
      const mid = (low + high) >> 1
      if (breaks[mid]! < index) low = mid + 1
      else high = mid
    }
    const line = start.line + low
    // Continuation lines start after the markers of their containers, which the text leaves out.
    const guess = low === 0 ? start.column - 1 + index : index - breaks[low - 1]! - 1
    if (line !== shiftLine) {
      shiftLine = line
      shift = 0
    }
    const from = Math.max(0, guess + shift - 2)
    const written = source.line(line)
    const window = written.slice(from, from + searchWindow + needle.length)
    const found = window.indexOf(needle)
    if (found < 0) return { line, column: low === 0 ? guess + 1 : 1 }
    shift = from + found - guess
    return { line, column: from + found + 1 }
  }
}

function positionOf(text: Text, place: (index: number, needle: string) => Place, index: number, written: string): Position | undefined {
  if (!text.position) return undefined
  const start = place(index, written.split('\n', 1)[0]!)
  return { start, end: { line: start.line, column: start.column + written.length } }
}
