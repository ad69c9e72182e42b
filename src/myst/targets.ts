// `(label)=` on a line of its own names the block after it, so that
// `[](#label)` and `{ref}` can point there. A heading takes the label as its
// id; figures, equations and containers keep it as theirs; any other block is
// wrapped in a container that carries the anchor.

import type { Heading, Parent, Root, RootContent } from 'mdast'
import { visit, SKIP } from '../markdown/visit.js'
import { createMessage } from '../messages.js'
import type { Container } from './nodes.js'
import type { MystContext } from './parse.js'

export function transformTargets(tree: Root, targets: { line: number; column: number; label: string }[], context: MystContext): void {
  if (targets.length === 0) return
  // Every block in document order, once: each label then takes the first that starts after its line.
  const blocks: { node: RootContent; parent: Parent; index: number; line: number }[] = []
  visit(tree, (node, index, parent: Parent | undefined) => {
    if (node.type === 'root' || !parent || index === undefined) return undefined
    if (!node.position) return SKIP
    if (isBlock(node as RootContent)) blocks.push({ node: node as RootContent, parent, index, line: node.position.start.line })
    return undefined
  })
  // The furthest line reached so far, which never goes down: the first block past a line is found by halving.
  const reached: number[] = []
  for (const block of blocks) reached.push(Math.max(reached.at(-1) ?? 0, block.line))
  const wrapped = new Map<RootContent, RootContent>()
  for (const target of targets) {
    let low = 0
    let high = blocks.length
    while (low < high) {
      const mid = (low + high) >> 1
      if (reached[mid]! > target.line) high = mid
      else low = mid + 1
    }
    const block = blocks[low]
    const earlier = context.labels.get(target.label)
    if (block && earlier) {
      // As in MyST, the first block keeps the label; this one keeps its own id.
      context.messages.push(
        createMessage(
          'id-unique',
          context.file.display,
          target,
          `The label \`(${target.label})=\` is already used at ${earlier.file}:${earlier.place.line}:${earlier.place.column}`,
          'Labels must be unique on a page; rename one of them.',
        ),
      )
      continue
    }
    if (block) {
      context.labels.set(target.label, { file: context.file.display, place: { line: target.line, column: target.column } })
      const node = wrapped.get(block.node) ?? block.node
      const wrapper = label(node, block.parent, block.index, target.label)
      if (wrapper) wrapped.set(block.node, wrapper)
      continue
    }
    context.messages.push(
      createMessage(
        'target-labels-block',
        context.file.display,
        target,
        `The label \`(${target.label})=\` is not followed by anything it could name`,
        'Put the label on the line just before a heading, figure, equation or paragraph.',
      ),
    )
  }
}

/** Give the block the label; a block that must be wrapped to carry it is replaced by the wrapper, which is returned. */
function label(node: RootContent, parent: Parent, index: number, id: string): Container | undefined {
  if (node.type === 'heading') {
    const heading = node as Heading
    heading.data = { ...heading.data, hProperties: { ...heading.data?.hProperties, id } }
    return undefined
  }
  if (node.type === 'figure' || node.type === 'math' || node.type === 'container' || node.type === 'callout') {
    node.label ??= id
    return undefined
  }
  const wrapper: Container = {
    type: 'container',
    tagName: 'div',
    className: ['labelled'],
    title: undefined,
    label: id,
    targetKind: 'block',
    children: [node as Container['children'][number]],
  }
  if (node.position) wrapper.position = node.position
  parent.children[index] = wrapper
  return wrapper
}

const blockTypes = new Set([
  'heading',
  'paragraph',
  'list',
  'table',
  'code',
  'blockquote',
  'thematicBreak',
  'html',
  'math',
  'figure',
  'image',
  'container',
  'callout',
  'quote',
  'finding',
  'recommendation',
])

function isBlock(node: RootContent): boolean {
  return blockTypes.has(node.type)
}
