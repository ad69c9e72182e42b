// Pandoc's citation syntax, in both dialects: `[@key]`, `[see @a; @b, p. 3]`,
// `[-@key]`, and `@key` in running text (`@key [p. 3]` adds a locator). A
// bracketed citation is always a citation; a bare `@word` only becomes one if
// the bibliography has that key (decided in resolve.ts), so e-mail addresses
// and `@name` mentions stay as they are.

import type { Parent, PhrasingContent, Text } from 'mdast'
import type { Position } from 'unist'
import type { SourceLines } from '../markdown/source.js'
import type { Place } from '../messages.js'
import type { Cite, CiteItem } from './nodes.js'

const keyPattern = String.raw`(?:\{[^{}\s]+\}|[\p{L}\p{N}_](?:[\p{L}\p{N}_:.#$%&+?<>~/-]*[\p{L}\p{N}_])?)`
const bracketed = new RegExp(String.raw`\[([^\[\]]*?-?@${keyPattern}[^\[\]]*)\]`, 'gu')
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
  for (let index = 0; index < children.length; index++) {
    const child = children[index]!
    if (child.type === 'text') {
      const parts = splitCitations(child, source)
      if (parts) {
        children.splice(index, 1, ...parts)
        index += parts.length - 1
      }
      continue
    }
    // Link text is the link's; a citation inside it would be a link in a link.
    if (child.type === 'link' || child.type === 'linkReference') continue
    if ('children' in child) transformCitations(child as Parent, source)
  }
}

interface Found {
  start: number
  end: number
  node: Cite
}

function splitCitations(text: Text, source: SourceLines): PhrasingContent[] | undefined {
  const value = text.value
  if (!value.includes('@')) return undefined
  const found: Found[] = []
  const place = placer(text, source)

  for (const match of value.matchAll(bracketed)) {
    const items = readItems(match[1]!, match.index + 1, place)
    if (!items) continue
    const node = citeNode(items, 'parenthetical', positionOf(text, place, match.index, match[0].length), match[0])
    found.push({ start: match.index, end: match.index + match[0].length, node })
  }
  for (const match of value.matchAll(bare)) {
    const start = match.index
    if (found.some((f) => start >= f.start && start < f.end)) continue
    const key = unbrace(match[1]!)
    const item: CiteItem = { key, place: place(start, `@${match[1]}`) }
    if (match[2]) Object.assign(item, locatorOf(match[2]))
    const node = citeNode([item], 'narrative', positionOf(text, place, start, match[0].length), match[0], true)
    found.push({ start, end: start + match[0].length, node })
  }
  if (found.length === 0) return undefined

  found.sort((a, b) => a.start - b.start)
  const parts: PhrasingContent[] = []
  let at = 0
  for (const f of found) {
    if (f.start > at) parts.push({ type: 'text', value: value.slice(at, f.start) })
    parts.push(f.node)
    at = f.end
  }
  if (at < value.length) parts.push({ type: 'text', value: value.slice(at) })
  return parts
}

/** The items of `[…]`, or undefined when a part of it is not a citation (then it is not one at all). */
function readItems(inner: string, offset: number, place: (index: number, needle: string) => Place): CiteItem[] | undefined {
  const items: CiteItem[] = []
  let at = offset
  for (const segment of inner.split(';')) {
    const match = segmentPattern.exec(segment)
    if (!match) return undefined
    const [, prefix, dash, rawKey, rest] = match as unknown as [string, string, string, string, string]
    const item: CiteItem = { key: unbrace(rawKey), place: place(at + prefix.length + dash.length, `@${rawKey}`) }
    if (prefix.trim() !== '') item.prefix = prefix.trim()
    if (dash === '-') item.suppressAuthor = true
    if (rest.trim() !== '') Object.assign(item, locatorOf(rest))
    items.push(item)
    at += segment.length + 1
  }
  return items
}

/** `, p. 3` → page 3; anything else is a suffix. */
function locatorOf(rest: string): Pick<CiteItem, 'locator' | 'label' | 'suffix'> {
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

/** Where a character of the text node is in the file: by its line, and by finding the needle on that line. */
function placer(text: Text, source: SourceLines): (index: number, needle: string) => Place {
  const start = text.position?.start ?? { line: 1, column: 1 }
  return (index, needle) => {
    const before = text.value.slice(0, index)
    const newlines = before.split('\n').length - 1
    const line = start.line + newlines
    const guess = newlines === 0 ? start.column - 1 + index : 0
    const column = source.line(line).indexOf(needle, Math.max(0, guess - 2))
    return { line, column: column >= 0 ? column + 1 : newlines === 0 ? guess + 1 : 1 }
  }
}

function positionOf(text: Text, place: (index: number, needle: string) => Place, index: number, length: number): Position | undefined {
  if (!text.position) return undefined
  const value = text.value.slice(index, index + length)
  const start = place(index, value.split('\n')[0]!)
  return { start, end: { line: start.line, column: start.column + length } }
}
