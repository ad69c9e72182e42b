// MyST roles, {name}`content`, are data too: each spec turns a role's content
// into inline nodes. remark reads a role as text ending in `{name}` followed
// right away by a code span; this visitor finds those pairs and dispatches.
// An unknown role is a warning, and it is shown as written, as code.

import type { InlineCode, Link, Parent, PhrasingContent, Text } from 'mdast'
import type { CiteItem } from '../cite/nodes.js'
import { citeNode, locatorOf } from '../cite/syntax.js'
import { createMessage, placeOf } from '../messages.js'
import { hintFor } from '../suggest.js'
import { termId } from './containers.js'
import { inlineMath } from './math.js'
import type { InlineElement } from './nodes.js'
import type { MystContext } from './parse.js'

interface RoleCall {
  name: string
  content: string
  node: InlineCode
  context: MystContext
}

type RoleSpec = (call: RoleCall) => PhrasingContent[]

/** `text <target>` or just `target`, as Sphinx writes explicit titles. */
function titled(content: string): { text: string | undefined; target: string } {
  // Found from the end: as a regular expression, a long run of spaces was searched from again at each space.
  const written = content.trim()
  const open = written.endsWith('>') ? written.lastIndexOf('<') : -1
  const target = open < 0 ? '' : written.slice(open + 1, -1)
  const text = open < 0 ? '' : written.slice(0, open).trimEnd()
  return text !== '' && target !== '' && !target.includes('>') ? { text, target: target.trim() } : { text: undefined, target: written }
}

/** `text (title)`, as `{abbr}` writes the expansion: found from the end, like `titled`. */
function parenthesised(content: string): { text: string; title: string } | undefined {
  const written = content.trimEnd()
  const open = written.endsWith(')') ? written.lastIndexOf('(') : -1
  const inner = open < 0 ? ')' : written.slice(open + 1, -1)
  return inner.includes(')') ? undefined : { text: written.slice(0, open).trim(), title: inner.trim() }
}

function link(call: RoleCall, url: string, text: string | undefined, template?: string): Link {
  const node: Link = { type: 'link', url, children: text === undefined ? [] : [{ type: 'text', value: text }] }
  node.data = { role: call.name, ...(template !== undefined && { template }) }
  // The reference starts where the role does, at its `{name}`, so that a message about it points there.
  const at = call.node.position
  if (at) node.position = { start: { ...at.start, column: Math.max(1, at.start.column - call.name.length - 2), offset: undefined }, end: at.end }
  return node
}

const element =
  (tagName: InlineElement['tagName'], className: string[] = []): RoleSpec =>
  (call) => [{ type: 'inlineElement', tagName, title: undefined, className, children: [{ type: 'text', value: call.content }] }]

const cite =
  (mode: 'parenthetical' | 'narrative'): RoleSpec =>
  (call) => {
    const start = placeOf(call.node)
    let from = start.column - 1
    const items = call.content
      .split(/[,;]/)
      .filter((written) => written.trim() !== '')
      .map((written): CiteItem => {
        // MyST's prefix and suffix: {cite:p}`{see}smith2020{p. 3}`.
        const parts = /^\s*(?:\{([^{}]*)\})?([^{}]*?)(?:\{([^{}]*)\})?\s*$/.exec(written)
        const key = (parts?.[2] ?? written).trim().replace(/^@/, '')
        const place = call.context.source.find(start.line, key, from)
        from = place.column
        const item: CiteItem = { key, place }
        if (parts?.[1]?.trim()) item.prefix = parts[1].trim()
        if (parts?.[3]?.trim()) Object.assign(item, locatorOf(parts[3]))
        return item
      })
      .filter((item) => item.key !== '')
    return [citeNode(items, mode, call.node.position)]
  }

