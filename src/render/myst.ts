// Handlers for the nodes the MyST dialect adds: math as MathML, numbered
// figures, containers, inline elements.

import type { Element, ElementContent } from 'hast'
import type { Handlers, State } from 'mdast-util-to-hast'
import type { Container, DisplayMath, Figure, InlineElement, InlineMath } from '../myst/nodes.js'
import { h, text, type RenderContext } from './body.js'
import { htmlToHast } from './html.js'

const figureNames: Record<Figure['kind'], string> = { figure: 'Figure', table: 'Table', code: 'Program' }

export function mystHandlers(page: string, context: RenderContext): Handlers {
  const id = (label: string | undefined) => (label === undefined ? {} : { id: context.anchorId(page, label) })
  const heading = (depth: number) => `h${Math.min(depth + context.headingShift, 6)}`
  return {
    math: (_state: State, node: DisplayMath): Element => {
      const number = node.data?.number
      const body = node.data?.mathml
        ? htmlToHast(node.data.mathml)
        : [h('pre', { className: ['math-source'] }, [h('code', {}, [text(node.value)])])]
      return h('div', { className: ['math', 'math-display'], ...id(node.label) }, [
        ...body,
        ...(number === undefined ? [] : [h('span', { className: ['equation-number'] }, [text(`(${number})`)])]),
      ])
    },
    inlineMath: (_state: State, node: InlineMath): Element =>
      node.data?.mathml
        ? h('span', { className: ['math', 'math-inline'] }, htmlToHast(node.data.mathml))
        : h('code', { className: ['math-source'] }, [text(node.value)]),
    figure: (state: State, node: Figure): Element => {
      const number = node.data?.number
      const caption: ElementContent[] = [
        ...(number === undefined ? [] : [h('span', { className: ['caption-number'] }, [text(`${figureNames[node.kind]} ${number}`)])]),
        ...(number !== undefined && node.caption ? [text(': ')] : []),
        ...(node.caption ? state.all({ type: 'paragraph', children: node.caption }) : []),
      ]
      const figcaption = caption.length > 0 ? [h('figcaption', {}, caption)] : []
      const body = state.all(node)
      // A table's caption comes first, as readers expect; a figure's comes after it.
      const children = node.kind === 'table' ? [...figcaption, ...body] : [...body, ...figcaption]
      return h('figure', { className: ['numbered', `numbered-${node.kind}`], ...id(node.label) }, children)
    },
    container: (state: State, node: Container): Element => {
      const title = node.title ? state.all({ type: 'paragraph', children: node.title }) : undefined
      const properties: Element['properties'] = { className: node.className.length > 0 ? node.className : undefined, ...id(node.label) }
      if (node.tagName === 'dt') return h('dt', properties, title ?? [])
      const lead: ElementContent[] = !title
        ? []
        : node.tagName === 'details'
          ? [h('summary', {}, title)]
          : node.tagName === 'section'
            ? [h(heading(2), { className: ['part-title'] }, title)]
            : [h('p', { className: ['container-title'] }, title)]
      if (node.tagName === 'details' && node.open) properties['open'] = true
      return h(node.tagName, properties, [...lead, ...state.all(node)])
    },
    inlineElement: (state: State, node: InlineElement): Element =>
      h(node.tagName, { className: node.className.length > 0 ? node.className : undefined, title: node.title }, state.all(node)),
    // Filled in by site/contents.ts; one left over (a fragment rendered alone) shows nothing.
    contentsList: () => undefined,
    // Replaced by the block it shows (myst/embed.ts); one left over shows nothing.
    embed: () => undefined,
  }
}
