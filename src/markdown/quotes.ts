// A blockquote whose last line is an attribution (`— P07`, `-- P07`) becomes a
// quote. Whether the attribution names a participant is decided later, against
// the registry; here we only take the line apart.

import type { Blockquote, Parent, PhrasingContent, Root } from 'mdast'
import { toString } from 'mdast-util-to-string'
import { visit } from './visit.js'
import type { Quote } from './nodes.js'
import type { SourceLines } from './source.js'

const dash = /^(?:—|―|–|--)\s*/
const paraphraseMark = /\s*\((?:paraphrased?)\)\s*$/i

/**
 * Give every quote its anchor, from the structure alone, so that an edit to any text leaves every link to a
 * quote where it was: the finding's id and the quote's number within it, or, outside findings, its number among
 * the page's other such quotes. Returns the anchors in reading order.
 */
export function anchorQuotes(tree: Root): string[] {
  const anchors: string[] = []
  let loose = 0
  const walk = (node: Parent, finding: { id: string; count: number } | undefined) => {
    for (const child of node.children) {
      if (child.type === 'quote') {
        child.anchor = finding ? `q-${finding.id}-${++finding.count}` : `quote-${++loose}`
        anchors.push(child.anchor)
      }
      if (child.type === 'finding') walk(child, { id: child.id, count: 0 })
      else if ('children' in child) walk(child, finding)
    }
  }
  walk(tree, undefined)
  return anchors
}

export function transformQuotes(tree: Root, source: SourceLines): void {
  visit(tree, 'blockquote', (node: Blockquote, index, parent: Parent | undefined) => {
    if (index === undefined || !parent) return
    const quote = toQuote(node, source)
    if (quote) parent.children[index] = quote
  })
}

function toQuote(node: Blockquote, source: SourceLines): Quote | undefined {
  const paragraph = node.children.at(-1)
  if (paragraph?.type !== 'paragraph' || !paragraph.position) return undefined
  const line = paragraph.position.end.line
  const written = source.line(line)
  const body = written.replace(/^\s*(?:>\s?)*/, '')
  if (!dash.test(body)) return undefined

  // Split the paragraph's inline nodes at the start of its last line, taken from the end and turned round once.
  const attribution: PhrasingContent[] = []
  const children = paragraph.children
  while (children.length > 0) {
    const last = children.at(-1)!
    const startLine = last.position?.start.line ?? line
    if (startLine === line) {
      attribution.push(children.pop()!)
      continue
    }
    if (last.type === 'text' && last.value.includes('\n')) {
      const cut = last.value.lastIndexOf('\n')
      attribution.push({ type: 'text', value: last.value.slice(cut + 1) })
      last.value = last.value.slice(0, cut).trimEnd()
    } else if (last.type === 'break') {
      children.pop()
    }
    break
  }
  attribution.reverse()

  const first = attribution[0]
  if (first?.type !== 'text') return undefined
  first.value = first.value.replace(dash, '')
  let paraphrased = false
  const tail = attribution.at(-1)
  if (tail?.type === 'text' && paraphraseMark.test(tail.value)) {
    paraphrased = true
    tail.value = tail.value.replace(paraphraseMark, '')
  }
  const content = attribution.filter((n) => n.type !== 'text' || n.value !== '')

  const children2 = children.length === 0 ? node.children.slice(0, -1) : node.children
  const quote: Quote = {
    type: 'quote',
    attribution: {
      content,
      text: toString({ type: 'paragraph', children: content }).trim(),
      place: { line, column: written.length - body.length + 1 },
    },
    paraphrased,
    children: children2,
  }
  if (node.position) quote.position = node.position
  return quote
}
