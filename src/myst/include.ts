// `{include}` puts another markdown file of the project in place, parsed as
// MyST, or shown as code with `:literal:`. Only files inside the content
// folder can be included, and a file cannot include itself, even through
// others. Messages about the included text name the included file.

import type { Code, Root } from 'mdast'
import type { Position } from 'unist'
import { visit } from 'unist-util-visit'
import { createMessage } from '../messages.js'
import { joinInside } from '../site/assets.js'
import { hintFor } from '../suggest.js'
import type { DirectiveSpec } from './directives.js'

export const includeSpecs: Record<string, DirectiveSpec> = {
  include: {
    options: ['start-line', 'end-line', 'start-after', 'end-before', 'literal', 'lang', 'code', 'caption', 'linenos', 'encoding'],
    build(call) {
      const { context } = call
      const written = call.arg.trim()
      const path = joinInside(context.file.path, written)
      const file = path === undefined ? undefined : context.files.get(path)
      if (!file || path === undefined) {
        context.messages.push(
          createMessage(
            'include-file-exists',
            context.file.display,
            call.argPlace,
            path === undefined
              ? `\`{include}\` names \`${written}\`, which is outside the content folder`
              : `\`{include}\` names \`${written}\`, but there is no such markdown file in the content folder`,
            hintFor(path ?? written, context.files.keys(), 'Paths are relative to this file, and only markdown files of the project can be included.'),
          ),
        )
        return []
      }
      if (context.including.includes(file.path)) {
        context.messages.push(
          createMessage(
            'include-file-exists',
            context.file.display,
            call.argPlace,
            `\`{include}\` of \`${written}\` would include it inside itself (${[...context.including, file.path].join(' → ')})`,
            'Remove the include that closes the circle.',
          ),
        )
        return []
      }

      // Keep only the lines asked for, remembering where they start.
      let lines = file.text.split(/\r\n|\r|\n/)
      let firstLine = 1
      const startLine = Number(call.options['start-line'] ?? 0)
      const endLine = call.options['end-line'] === undefined ? lines.length : Number(call.options['end-line'])
      if (Number.isInteger(startLine) && Number.isInteger(endLine)) {
        lines = lines.slice(startLine, endLine)
        firstLine += startLine
      }
      const after = call.options['start-after']
      if (after) {
        const at = lines.findIndex((l) => l.includes(after))
        if (at >= 0) {
          lines = lines.slice(at + 1)
          firstLine += at + 1
        }
      }
      const before = call.options['end-before']
      if (before) {
        const at = lines.findIndex((l) => l.includes(before))
        if (at >= 0) lines = lines.slice(0, at)
      }
      const text = lines.join('\n')

      if (call.options['literal'] !== undefined || call.options['code'] !== undefined) {
        const code: Code = { type: 'code', lang: call.options['lang'] ?? call.options['code'] ?? null, meta: null, value: text }
        if (call.node.position) code.position = call.node.position
        return [code]
      }
      // Messages while parsing name the included file and its lines; what reads the source
      // (roles, citations, quotes) runs now, on that file. Later stages see the include's place.
      const inner = context.include(file)
      const root: Root = { type: 'root', children: inner.parse(text, { line: firstLine, column: 1 }) }
      inner.finish(root)
      if (call.node.position) placeAt(root, call.node.position)
      return root.children
    },
  },
}

function placeAt(tree: Root, position: Position): void {
  visit(tree, (node) => {
    if (node.type === 'root') return
    node.position = { start: { ...position.start }, end: { ...position.end } }
    if (node.type === 'quote') node.attribution.place = { line: position.start.line, column: position.start.column }
  })
}