const specs: Record<string, RoleSpec> = {
  ref: (call) => {
    const { text, target } = titled(call.content)
    return [link(call, `#${target}`, text)]
  },
  numref: (call) => {
    const { text, target } = titled(call.content)
    const template = text !== undefined && /%s|\{number\}/.test(text) ? text : undefined
    return [link(call, `#${target}`, template === undefined ? text : undefined, template)]
  },
  // Sphinx Proof's reference role: the number ("Theorem 1"), or your text.
  'prf:ref': (call) => {
    const { text, target } = titled(call.content)
    return [link(call, `#${target}`, text)]
  },
  eq: (call) => [link(call, `#${titled(call.content).target}`, titled(call.content).text, '(%s)')],
  doc: (call) => {
    const { text, target } = titled(call.content)
    const path = /\.(md|ipynb)$/i.test(target) ? target : `${target}.md`
    return [link(call, path, text)]
  },
  term: (call) => {
    const { text, target } = titled(call.content)
    return [link(call, `#${termId(target)}`, text ?? target)]
  },
  // A link styled as a button; without a target, just the look of one.
  button: (call) => {
    const { text, target } = titled(call.content)
    const written = /^<(.*)>$/.exec(target.trim())?.[1]
    const url = text === undefined ? written : target
    if (url === undefined) return [{ type: 'inlineElement', tagName: 'span', title: undefined, className: ['button'], children: [{ type: 'text', value: target }] }]
    const node = link(call, url, text ?? url)
    node.data = { ...node.data, hProperties: { className: ['button'] } }
    return [node]
  },
  // Index entries show their text; the site has no index page to gather them on.
  index: (call) => [{ type: 'text', value: titled(call.content).text ?? titled(call.content).target }],
  download: (call) => {
    const { text, target } = titled(call.content)
    return [link(call, target, text ?? target.split('/').pop() ?? target)]
  },
  abbr: (call) => {
    const match = parenthesised(call.content)
    const node: InlineElement = {
      type: 'inlineElement',
      tagName: 'abbr',
      title: match?.title,
      className: [],
      children: [{ type: 'text', value: match ? match.text : call.content }],
    }
    return [node]
  },
  sub: element('sub'),
  subscript: element('sub'),
  sup: element('sup'),
  superscript: element('sup'),
  kbd: element('kbd'),
  u: element('u'),
  underline: element('u'),
  del: element('del'),
  strike: element('del'),
  sc: element('span', ['smallcaps']),
  smallcaps: element('span', ['smallcaps']),
  code: (call) => [{ type: 'inlineCode', value: call.content }],
  math: (call) => [inlineMath(call.content, call.node.position, call.context)],
  'proof:ref': (call) => specs['prf:ref']!(call),
  cite: cite('parenthetical'),
  'cite:p': cite('parenthetical'),
  'cite:ps': cite('parenthetical'),
  'cite:t': cite('narrative'),
  'cite:ts': cite('narrative'),
}

export function transformRoles(tree: Parent, context: MystContext): void {
  const children = mergeTexts(tree.children as PhrasingContent[])
  // Rebuilt rather than spliced: a paragraph may hold many thousands of roles.
  const rebuilt: PhrasingContent[] = []
  for (let index = 0; index < children.length; index++) {
    const child = children[index]!
    const next = children[index + 1]
    const name = child.type === 'text' ? /\{([A-Za-z][\w:.+-]*)\}$/.exec(child.value)?.[1] : undefined
    if (child.type === 'text' && name !== undefined && next?.type === 'inlineCode' && adjacent(child, next)) {
      const replacement = runRole(name, next, context)
      child.value = child.value.slice(0, -(name.length + 2))
      if (child.position) {
        child.position = { start: child.position.start, end: { ...child.position.end, column: child.position.end.column - name.length - 2 } }
      }
      if (child.value !== '') rebuilt.push(child)
      for (const node of replacement) rebuilt.push(node)
      index++
      continue
    }
    rebuilt.push(child)
    if ('children' in child) transformRoles(child as Parent, context)
  }
  tree.children = rebuilt as Parent['children']
}

/**
 * Join neighbouring text nodes: remark-directive reads `:t` in `{cite:t}` as a
 * directive, and our dialect's transform puts it back as a text node of its own.
 */
function mergeTexts(children: PhrasingContent[]): PhrasingContent[] {
  const merged: PhrasingContent[] = []
  for (const b of children) {
    const a = merged.at(-1)
    if (a?.type !== 'text' || b.type !== 'text') {
      merged.push(b)
      continue
    }
    a.value += b.value
    const start = a.position?.start ?? b.position?.start
    const end = b.position?.end ?? a.position?.end
    if (start && end) a.position = { start, end }
  }
  return merged
}

function adjacent(text: Text, code: InlineCode): boolean {
  const end = text.position?.end
  const start = code.position?.start
  return end !== undefined && start !== undefined && end.line === start.line && end.column === start.column
}

function runRole(raw: string, node: InlineCode, context: MystContext): PhrasingContent[] {
  const name = raw.toLowerCase()
  const spec = Object.hasOwn(specs, name) ? specs[name] : undefined
  if (spec) return spec({ name, content: node.value, node, context })
  const at = placeOf(node)
  context.messages.push(
    createMessage(
      'role-known',
      context.file.display,
      { line: at.line, column: Math.max(1, at.column - raw.length - 2) },
      `Unknown role \`{${raw}}\`; it is shown as written, as code`,
      hintFor(name, Object.keys(specs), 'See docs/myst.md for the roles this generator supports.'),
    ),
  )
  // As MyST's HTML shows it: the role's name, then its content, each as code.
  const content: InlineCode = { type: 'inlineCode', value: node.value }
  if (node.position) content.position = node.position
  const unknown: InlineElement = {
    type: 'inlineElement',
    tagName: 'span',
    title: undefined,
    className: ['role', 'unhandled'],
    children: [{ type: 'inlineCode', value: `{${raw}}` }, content],
  }
  return [unknown]
}
