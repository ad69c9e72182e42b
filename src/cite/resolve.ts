// Phase three for citations: give each citation on a page its formatted text,
// turn back into plain text a bare `@word` that names no entry, and list the
// page's references: where a `{bibliography}` directive stands, else at the
// end of the page.

import type { Parent, Root } from 'mdast'
import { visit } from 'unist-util-visit'
import type { CitationIndex } from './format.js'
import type { Cite, References } from './nodes.js'

export function resolveCitations(tree: Root, page: number, index: CitationIndex): void {
  const formatted = index.citations[page] ?? []
  let n = 0
  visit(tree, 'cite', (node: Cite, position, parent: Parent | undefined) => {
    const segments = formatted[n++]
    if (segments) {
      node.data = { ...node.data, segments }
      return
    }
    if (parent && position !== undefined) parent.children[position] = { type: 'text', value: node.value }
  })

  const entries = index.references[page] ?? []
  let placed = false
  visit(tree, 'references', (node: References, position, parent: Parent | undefined) => {
    if (placed) return
    node.entries = entries
    if (parent && position !== undefined && parent.children[position - 1]?.type === 'heading') node.heading = false
    placed = true
  })
  if (!placed && entries.length > 0) tree.children.push({ type: 'references', entries })
}
