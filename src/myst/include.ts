// `{include}` puts another markdown file of the project in place, parsed as
// MyST, or shown as code with `:literal:` or a language; `{literalinclude}`
// always shows a file as code (the loader reads the files pages name in their
// includes, so code beside the book can be shown). Only files inside the content
// folder can be included, and a file cannot include itself, even through
// others. Messages about the included text name the included file.
// A page with everything it includes is held to a chapter's limits: its size
// counts every included text (a file included twice counts twice, so
// includes that double at each level stop at the limit), what an included
// file nests adds to where it is included, and includes go ten files deep.

import type { Code, Root, RootContent } from 'mdast'
import type { Position } from 'unist'
import { visit } from '../markdown/visit.js'
import { maxChapterLength, readLimits } from '../markdown/limits.js'
import { createMessage } from '../messages.js'
import { joinInside } from '../site/assets.js'
import { hintFor } from '../suggest.js'
import type { DirectiveCall, DirectiveSpec } from './directives.js'
import { labelOf } from './options.js'
import type { Figure } from './nodes.js'

/** Files one inside another through `include`, counting the page. */
export const maxIncludeDepth = 10

/** Includes one page may make, counting those of the files it includes. */
export const maxIncludes = 200

const includeOptions = [
  'start-line',
  'end-line',
  'start-after',
  'end-before',
  'start-at',
  'end-at',
  'lines',
  'literal',
  'lang',
  'language',
  'code',
  'caption',
  'filename',
  'linenos',
  'lineno-start',
  'lineno-match',
  'emphasize-lines',
  'dedent',
  'encoding',
]

export const includeSpecs: Record<string, DirectiveSpec> = {
  include: { options: includeOptions, build: (call) => include(call, false) },
  // Sphinx's name for an include shown as code, which MyST takes as an alias.
  literalinclude: { options: includeOptions, build: (call) => include(call, true) },
}

function include(call: DirectiveCall, literalAlways: boolean): RootContent[] {
  const { context } = call
  const directive = `\`{${call.name}}\``
  // With a language, an include is shown as code too, as in MyST.
  const asCode = literalAlways || call.option('literal', 'lang', 'language', 'code') !== undefined
  const written = call.arg.trim()
  const path = joinInside(context.file.path, written)
  const file = path === undefined ? undefined : context.files.get(path)
  // A problem is said once per place and page, and a limit once per page: includes that double at
  // every level would otherwise say it thousands of times.
  const refuse = (rule: 'include-file-exists' | 'path-inside-project' | 'content-size-within-limit' | 'nesting-depth-within-limit', reason: string, hint: () => string, once?: string) => {
    const key = once ?? `${rule} ${context.file.path}:${call.argPlace.line}:${call.argPlace.column}`
    if (!context.included.refused.has(key)) {
      context.included.refused.add(key)
      context.messages.push(createMessage(rule, context.file.display, call.argPlace, reason, hint()))
    }
    return []
  }
  // A file outside the project is never read: an error in both dialects. A missing one is a warning in MyST's.
  if (path === undefined) {
    return refuse('path-inside-project', `${directive} names \`${written}\`, which is outside the content folder`, () =>
      'Only files inside the content folder can be included: move the file into it, and write its path relative to this file.',
    )
  }
  if (!file) {
    return refuse(
      'include-file-exists',
      `${directive} names \`${written}\`, but there is no such file in the content folder`,
      () => hintFor(path, context.files.keys(), 'Paths are relative to this file, and only files inside the content folder can be included.'),
    )
  }
  // Shown as code, a file may show itself: nothing in it is read as markdown.
  if (!asCode && context.including.includes(file.path)) {
    return refuse(
      'include-file-exists',
      `${directive} of \`${written}\` would include it inside itself (${[...context.including, file.path].join(' → ')})`,
      () => 'Remove the include that closes the circle.',
    )
  }
  if (context.including.length >= maxIncludeDepth) {
    return refuse(
      'nesting-depth-within-limit',
      `${directive} of \`${written}\` would put a file ${context.including.length + 1} deep in includes (${context.including.join(' → ')} → …); fieldnotes follows includes at most ${maxIncludeDepth} deep`,
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
      `${directive} names \`${written}\`, which has ${millions(file.text.length)}; an included file may have at most ${millions(maxChapterLength)}, like a chapter`,
      () => 'Split the file, and include only the part this page needs.',
      `file ${file.path}`,
    )
  }

  const { text, firstLine } = selectLines(file.text, call.options)
  if (context.included.characters + text.length > maxChapterLength) {
    return refuse(
      'content-size-within-limit',
      `${directive} of \`${written}\` would bring the page \`${context.including[0]}\` to ${millions(context.included.characters + text.length)} with what it already includes; a page with its includes may have at most ${millions(maxChapterLength)}, so this include and any too large after it are left out`,
      () => 'Include a shorter part of the file (`:start-line:` and `:end-line:`), or include it in fewer places.',
      'size',
    )
  }
  context.included.count++
  context.included.characters += text.length

  if (asCode) return literal(call, file.path, text)
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
}

