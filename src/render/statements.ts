// How theorems, exercises and solutions look: the kind and number first
// ("Theorem 1"), then the title in parentheses, then the body. A solution's
// title is its own ("Solution to Exercise 2"). A dropdown folds the body
// behind the title line.

import type { Element, ElementContent } from 'hast'
import type { Handlers, State } from 'mdast-util-to-hast'
import { kindName, type Statement } from '../myst/statements.js'
import { h, text, type RenderContext } from './body.js'

export function statementHandlers(page: string, context: RenderContext): Handlers {
  return {
    statement: (state: State, node: Statement): Element => {
      const [first, ...rest] = node.children
      const title = node.titled && first?.type === 'paragraph' ? state.all(first) : []
      const body = state.all({ type: 'root', children: node.titled ? rest : node.children })
      const number = node.data?.number
      const lead: ElementContent[] =
        node.kind === 'solution'
          ? title
          : [
              h('span', { className: ['statement-name'] }, [text(number === undefined ? kindName(node.kind) : `${kindName(node.kind)} ${number}`)]),
              ...(title.length > 0 ? [text(' ('), ...title, text(')')] : []),
            ]
      const properties: Element['properties'] = {
        className: ['statement', `statement-${node.kind}`, ...node.className],
        ...(node.label === undefined ? {} : { id: context.anchorId(page, node.label) }),
      }
      if (node.dropdown) return h('details', properties, [h('summary', { className: ['statement-title'] }, lead), ...body])
      return h('div', properties, [h('p', { className: ['statement-title'] }, lead), ...body])
    },
  }
}
