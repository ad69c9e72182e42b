// Phase one for citations: what each page cites, as plain data, in the order
// it is written. Nothing here looks at the bibliography or another page.

import type { Root } from 'mdast'
import { visit } from '../markdown/visit.js'
import type { Cite, CiteItem } from './nodes.js'

export interface CitationFact {
  mode: Cite['mode']
  items: CiteItem[]
  bare: boolean
}

export function collectCitations(tree: Root): CitationFact[] {
  const facts: CitationFact[] = []
  visit(tree, 'cite', (node: Cite) => {
    facts.push({ mode: node.mode, items: node.items, bare: node.bare })
  })
  return facts
}