/** Keep the lines asked for (`:lines:` first, then the markers), with the number of the first one kept. */
export function selectLines(source: string, options: Record<string, string>): { text: string; firstLine: number } {
  let numbered = source.split(/\r\n|\r|\n/).map((line, i) => ({ line, n: i + 1 }))
  if (options['lines']) numbered = pickLines(numbered, options['lines'])
  const startLine = Number(options['start-line'] ?? 0)
  const endLine = options['end-line'] === undefined ? numbered.length : Number(options['end-line'])
  if (Number.isInteger(startLine) && Number.isInteger(endLine)) numbered = numbered.slice(startLine, endLine)
  const find = (key: string) => {
    const marker = options[key]
    return marker ? numbered.findIndex(({ line }) => line.includes(marker)) : -1
  }
  let at = find('start-after')
  if (at >= 0) numbered = numbered.slice(at + 1)
  at = find('start-at')
  if (at >= 0) numbered = numbered.slice(at)
  at = find('end-before')
  if (at >= 0) numbered = numbered.slice(0, at)
  at = find('end-at')
  if (at >= 0) numbered = numbered.slice(0, at + 1)
  return { text: numbered.map(({ line }) => line).join('\n'), firstLine: numbered[0]?.n ?? 1 }
}

/** Sphinx's `:lines:`: `1,3,5-10,20-`, counted from 1; a range may leave out either end. */
function pickLines<T>(lines: T[], spec: string): T[] {
  const picked: T[] = []
  for (const part of spec.split(',')) {
    const range = /^\s*(\d*)\s*(-?)\s*(\d*)\s*$/.exec(part)
    if (!range || (range[1] === '' && range[3] === '')) continue
    const from = range[1] === '' ? 1 : Number(range[1])
    const to = range[2] === '' ? from : range[3] === '' ? lines.length : Number(range[3])
    for (let n = Math.max(from, 1); n <= Math.min(to, lines.length); n++) picked.push(lines[n - 1]!)
  }
  return picked
}

const languages: Record<string, string> = {
  py: 'python',
  js: 'javascript',
  mjs: 'javascript',
  ts: 'typescript',
  r: 'r',
  jl: 'julia',
  sh: 'bash',
  bash: 'bash',
  yml: 'yaml',
  yaml: 'yaml',
  json: 'json',
  toml: 'toml',
  md: 'markdown',
  tex: 'latex',
  c: 'c',
  h: 'c',
  cpp: 'cpp',
  rs: 'rust',
  go: 'go',
  java: 'java',
  rb: 'ruby',
  sql: 'sql',
  html: 'html',
  css: 'css',
}

/** The included text as code: in the language given, or the one its extension names; numbered as a listing when it has a caption or a label. */
function literal(call: DirectiveCall, path: string, text: string): RootContent[] {
  const extension = /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase()
  const lang = call.option('lang', 'language', 'code')?.trim() || (extension ? languages[extension] : undefined) || null
  const code: Code = { type: 'code', lang, meta: null, value: text }
  if (call.node.position) code.position = call.node.position
  const caption = call.options['caption']?.trim()
  const label = labelOf(call)
  if (!caption && !label) return [code]
  const [title] = caption ? call.context.parse(caption, call.optionPlaces['caption'] ?? call.argPlace) : []
  const figure: Figure = { type: 'figure', kind: 'code', label, caption: title?.type === 'paragraph' ? title.children : undefined, children: [code] }
  if (call.node.position) figure.position = call.node.position
  return [figure]
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
