// Directives are data: each spec says which attributes a directive takes and
// what node it becomes. One visitor checks every directive against its spec.

import type { Heading, Paragraph, Parent, PhrasingContent, Root, RootContent } from 'mdast'
import type { ContainerDirective, LeafDirective, TextDirective } from 'mdast-util-directive'
import { toString } from 'mdast-util-to-string'
import { createMessage, placeOf, type Message, type Place } from '../messages.js'
import { didYouMean, hintFor } from '../suggest.js'
import type { AddressedId, Callout, CalloutKind, Finding, FlowContent, Horizon, Recommendation } from './nodes.js'
import type { SourceLines } from './source.js'

interface Context {
  file: string
  source: SourceLines
  messages: Message[]
}

interface DirectiveSpec {
  attributes: readonly string[]
  build(node: ContainerDirective, context: Context): RootContent | undefined
}

const horizons: readonly Horizon[] = ['short', 'medium', 'long', 'ongoing']
const calloutKinds: readonly CalloutKind[] = ['note', 'tip', 'important', 'warning']

const specs: Record<string, DirectiveSpec> = {
  finding: {
    attributes: ['id', 'summary'],
    build(node, context) {
      const parts = titled(node, context, 'finding')
      if (!parts) return undefined
      const finding: Finding = { type: 'finding', ...parts }
      const summary = node.attributes?.['summary']?.trim()
      if (summary) finding.summary = summary
      if (node.position) finding.position = node.position
      return finding
    },
  },
  recommendation: {
    attributes: ['id', 'addresses', 'audience', 'horizon'],
    build(node, context) {
      const parts = titled(node, context, 'recommendation')
      if (!parts) return undefined
      const attributes = node.attributes ?? {}
      const line = node.position?.start.line ?? 1
      const addresses: AddressedId[] = []
      let from = context.source.line(line).indexOf('addresses')
      for (const id of (attributes['addresses'] ?? '').split(/[\s,]+/).filter(Boolean)) {
        const place = context.source.find(line, id, Math.max(from, 0))
        from = place.column
        addresses.push({ id, place })
      }
      const chosen: Horizon[] = []
      for (const word of (attributes['horizon'] ?? '').split(/[\s,]+/).filter(Boolean)) {
        if ((horizons as readonly string[]).includes(word)) chosen.push(word as Horizon)
        else
          context.messages.push(
            createMessage(
              'horizon-valid',
              context.file,
              context.source.find(line, word, context.source.line(line).indexOf('horizon')),
              `Unknown horizon \`${word}\` on recommendation \`${parts.id}\``,
              `Use one or more of: ${horizons.join(', ')}${suggestion(word, horizons)}.`,
            ),
          )
      }
      const audience = attributes['audience']?.trim()
      const recommendation: Recommendation = {
        type: 'recommendation',
        ...parts,
        addresses,
        audience: audience ? audience : undefined,
        horizons: chosen,
      }
      if (node.position) recommendation.position = node.position
      return recommendation
    },
  },
  ...Object.fromEntries(
    calloutKinds.map((kind): [string, DirectiveSpec] => [
      kind,
      {
        attributes: [],
        build(node) {
          const [first, ...rest] = node.children
          const labelled = first?.type === 'paragraph' && first.data?.directiveLabel === true
          const callout: Callout = {
            type: 'callout',
            kind,
            title: labelled ? (first as Paragraph).children : undefined,
            children: (labelled ? rest : node.children) as FlowContent[],
          }
          if (node.position) callout.position = node.position
          return callout
        },
      },
    ]),
  ),
}

export function transformDirectives(tree: Root, file: string, source: SourceLines, messages: Message[]): void {
  const context: Context = { file, source, messages }
  replaceIn(tree, context)
}

function replaceIn(parent: Parent, context: Context): void {
  const children = parent.children as RootContent[]
  // Rebuilt rather than spliced: a paragraph may hold many thousands of `:word`s read as directives.
  let rebuilt: RootContent[] | undefined
  for (let index = 0; index < children.length; index++) {
    const child = children[index]!
    if ('children' in child) replaceIn(child as Parent, context)
    const replacement = replaceDirective(child, context)
    if (replacement) {
      rebuilt ??= children.slice(0, index)
      for (const node of replacement) rebuilt.push(node)
    } else rebuilt?.push(child)
  }
  if (rebuilt) parent.children = rebuilt as Parent['children']
}

