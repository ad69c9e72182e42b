// `(label)=` on a line of its own names the block after it, so that
// `[](#label)` and `{ref}` can point there. A heading takes the label as its
// id; figures, equations and containers keep it as theirs; any other block is
// wrapped in a container that carries the anchor.

import type { Heading, Parent, Root, RootContent } from 'mdast'
import { visit, SKIP, EXIT } from 'unist-util-visit'
import { createMessage } from '../messages.js'
import type { Container } from './nodes.js'
import type { MystContext } from './parse.js'

export function transformTargets(tree: Root, targets: { line: number; column: number; label: string }[], context: MystContext): void {
  for (const target of targets) {
    let found = false
    visit(tree, (node, index, parent: Parent | undefined) => {
      if (node.type === 'root' || !parent || index === undefined) return undefined
      const line = node.position?.start.line
      if (line === undefined || line <= target.line) return node.position && node.position.end.line > target.line ? undefined : SKIP
      if (!isBlock(node as RootContent)) return undefined
      label(node as RootContent, parent, index, target.label)
      found = true
      return EXIT
    })
    if (found) continue
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

function label(node: RootContent, parent: Parent, index: number, id: string): void {
  if (node.type === 'heading') {
    const heading = node as Heading
    heading.data = { ...heading.data, hProperties: { ...heading.data?.hProperties, id } }
    return
  }
  if (node.type === 'figure' || node.type === 'math' || node.type === 'container' || node.type === 'callout') {
    node.label ??= id
    return
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
  parent.children.splice(index, 1, wrapper)
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
  'container',
  'callout',
  'quote',
  'finding',
  'recommendation',
])

function isBlock(node: RootContent): boolean {
  return blockTypes.has(node.type)
}
