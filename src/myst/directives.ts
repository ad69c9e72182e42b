// MyST directives are data: each spec names the options it takes and builds
// nodes from the directive's argument, options and body. One visitor finds
// every ```` ```{name} ```` fence (colon fences arrive as `~~~{name}`, see
// scan.ts), reads its options, checks them against the spec and dispatches.
// An unknown directive is a warning, and its body is kept as plain content.

import type { Code, Parent, PhrasingContent, RootContent } from 'mdast'
import { parse as parseYaml } from 'yaml'
import { createMessage, type Place } from '../messages.js'
import { hintFor } from '../suggest.js'
import { admonitionSpecs } from './admonitions.js'
import { containerSpecs } from './containers.js'
import { figureSpecs } from './figures.js'
import { includeSpecs } from './include.js'
import { itemSpecs } from './items.js'
import { mediaSpecs } from './media.js'
import type { MystContext } from './parse.js'

export interface DirectiveCall {
  name: string
  /** Text after `{name}` on the opening line. */
  arg: string
  argPlace: Place
  options: Record<string, string>
  optionPlaces: Record<string, Place>
  /** The body as written, after the options. */
  body: string
  /** Where the body's first character sits in the file. */
  bodyOrigin: Place
  /** The fence, for positions. */
  node: Code
  context: MystContext
  /** The body parsed as MyST markdown. */
  parseBody(): RootContent[]
  /** The argument parsed as one line of MyST markdown. */
  parseArg(): PhrasingContent[]
  /** The value of the first of these options that is given. */
  option(...names: string[]): string | undefined
}

export interface DirectiveSpec {
  /** Options it uses; `class`, `name` and `label` are always accepted. */
  options: readonly string[]
  build(call: DirectiveCall): RootContent[]
}

const alwaysAccepted = ['class', 'name', 'label']

export const specs: Record<string, DirectiveSpec> = {
  ...admonitionSpecs,
  ...figureSpecs,
  ...containerSpecs,
  ...includeSpecs,
  ...itemSpecs,
  ...mediaSpecs,
}

export function transformDirectives(tree: Parent, context: MystContext): void {
  const children = tree.children as RootContent[]
  // Rebuilt rather than spliced: a page may hold many thousands of directives.
  let rebuilt: RootContent[] | undefined
  for (let index = 0; index < children.length; index++) {
    const child = children[index]!
    const name = child.type === 'code' ? /^\{([^{}\s]+)\}$/.exec(child.lang ?? '')?.[1] : undefined
    if (child.type === 'code' && name !== undefined) {
      // What a directive returns is already transformed (its body was parsed as a fragment).
      rebuilt ??= children.slice(0, index)
      for (const node of runDirective(child, name.toLowerCase(), context)) rebuilt.push(node)
      continue
    }
    rebuilt?.push(child)
    if ('children' in child) transformDirectives(child as Parent, context)
  }
  if (rebuilt) tree.children = rebuilt as Parent['children']
}

function runDirective(node: Code, name: string, context: MystContext): RootContent[] {
  const call = readCall(node, name, context)
  const spec = Object.hasOwn(specs, name) ? specs[name] : undefined
  if (!spec) {
    const known = Object.keys(specs)
    context.messages.push(
      createMessage(
        'directive-known',
        context.file.display,
        node,
        `Unknown directive \`{${name}}\`; its content is shown as plain text`,
        hintFor(name, known, 'See docs/myst.md for the directives this generator supports.'),
      ),
    )
    const arg = call.arg.trim() === '' ? [] : [{ type: 'paragraph' as const, children: call.parseArg() }]
    return [...arg, ...call.parseBody()]
  }
  for (const key of Object.keys(call.options)) {
    if (spec.options.includes(key) || alwaysAccepted.includes(key)) continue
    context.messages.push(
      createMessage(
        'directive-option-known',
        context.file.display,
        call.optionPlaces[key],
        `\`{${name}}\` does not use the option \`:${key}:\`, so it is ignored`,
        spec.options.length > 0
          ? hintFor(key, [...spec.options, ...alwaysAccepted], `It takes: ${[...spec.options, ...alwaysAccepted].join(', ')}.`)
          : `It takes only: ${alwaysAccepted.join(', ')}.`,
      ),
    )
  }
  return spec.build(call)
}

/** Split a fence into argument, options (`:key: value` lines or a YAML block) and body. */
function readCall(node: Code, name: string, context: MystContext): DirectiveCall {
  const start = node.position?.start ?? { line: 1, column: 1 }
  const indent = start.column - 1
  const openLine = context.source.line(start.line)
  const arg = (node.meta ?? '').trim()
  const argColumn = arg === '' ? openLine.length + 1 : openLine.indexOf(arg, openLine.indexOf(name) + name.length) + 1
  const argPlace: Place = { line: start.line, column: Math.max(argColumn, 1) }

  const lines = node.value === '' ? [] : node.value.split('\n')
  const options: Record<string, string> = {}
  const optionPlaces: Record<string, Place> = {}
  let used = 0
  if (lines[0]?.trim() === '---') {
    const end = lines.indexOf('---', 1)
    if (end > 0) {
      const data: unknown = safeYaml(lines.slice(1, end).join('\n'))
      if (data && typeof data === 'object' && !Array.isArray(data)) {
        lines.slice(1, end).forEach((line, i) => {
          const key = /^([\w-]+)\s*:/.exec(line)?.[1]
          if (key) optionPlaces[key] = { line: start.line + 2 + i, column: indent + 1 }
        })
        for (const [key, value] of Object.entries(data)) options[key] = value === null ? '' : String(value)
      }
      used = end + 1
    }
  } else {
    while (used < lines.length) {
      const option = /^:([\w-]+):(?:\s+(.*))?$/.exec(lines[used]!.trim())
      if (!option) break
      options[option[1]!] = (option[2] ?? '').trim()
      optionPlaces[option[1]!] = { line: start.line + 1 + used, column: indent + lines[used]!.indexOf(':') + 1 }
      used++
    }
  }
  // A blank line may separate the options from the body.
  if (used > 0 && lines[used]?.trim() === '') used++
  const body = lines.slice(used).join('\n')
  const bodyOrigin: Place = { line: start.line + 1 + used, column: indent + 1 }
  return {
    name,
    arg,
    argPlace,
    options,
    optionPlaces,
    body,
    bodyOrigin,
    node,
    context,
    parseBody: () => (body.trim() === '' ? [] : context.parse(body, bodyOrigin)),
    parseArg: () => {
      if (arg === '') return []
      const [first] = context.parse(arg, argPlace)
      return first?.type === 'paragraph' ? first.children : [{ type: 'text', value: arg }]
    },
    option: (...names) => names.map((n) => options[n]).find((v) => v !== undefined),
  }
}

function safeYaml(text: string): unknown {
  try {
    return parseYaml(text)
  } catch {
    return undefined
  }
}

/** The label a directive gives its block: `:label:`, or Sphinx's `:name:`. */
export function labelOf(call: DirectiveCall): string | undefined {
  const label = call.option('label', 'name')?.trim()
  return label === '' ? undefined : label
}

/** Classes from `:class:`, as a list. */
export function classesOf(call: DirectiveCall): string[] {
  return (call.options['class'] ?? '').split(/\s+/).filter(Boolean)
}