function replaceDirective(node: RootContent, context: Context): RootContent[] | undefined {
  if (node.type === 'paragraph') {
    strayFence(node, context)
    return undefined
  }
  if (node.type === 'textDirective') return [literal(node, context)]
  if (node.type === 'leafDirective') {
    unknownDirective(node, context)
    const paragraph: Paragraph = { type: 'paragraph', children: [literal(node, context)] }
    return [paragraph]
  }
  if (node.type !== 'containerDirective') return undefined
  checkClosed(node, context)
  const spec = Object.hasOwn(specs, node.name) ? specs[node.name] : undefined
  if (!spec) {
    unknownDirective(node, context)
    // Keep the body: an author's words are never dropped.
    return node.children as RootContent[]
  }
  for (const key of Object.keys(node.attributes ?? {})) {
    if (spec.attributes.includes(key)) continue
    context.messages.push(
      createMessage(
        'directive-attribute-known',
        context.file,
        context.source.find(node.position?.start.line ?? 1, key),
        `\`:::${node.name}\` does not take the attribute \`${key}\``,
        spec.attributes.length
          ? `It takes: ${spec.attributes.join(', ')}${suggestion(key, spec.attributes)}.`
          : 'Remove the attributes in braces.',
      ),
    )
  }
  const built = spec.build(node, context)
  return built ? [built] : (node.children as RootContent[])
}

/** The id and title heading that findings and recommendations share. */
function titled(
  node: ContainerDirective,
  context: Context,
  what: string,
): { id: string; title: PhrasingContent[]; titleText: string; depth: number; children: FlowContent[] } | undefined {
  const id = node.attributes?.['id']?.trim()
  const start = placeOf(node)
  if (!id) {
    context.messages.push(
      createMessage(
        'directive-id-present',
        context.file,
        start,
        `This ${what} has no id`,
        `Give it a short, stable id in braces: \`:::${what}{#${what === 'finding' ? 'slow-review' : 'r-faster-review'}}\`.`,
      ),
    )
    return undefined
  }
  const heading = node.children.find((child): child is Heading => child.type === 'heading')
  const firstContent = node.children[0]
  if (!heading || firstContent !== heading) {
    context.messages.push(
      createMessage(
        'directive-has-title',
        context.file,
        firstContent ?? start,
        `The ${what} \`${id}\` does not start with a heading, so it has no title`,
        `Make the first line inside \`:::${what}\` a heading, such as \`## Pull requests wait too long\`.`,
      ),
    )
    return undefined
  }
  return {
    id,
    title: heading.children,
    titleText: toString(heading),
    depth: heading.depth,
    children: node.children.slice(1) as FlowContent[],
  }
}

function checkClosed(node: ContainerDirective, context: Context): void {
  const start = node.position?.start.line
  const end = node.position?.end.line
  if (start === undefined || end === undefined) return
  const opening = /^\s*(:{3,})/.exec(context.source.line(start))?.[1]?.length ?? 3
  const closing = /^\s*(:{3,})\s*$/.exec(context.source.line(end))?.[1]?.length ?? 0
  if (end > start && closing >= opening) return
  context.messages.push(
    createMessage(
      'directive-closed',
      context.file,
      placeOf(node),
      `\`${':'.repeat(opening)}${node.name}\` is never closed, so it runs to the end of the file`,
      `Add a line with \`${':'.repeat(opening)}\` where the ${node.name} ends.`,
    ),
  )
}

/** A `:::` left over as text: a directive nested in another with a fence of the same length. */
function strayFence(node: Paragraph, context: Context): void {
  const stray = node.children.find((child) => child.type === 'text' && /(^|\n):{3,}[ \t]*(\n|$)/.test(child.value))
  if (stray?.type !== 'text') return
  const before = stray.value.slice(0, stray.value.search(/(^|\n):{3,}[ \t]*(\n|$)/) + 1)
  const newlines = before.split('\n').length - 1
  const line = (stray.position?.start.line ?? node.position?.start.line ?? 1) + newlines
  context.messages.push(
    createMessage(
      'directive-fence-balanced',
      context.file,
      { line, column: 1 },
      'A closing `:::` is left over, so a directive ended earlier than intended',
      'When one directive sits inside another, open and close the outer one with more colons (`::::finding` … `::::`).',
    ),
  )
}

function unknownDirective(node: ContainerDirective | LeafDirective, context: Context): void {
  const known = Object.keys(specs)
  context.messages.push(
    createMessage(
      'directive-known',
      context.file,
      placeOf(node),
      `Unknown directive \`${node.name}\`; its content is shown as plain text`,
      hintFor(node.name, known, `Known directives: ${known.join(', ')}.`),
    ),
  )
}

/** Put back the text of something that only looked like a directive, such as `10:30am` or `Note:this`. */
function literal(node: TextDirective | LeafDirective, context: Context): PhrasingContent {
  const start = node.position?.start
  const end = node.position?.end
  let value = `:${node.name}`
  if (start && end && start.offset !== undefined && end.offset !== undefined) {
    value = context.source.text.slice(start.offset, end.offset)
  }
  return { type: 'text', value }
}

function suggestion(word: string, candidates: readonly string[]): string {
  const hint = didYouMean(word, candidates)
  return hint ? ` (${hint})` : ''
}

export type { Place }
