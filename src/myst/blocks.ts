// `+++` splits a page into blocks, and the JSON after it describes the block
// that follows: `+++ {"part": "abstract"}` makes it the page's abstract. Parts
// become titled sections; the abstract moves to the top of its page, and the
// report's abstract is shown on the landing page (see `shareAbstract`).

import type { Root, RootContent } from 'mdast'
import { visit, EXIT } from '../markdown/visit.js'
import { createMessage } from '../messages.js'
import type { Container } from './nodes.js'
import type { MystContext } from './parse.js'

const partTitles: Record<string, string> = {
  abstract: 'Abstract',
  summary: 'Summary',
  keypoints: 'Key points',
  acknowledgements: 'Acknowledgements',
  acknowledgments: 'Acknowledgements',
  data_availability: 'Data availability',
  availability: 'Data availability',
}

export function transformBlocks(tree: Root, markers: { line: number; column: number; meta: string }[], context: MystContext): void {
  if (markers.length === 0) return
  const sorted = [...markers].sort((a, b) => a.line - b.line)
  const parts: Container[] = []
  const kept: RootContent[] = []
  let current: Container | undefined
  let next = 0
  for (const child of tree.children) {
    const line = child.position?.start.line ?? 0
    while (next < sorted.length && sorted[next]!.line < line) {
      current = partFor(sorted[next]!, context)
      if (current) parts.push(current)
      next++
    }
    if (current) current.children.push(child as Container['children'][number])
    else kept.push(child)
  }
  const abstract = parts.filter((p) => p.data?.part === 'abstract')
  const others = parts.filter((p) => p.data?.part !== 'abstract')
  // The abstract leads its page; other parts stay where they were written, after the main text.
  tree.children = [...abstract, ...kept, ...others].filter((n) => n.type !== 'container' || n.children.length > 0 || !n.data?.part)
}

function partFor(marker: { line: number; column: number; meta: string }, context: MystContext): Container | undefined {
  if (marker.meta === '') return undefined
  let meta: unknown
  try {
    meta = JSON.parse(marker.meta)
  } catch {
    context.messages.push(
      createMessage(
        'value-type-valid',
        context.file.display,
        marker,
        'The metadata after `+++` is not valid JSON, so it is ignored',
        'Write it as JSON, such as `+++ {"part": "abstract"}`.',
      ),
    )
    return undefined
  }
  const part = typeof meta === 'object' && meta !== null && 'part' in meta ? (meta as { part: unknown }).part : undefined
  if (typeof part !== 'string' || part.trim() === '') return undefined
  const name = part.trim().toLowerCase()
  const title = partTitles[name] ?? name.charAt(0).toUpperCase() + name.slice(1).replace(/[_-]+/g, ' ')
  const container: Container = {
    type: 'container',
    tagName: 'section',
    className: ['part', `part-${name.replace(/[^a-z0-9-]+/g, '-')}`],
    title: [{ type: 'text', value: title }],
    label: undefined,
    targetKind: undefined,
    children: [],
    data: { part: name },
  }
  return container
}

/** The abstract of a page, if it has one. */
export function abstractOf(tree: Root): Container | undefined {
  let found: Container | undefined
  visit(tree, 'container', (node: Container) => {
    if (node.data?.part !== 'abstract') return undefined
    found = node
    return EXIT
  })
  return found
}

/**
 * Show the report's abstract on the landing page: when the landing page has
 * none of its own, it leads with a copy of the first abstract in reading order.
 */
export function shareAbstract(landing: Root | undefined, trees: Root[]): void {
  if (!landing || abstractOf(landing)) return
  const first = trees.map(abstractOf).find((a) => a !== undefined)
  if (first) landing.children.unshift(structuredClone(first))
}
