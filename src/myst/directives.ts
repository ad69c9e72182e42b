// MyST directives are data: each spec names the options it takes and builds
// nodes from the directive's argument, options and body. One visitor finds
// every ```` ```{name} ```` fence (colon fences arrive as `~~~{name}`, see
// scan.ts), reads its options, checks them against the spec and dispatches.
// An unknown directive is a warning, and it is shown as written, in a code block.

import type { Code, Parent, PhrasingContent, RootContent } from 'mdast'
import { parse as parseYaml } from 'yaml'
import { createMessage, type Place } from '../messages.js'
import { hintFor } from '../suggest.js'
import { admonitionSpecs } from './admonitions.js'
import { readInlineAttributes } from './attributes.js'
import { container, containerSpecs } from './containers.js'
import { figureSpecs } from './figures.js'
import { includeSpecs } from './include.js'
import { itemSpecs } from './items.js'
import { mediaSpecs } from './media.js'
import type { MystContext } from './parse.js'
import { statementSpecs } from './statements.js'

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
  ...statementSpecs,
  ...mediaSpecs,
}

export function transformDirectives(tree: Parent, context: MystContext): void {
  const children = tree.children as RootContent[]
  // Rebuilt rather than spliced: a page may hold many thousands of directives.
  let rebuilt: RootContent[] | undefined
  for (let index = 0; index < children.length; index++) {
    const child = children[index]!
    const opening = child.type === 'code' ? readOpening(child) : undefined
    if (child.type === 'code' && opening !== undefined) {
      // What a directive returns is already transformed (its body was parsed as a fragment).
      rebuilt ??= children.slice(0, index)
      for (const node of runDirective(child, opening, context)) rebuilt.push(node)
      continue
    }
    rebuilt?.push(child)
    if ('children' in child) transformDirectives(child as Parent, context)
  }
  if (rebuilt) tree.children = rebuilt as Parent['children']
}

interface Opening {
  name: string
  /** Inline attributes written inside the braces after the name (`.class #id key=value`). */
  attributes: string
  arg: string
}

/** `{name}` or `{name .class #id key=value}`, then the argument; remark splits the info string at its first space. */
function readOpening(node: Code): Opening | undefined {
  const info = node.meta ? `${node.lang ?? ''} ${node.meta}` : (node.lang ?? '')
  const match = /^\{([^{}\s]+)((?:\s[^{}]*)?)\}(?:\s+([\s\S]*))?$/.exec(info)
  if (!match) return undefined
  return { name: match[1]!.toLowerCase(), attributes: match[2]!.trim(), arg: (match[3] ?? '').trim() }
}

function runDirective(node: Code, opening: Opening, context: MystContext): RootContent[] {
  const { name } = opening
  const call = readCall(node, opening, context)
  const spec = Object.hasOwn(specs, name) ? specs[name] : undefined
  if (!spec) {
    const known = Object.keys(specs)
    context.messages.push(
      createMessage(
        'directive-known',
        context.file.display,
        node,
        `Unknown directive \`{${name}}\`; it is shown as written, in a code block`,
        hintFor(name, known, 'See docs/myst.md for the directives this generator supports.'),
      ),
    )
    return [unknownDirective(call)]
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

/**
 * An unknown directive, shown as MyST's HTML shows it: its name and argument,
 * then its options and body as written, in a code block.
 */
function unknownDirective(call: DirectiveCall): RootContent {
  const title: PhrasingContent[] = [{ type: 'inlineCode', value: `{${call.name}}` }]
  if (call.arg !== '') title.push({ type: 'text', value: ' ' }, { type: 'inlineCode', value: call.arg })
  const written: Code = { type: 'code', lang: null, meta: null, value: call.node.value }
  if (call.node.position) written.position = call.node.position
  const node = container(call, 'div', ['directive', 'unhandled'], title, call.node.value === '' ? [] : [written])
  // A label written on an unknown directive names nothing MyST would number.
  node.label = undefined
  node.targetKind = undefined
  node.className = ['directive', 'unhandled']
  return node
}

/** Split a fence into argument, options (`:key: value` lines or a YAML block) and body. */
function readCall(node: Code, opening: Opening, context: MystContext): DirectiveCall {
  const { name, arg } = opening
  const start = node.position?.start ?? { line: 1, column: 1 }
  const indent = start.column - 1
  const openLine = context.source.line(start.line)
  const nameEnd = openLine.toLowerCase().indexOf(name) + name.length
  const argColumn = arg === '' ? openLine.length + 1 : openLine.indexOf(arg, openLine.indexOf('}', nameEnd)) + 1
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
  // Inline attributes come first: a class adds to those of `:class:`, any other key set below the fence wins.
  const attributesAt = openLine.indexOf(opening.attributes, nameEnd)
  for (const attribute of readInlineAttributes(opening.attributes)) {
    const place: Place = { line: start.line, column: Math.max(attributesAt, 0) + attribute.offset + 1 }
    if (attribute.key === '') {
      context.messages.push(
        createMessage(
          'directive-option-known',
          context.file.display,
          place,
          `\`{${name}}\` cannot read \`${attribute.value}\` in its name, so it is ignored`,
          'Write inline options as `#label`, `.class` or `key=value` (quoted when the value has spaces).',
        ),
      )
      continue
    }
    if (attribute.key === 'class' && options['class'] !== undefined) {
      options['class'] = `${options['class']} ${attribute.value}`.trim()
      continue
    }
    if (options[attribute.key] !== undefined) continue
    options[attribute.key] = attribute.value
    optionPlaces[attribute.key] = place
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

export { classesOf, labelOf } from './options.js'
