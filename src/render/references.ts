// Handlers for citations and reference lists. The formatted text comes from
// the CSL engine as HTML; it is made into elements here so that it passes the
// page's sanitizer (a URL in a .bib file is an author's input like any other).

import type { Element, ElementContent } from 'hast'
import type { Handlers, State } from 'mdast-util-to-hast'
import type { Cite, References } from '../cite/nodes.js'
import { h, text, type RenderContext } from './body.js'
import { htmlToHast } from './html.js'

export function citationHandlers(page: string, context: RenderContext): Handlers {
  return {
    cite: (_state: State, node: Cite): Element => {
      const parts: ElementContent[] = (node.data?.segments ?? [{ html: escape(node.value) }]).map((segment) =>
        segment.key === undefined
          ? h('span', {}, htmlToHast(segment.html))
          : h('a', { href: context.href({ page, anchor: `ref-${segment.key}` }), className: ['citation-link'] }, htmlToHast(segment.html)),
      )
      return h('span', { className: ['citation-inline'] }, parts)
    },
    references: (_state: State, node: References): Element | undefined => {
      if (node.entries.length === 0) return undefined
      const titleId = context.anchorId(page, 'references-list')
      const list = h(
        'ul',
        { className: ['reference-list'] },
        node.entries.map((entry) => h('li', { id: context.anchorId(page, `ref-${entry.key}`), className: ['reference'] }, htmlToHast(entry.html))),
      )
      if (node.heading === false) return h('section', { className: ['references'], ariaLabel: 'References' }, [list])
      return h('section', { className: ['references'], ariaLabelledBy: [titleId] }, [
        h(`h${Math.min(2 + context.headingShift, 6)}`, { id: titleId }, [text('References')]),
        list,
      ])
    },
  }
}

function escape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;')
}
