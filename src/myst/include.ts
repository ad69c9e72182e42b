// `{include}` puts another markdown file of the project in place, parsed as
// MyST, or shown as code with `:literal:`. Only files inside the content
// folder can be included, and a file cannot include itself, even through
// others. Messages about the included text name the included file.
// A page with everything it includes is held to a chapter's limits: its size
// counts every included text (a file included twice counts twice, so
// includes that double at each level stop at the limit), what an included
// file nests adds to where it is included, and includes go ten files deep.

import type { Code, Root } from 'mdast'
import type { Position } from 'unist'
import { visit } from 'unist-util-visit'
import { maxChapterLength, readLimits } from '../markdown/limits.js'
import { createMessage } from '../messages.js'
import { joinInside } from '../site/assets.js'
import { hintFor } from '../suggest.js'
import type { DirectiveSpec } from './directives.js'

/** Files one inside another through `include`, counting the page. */
export const maxIncludeDepth = 10

/** Includes one page may make, counting those of the files it includes. */
export const maxIncludes = 200

export const includeSpecs: Record<string, DirectiveSpec> = {
  include: {
    options: ['start-line', 'end-line', 'start-after', 'end-before', 'literal', 'lang', 'code', 'caption', 'linenos', 'encoding'],
    build(call) {
      const { context } = call
      const written = call.arg.trim()
      const path = joinInside(context.file.path, written)
      const file = path === undefined ? undefined : context.files.get(path)
      // A problem is said once per place and page, and a limit once per page: includes that double at
      // every level would otherwise say it thousands of times.
      const refuse = (rule: 'include-file-exists' | 'content-size-within-limit' | 'nesting-depth-within-limit', reason: string, hint: () => string, once?: string) => {
        const key = once ?? `${rule} ${context.file.path}:${call.argPlace.line}:${call.argPlace.column}`
        if (!context.included.refused.has(key)) {
          context.included.refused.add(key)
          context.messages.push(createMessage(rule, context.file.display, call.argPlace, reason, hint()))
        }
        return []
      }
      if (!file || path === undefined) {
        return refuse(
          'include-file-exists',
          path === undefined
            ? `\`{include}\` names \`${written}\`, which is outside the content folder`
            : `\`{include}\` names \`${written}\`, but there is no such markdown file in the content folder`,
          () => hintFor(path ?? written, context.files.keys(), 'Paths are relative to this file, and only markdown files of the project can be included.'),
        )
      }
      if (context.including.includes(file.path)) {
        return refuse(
          'include-file-exists',
          `\`{include}\` of \`${written}\` would include it inside itself (${[...context.including, file.path].join(' → ')})`,
          () => 'Remove the include that closes the circle.',
        )
      }
      if (context.including.length >= maxIncludeDepth) {
        return refuse(
          'nesting-depth-within-limit',
          `\`{include}\` of \`${written}\` would put a file ${context.including.length + 1} deep in includes (${context.including.join(' → ')} → …); fieldnotes follows includes at most ${maxIncludeDepth} deep`,
          () => 'Include the file from a page higher up, rather than through a chain of other included files.',
        )
      }
      if (context.included.count >= maxIncludes) {
        return refuse(
          'content-size-within-limit',
          `The page \`${context.including[0]}\` already includes files ${maxIncludes} times, counting the includes of the files it includes; a page may include at most ${maxIncludes}, so this include and any after it are left out`,
          () => 'Include fewer files, or include the same file in fewer places: each include reads the file again.',
          'count',
        )
      }
      if (file.text.length > maxChapterLength) {
        return refuse(
          'content-size-within-limit',
          `\`{include}\` names \`${written}\`, which has ${millions(file.text.length)}; an included file may have at most ${millions(maxChapterLength)}, like a chapter`,
          () => 'Split the file, and include only the part this page needs.',
          `file ${file.path}`,
        )
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
      if (context.included.characters + text.length > maxChapterLength) {
        return refuse(
          'content-size-within-limit',
          `\`{include}\` of \`${written}\` would bring the page \`${context.including[0]}\` to ${millions(context.included.characters + text.length)} with what it already includes; a page with its includes may have at most ${millions(maxChapterLength)}, so this include and any too large after it are left out`,
          () => 'Include a shorter part of the file (`:start-line:` and `:end-line:`), or include it in fewer places.',
          'size',
        )
      }
      context.included.count++
      context.included.characters += text.length

      if (call.options['literal'] !== undefined || call.options['code'] !== undefined) {
        const code: Code = { type: 'code', lang: call.options['lang'] ?? call.options['code'] ?? null, meta: null, value: text }
        if (call.node.position) code.position = call.node.position
        return [code]
      }
      // Messages while parsing name the included file and its lines; what reads the source
      // (roles, citations, quotes) runs now, on that file. Later stages see the include's place.
      // What the included file nests adds to the deepest nesting of the files that include it.
      const limits = readLimits(text, file.display, { directiveFences: true, outerDepth: context.depth, firstLine })
      if (limits.messages.length > 0) {
        for (const message of limits.messages) {
          const key = `${message.ruleId} ${message.file}:${message.line}:${message.column}`
          if (context.included.refused.has(key)) continue
          context.included.refused.add(key)
          context.messages.push(message)
        }
        return []
      }
      const inner = context.include(file, limits.depth)
      const root: Root = { type: 'root', children: inner.parse(text, { line: firstLine, column: 1 }) }
      inner.finish(root)
      if (call.node.position) placeAt(root, call.node.position)
      return root.children
    },
  },
}

function millions(length: number): string {
  return `${(length / 1_000_000).toFixed(1)} million characters`
}

function placeAt(tree: Root, position: Position): void {
  visit(tree, (node) => {
    if (node.type === 'root') return
    node.position = { start: { ...position.start }, end: { ...position.end } }
    if (node.type === 'quote') node.attribution.place = { line: position.start.line, column: position.start.column }
  })
}
