// Handlers for the nodes the MyST dialect adds: math as MathML, numbered
// figures, containers, inline elements.

import type { Element, ElementContent } from 'hast'
import type { Code } from 'mdast'
import { defaultHandlers, type Handlers, type State } from 'mdast-util-to-hast'
import type { Container, Diagram, DisplayMath, Embed, Figure, Frame, InlineElement, InlineMath } from '../myst/nodes.js'
import { h, text, type RenderContext } from './body.js'
import { htmlToHast } from './html.js'
import type { FrameNode } from './sanitize.js'

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
      const letter = node.data?.letter
      // A subfigure is `(a)` within its figure; shown on its own (embedded), it is `Figure 1a`.
      const name = letter === undefined ? `${figureNames[node.kind]} ${number}` : node.sub ? `(${letter})` : `${figureNames[node.kind]} ${number}${letter}`
      const caption: ElementContent[] = [
        ...(number === undefined ? [] : [h('span', { className: ['caption-number'] }, [text(name)])]),
        ...(number !== undefined && node.caption ? [text(node.sub ? ' ' : ': ')] : []),
        ...(node.caption ? state.all({ type: 'paragraph', children: node.caption }) : []),
      ]
      const figcaption = caption.length > 0 ? [h('figcaption', {}, caption)] : []
      const body = state.all(node)
      // A table's caption comes first, as readers expect; a figure's comes after its image, before any legend, as in MyST.
      // A figure of subfigures has its caption after all of them.
      const subfigures = node.children.filter((c) => c.type === 'figure' && c.sub).length
      const children =
        node.kind === 'table' ? [...figcaption, ...body] : node.kind === 'figure' && subfigures <= 1 ? [...body.slice(0, 1), ...figcaption, ...body.slice(1)] : [...body, ...figcaption]
      const className = node.sub ? ['subfigure'] : ['numbered', `numbered-${node.kind}`, ...(node.className ?? [])]
      if (!node.sub && subfigures > 1) className.push('has-subfigures')
      return h('figure', { className, ...id(node.label) }, children)
    },
    // The frame becomes an <iframe> in the sanitizer, the only place one is made (sanitize.ts).
    iframe: (_state: State, node: Frame): Element => {
      const frame: FrameNode = { type: 'frame', src: node.src, title: node.title, width: node.width && 'pixels' in node.width ? node.width.pixels : undefined }
      const width = node.width && 'percent' in node.width ? [`width-${node.width.percent}`] : []
      return h('div', { className: ['embedded-page', ...width] }, [frame])
    },
    // The source stays readable without script; assets/diagrams.js replaces it with the drawing.
    mermaid: (_state: State, node: Diagram): Element =>
      h('div', { className: ['diagram', 'diagram-mermaid'] }, [h('pre', { className: ['diagram-source'] }, [h('code', {}, [text(node.value)])])]),
    embed: (state: State, node: Embed): Element => h('div', { className: ['embed'] }, state.all(node)),
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
    code: (state: State, node: Code): Element => {
      const pre = defaultHandlers.code(state, node)
      const { showLineNumbers, startingLineNumber = 1, emphasizeLines = [] } = node.data ?? {}
      const code = pre.children[0]
      if ((!showLineNumbers && emphasizeLines.length === 0) || code?.type !== 'element') return pre
      // One span a line, so that a number can lead it and a mark can cover it; the numbers are not copied with the code.
      const marked = new Set(emphasizeLines)
      code.children = node.value.split('\n').flatMap((line, i) => [
        h('span', { className: marked.has(i + 1) ? ['line', 'line-emphasized'] : ['line'] }, [
          ...(showLineNumbers ? [h('span', { className: ['line-number'], ariaHidden: 'true' }, [text(String(startingLineNumber + i))])] : []),
          text(line),
        ]),
        text('\n'),
      ])
      if (showLineNumbers) pre.properties['className'] = ['line-numbers']
      return pre
    },
    // Filled in by site/contents.ts; one left over (a fragment rendered alone) shows nothing.
    contentsList: () => undefined,
  }
}

/** Put the first `count` rows of a rendered table in its `<thead>` and the rest in its `<tbody>` (MyST's `:header-rows:`). */
export function regroupRows(table: Element, count: number): void {
  const rows = table.children.flatMap((group) => (group.type === 'element' ? group.children : [])).filter((row) => row.type === 'element' && row.tagName === 'tr')
  const head = rows.slice(0, count)
  const body = rows.slice(count)
  table.children = [...(head.length > 0 ? [h('thead', {}, head)] : []), ...(body.length > 0 ? [h('tbody', {}, body)] : [])]
}
