// The project's abbreviations (myst.yml's `project.abbreviations`): each
// occurrence in a page's text becomes an `<abbr>` with its expansion, as MyST
// does. Links, code and abbreviations already written with `{abbr}` are left
// as they are; an `{abbr}` written without an expansion takes the project's.

import type { Parent, PhrasingContent, Root, Text } from 'mdast'
import { toString } from 'mdast-util-to-string'
import { SKIP, visit } from '../markdown/visit.js'
import type { InlineElement } from './nodes.js'

/** Nodes whose text is never turned into abbreviations. */
const untouched = new Set(['link', 'linkReference', 'inlineElement', 'cite'])

export function transformAbbreviations(tree: Root, abbreviations: Readonly<Record<string, string>>): void {
  // One letter would match in every word: MyST leaves those out too.
  const names = Object.keys(abbreviations)
    .filter((name) => name.length > 1)
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1))
  if (names.length === 0) return
  // Whole words only: `CSS` is not found inside `CSSOM`.
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${names.map(escape).join('|')})(?![\\p{L}\\p{N}_])`, 'gu')

  visit(tree, (node, index, parent: Parent | undefined) => {
    if (node.type === 'inlineElement') {
      const element = node as InlineElement
      const expansion = element.tagName === 'abbr' && element.title === undefined ? abbreviations[toString(element)] : undefined
      if (expansion !== undefined) element.title = expansion
    }
    if (untouched.has(node.type)) return SKIP
    if (node.type !== 'text' || !parent || index === undefined) return
    const parts = split(node as Text, pattern, abbreviations)
    if (parts.length === 1) return
    parent.children.splice(index, 1, ...(parts as typeof parent.children))
    return index + parts.length
  })
}

function split(node: Text, pattern: RegExp, abbreviations: Readonly<Record<string, string>>): PhrasingContent[] {
  const parts: PhrasingContent[] = []
  let at = 0
  for (const match of node.value.matchAll(pattern)) {
    if (match.index > at) parts.push({ type: 'text', value: node.value.slice(at, match.index) })
    const abbr: InlineElement = { type: 'inlineElement', tagName: 'abbr', title: abbreviations[match[0]], className: [], children: [{ type: 'text', value: match[0] }] }
    parts.push(abbr)
    at = match.index + match[0].length
  }
  if (parts.length === 0) return [node]
  if (at < node.value.length) parts.push({ type: 'text', value: node.value.slice(at) })
  return parts
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
