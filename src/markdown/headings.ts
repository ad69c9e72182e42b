// Give every heading a stable anchor (GitHub's slugs, which authors already
// know), after the ids of the page's findings, recommendations and quotes so
// that a heading can never take one of theirs. The first `#` heading is the chapter's
// title and leaves the body: the page template shows it.

import type { Heading, PhrasingContent, Root } from 'mdast'
import GithubSlugger from 'github-slugger'
import { toString } from 'mdast-util-to-string'
import { visit } from './visit.js'
import type { Place } from '../messages.js'
import { anchorQuotes } from './quotes.js'

export interface HeadingFact {
  id: string
  depth: number
  text: string
  place: Place
}

export interface ChapterHeadings {
  /** The page's title heading; `label` is a label written before it (MyST's `(label)=`), which then names the page. */
  title: { text: string; content: PhrasingContent[]; label?: string } | undefined
  headings: HeadingFact[]
}

export function transformHeadings(tree: Root): ChapterHeadings {
  // A heading can already have an id: a label written before it (MyST's `(label)=`).
  const labelOf = (node: Heading) => (typeof node.data?.hProperties?.['id'] === 'string' ? node.data.hProperties['id'] : undefined)
  let title: ChapterHeadings['title']
  const first = tree.children.find((n) => n.type === 'heading')
  if (first?.type === 'heading' && first.depth === 1) {
    const label = labelOf(first)
    title = { text: toString(first), content: first.children, ...(label === undefined ? {} : { label }) }
    tree.children.splice(tree.children.indexOf(first), 1)
  }

  const slugger = new GithubSlugger()
  visit(tree, (node) => {
    if (node.type === 'finding' || node.type === 'recommendation') slugger.slug(node.id)
    if (node.type === 'heading' && labelOf(node)) slugger.slug(labelOf(node)!)
  })
  // Quotes' anchors come from the structure; a heading that would read the same (`## Quote 1`) gives way.
  for (const anchor of anchorQuotes(tree)) slugger.slug(anchor)
  const headings: HeadingFact[] = []
  visit(tree, 'heading', (node: Heading) => {
    const text = toString(node)
    const id = labelOf(node) ?? (slugger.slug(text) || slugger.slug('section'))
    node.data = { ...node.data, hProperties: { ...node.data?.hProperties, id } }
    headings.push({
      id,
      depth: node.depth,
      text,
      place: { line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1 },
    })
  })
  return { title, headings }
}
