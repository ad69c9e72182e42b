// `{embed} label` shows again a labelled block from anywhere in the report: a
// figure, a table, an equation, a theorem, an admonition, or any block a
// `(label)=` names. In the usual two phases: each page offers copies of its
// labelled blocks (collectEmbeddable), the site keeps those some page asks
// for (indexEmbeds), and each page puts them in place of its embeds before its
// links are resolved (resolveEmbeds). A copy keeps the number of the block it
// shows, and takes no anchor of its own, so ids stay unique.

import type { Data, Node, Root, RootContent } from 'mdast'
import { visit, SKIP } from 'unist-util-visit'
import { createMessage, placeOf, type Message } from '../messages.js'
import { joinPath, relativePath } from '../site/resolve.js'
import type { TargetIndex } from '../site/targets.js'
import type { DirectiveSpec } from './directives.js'

/** Where `{embed}` was written; replaced by a copy of the block once every page is known. */
export interface Embed extends Node {
  type: 'embed'
  label: string
  data?: Data
}

declare module 'mdast' {
  interface BlockContentMap {
    embed: Embed
  }
  interface RootContentMap {
    embed: Embed
  }
  interface Data {
    /** A copy shown by `{embed}`: it is not numbered again, and links to its original. */
    embedded?: boolean
  }
}

export const embedSpecs: Record<string, DirectiveSpec> = {
  embed: {
    // Notebook cells are not read here, so there is no input or output to remove.
    options: ['remove-input', 'remove-output'],
    build(call) {
      const label = call.arg.trim().replace(/^#/, '')
      if (label === '') {
        call.context.messages.push(
          createMessage(
            'embed-target-exists',
            call.context.file.display,
            call.node,
            '`{embed}` does not name the block it shows',
            'Write the label of a figure, table, equation or other labelled block after it: `:::{embed} fig-results`.',
          ),
        )
        return []
      }
      const node: Embed = { type: 'embed', label }
      if (call.node.position) node.position = call.node.position
      return [node]
    },
  },
}

const labelled = new Set(['figure', 'math', 'statement', 'container', 'callout'])

function labelOf(node: Node): string | undefined {
  const label = labelled.has(node.type) ? (node as { label?: unknown }).label : undefined
  return typeof label === 'string' && label !== '' ? label : undefined
}

/** A labelled block, and the content path of the page it is written on, against which its own paths are read. */
export type EmbeddableBlock = [label: string, node: RootContent, page: string]

/** The labels a page embeds, and copies of its labelled blocks, for other pages to embed. */
export function collectEmbeddable(tree: Root, page: string): { wanted: string[]; blocks: EmbeddableBlock[] } {
  const wanted: string[] = []
  const blocks: EmbeddableBlock[] = []
  visit(tree, (node) => {
    if (node.type === 'embed') wanted.push(node.label)
    const label = labelOf(node)
    if (label !== undefined) blocks.push([label, structuredClone(node) as RootContent, page])
  })
  return { wanted, blocks }
}

/** The blocks some page embeds, by label: the first with a label wins, as for links. */
export function indexEmbeds(pages: readonly { wanted: string[]; blocks: EmbeddableBlock[] }[]): EmbeddableBlock[] {
  const wanted = new Set(pages.flatMap((p) => p.wanted))
  const found = new Map<string, EmbeddableBlock>()
  if (wanted.size === 0) return []
  for (const page of pages) for (const block of page.blocks) if (wanted.has(block[0]) && !found.has(block[0])) found.set(block[0], block)
  return [...found.values()]
}

/** Put a copy of each embedded block in place of its embed; before targets are resolved, so the links in a copy are too. */
export function resolveEmbeds(tree: Root, blocks: ReadonlyMap<string, EmbeddableBlock>, targets: TargetIndex, page: { file: string; path: string }): Message[] {
  const { file } = page
  const messages: Message[] = []
  visit(tree, 'embed', (node: Embed, index, parent) => {
    if (!parent || index === undefined) return undefined
    const block = blocks.get(node.label)
    if (!block) {
      messages.push(
        createMessage(
          'embed-target-exists',
          file,
          placeOf(node),
          `\`{embed}\` names \`${node.label}\`, but no figure, table, equation or other block has that label`,
          'Give the block a label (`:label:` or a `(label)=` line before it), and embed it by that label.',
        ),
      )
      parent.children.splice(index, 1)
      return index
    }
    const copy = structuredClone(block[1])
    // Images and links in the copy are written relative to the block's page: point them from this one.
    if (block[2] !== page.path) {
      visit(copy, (inner) => {
        if ((inner.type !== 'image' && inner.type !== 'link') || /^([a-z][a-z0-9+.-]*:|\/\/|#)/i.test(inner.url)) return
        inner.url = relativePath(page.path, joinPath(block[2], inner.url))
      })
    }
    const number = targets.byId.get(node.label)?.number
    visit(copy, (inner) => {
      // Embeds inside the copy are not followed: a block could embed itself.
      if (inner.type === 'embed') return SKIP
      if (!labelled.has(inner.type)) return undefined
      ;(inner as { label?: string | undefined }).label = undefined
      inner.data = { ...inner.data, embedded: true }
      return undefined
    })
    if (number !== undefined) copy.data = { ...copy.data, number }
    if (node.position) copy.position = node.position
    parent.children.splice(index, 1, copy as (typeof parent.children)[number])
    return SKIP
  })
  // Embeds a copy held are dropped rather than shown empty.
  visit(tree, 'embed', (_node: Embed, index, parent) => {
    if (!parent || index === undefined) return undefined
    parent.children.splice(index, 1)
    return index
  })
  return messages
}
