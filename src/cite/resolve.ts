// Phase three for citations: give each citation on a page its formatted text,
// turn back into plain text a bare `@word` that names no entry, and list the
// page's references: where a `{bibliography}` directive stands, else at the
// end of the page. In MyST projects, the items that name labels become links
// to them (`see @fig-a` reads "see Figure 1", `[@fig-a]` "(Figure 1)"), which
// the site's resolvers then fill in: this runs before them.

import type { Link, Parent, PhrasingContent, Root } from 'mdast'
import { visit } from '../markdown/visit.js'
import type { CitationIndex } from './format.js'
import type { Cite, CiteSegment, References } from './nodes.js'

export function resolveCitations(tree: Root, page: number, index: CitationIndex): void {
  const formatted = index.citations[page] ?? []
  const targets = index.targets?.[page] ?? []
  let n = 0
  visit(tree, 'cite', (node: Cite, position, parent: Parent | undefined) => {
    const segments = formatted[n]
    const labels = targets[n++]
    if (labels && parent && position !== undefined) {
      const parts = withReferences(node, labels, segments, index.layout)
      parent.children.splice(position, 1, ...parts)
      return position + parts.length
    }
    if (segments) {
      node.data = { ...node.data, segments }
      return
    }
    if (parent && position !== undefined) parent.children[position] = { type: 'text', value: node.value }
    return
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

/**
 * A citation some of whose items name labels: each such item a link, the
 * works cited with it formatted together where the first of them stands,
 * and, for a bracket, the style's parentheses around the whole.
 */
function withReferences(
  node: Cite,
  labels: (string | undefined)[],
  segments: CiteSegment[] | undefined,
  layout: CitationIndex['layout'],
): PhrasingContent[] {
  const text = (value: string): PhrasingContent => ({ type: 'text', value })
  const pieces: PhrasingContent[][] = []
  let worksPlaced = false
  node.items.forEach((item, i) => {
    const label = labels[i]
    if (label !== undefined) {
      const link: Link = { type: 'link', url: `#${label}`, children: [] }
      if (node.position) link.position = node.position
      pieces.push([...(item.prefix ? [text(`${item.prefix} `)] : []), link, ...(item.suffix ? [text(` ${item.suffix}`)] : [])])
    } else if (!worksPlaced && segments) {
      worksPlaced = true
      pieces.push([{ ...node, data: { ...node.data, segments: inner(segments, layout) } }])
    }
  })
  const joined = pieces.flatMap((piece, i) => (i === 0 ? piece : [text('; '), ...piece]))
  if (node.mode === 'narrative') return joined
  return [text(layout.prefix || '('), ...joined, text(layout.suffix || ')')]
}

/** A parenthetical citation's pieces without the style's parentheses, which then go around the whole group. */
function inner(segments: CiteSegment[], layout: CitationIndex['layout']): CiteSegment[] {
  const trimmed = segments.map((segment) => ({ ...segment }))
  const first = trimmed[0]
  const last = trimmed.at(-1)
  if (first && layout.prefix && first.html.startsWith(layout.prefix)) first.html = first.html.slice(layout.prefix.length)
  if (last && layout.suffix && last.html.endsWith(layout.suffix)) last.html = last.html.slice(0, -layout.suffix.length)
  return trimmed.filter((segment) => segment.html !== '' || segment.key !== undefined)
}
