// Every link of a page, those in titles and captions included: a card's title,
// a figure's caption and an admonition's title are kept beside the node's
// children (`title`, `caption`), where unist-util-visit does not look.

import type { Link, Node, Parent, Root } from 'mdast'
import { visit } from '../markdown/visit.js'

export function visitLinks(tree: Root, visitor: (node: Link) => void): void {
  const walk = (root: Node) =>
    visit(root, (node) => {
      if (node.type === 'link') return visitor(node as Link)
      for (const key of ['title', 'caption'] as const) {
        const inline = (node as unknown as Record<string, unknown>)[key]
        if (node.type !== 'root' && Array.isArray(inline)) walk({ type: 'paragraph', children: inline } as Parent)
      }
    })
  walk(tree)
}
