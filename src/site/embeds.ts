// Labelled blocks shown again elsewhere (`![](#label)`, `{embed}`,
// `{figure} #label`), in the usual two phases: each page collects the labels it
// embeds and its own labelled blocks, the blocks some page wants are indexed,
// then each page's embeds are filled with a copy. The copy keeps the number the
// block has where it stands, loses its anchors (the original keeps them), and
// has its relative addresses rewritten for the page it is shown on.

import type { Nodes, Root, RootContent } from 'mdast'
import { visit, SKIP } from '../markdown/visit.js'
import { createMessage, type Message, type Place } from '../messages.js'
import type { Embed } from '../myst/nodes.js'
import type { PageFacts } from './collect.js'
import type { TargetIndex } from './targets.js'
import { decode } from '../markdown/paths.js'

export interface EmbedFacts {
  /** Labels this page shows again, with where. */
  wanted: { label: string; place: Place }[]
  /** This page's labelled blocks, by label. */
  blocks: [string, RootContent][]
}

export interface EmbeddedBlock {
  node: RootContent
  /** Content path of the page it stands on, for its relative addresses. */
  path: string
}

/** The blocks an embed can show: figures, equations, admonitions, theorems and exercises, and labelled blocks. */
function labelOf(node: Nodes): string | undefined {
  if (node.type === 'figure' || node.type === 'math' || node.type === 'container' || node.type === 'callout' || node.type === 'statement') return node.label
  return undefined
}

export function collectEmbeds(tree: Root): EmbedFacts {
  const wanted: EmbedFacts['wanted'] = []
  const blocks: EmbedFacts['blocks'] = []
  visit(tree, (node) => {
    if (node.type === 'embed') wanted.push({ label: node.label, place: { line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1 } })
    const label = labelOf(node)
    if (label !== undefined) blocks.push([label, node as RootContent])
  })
  return { wanted, blocks }
}

/** The blocks some page embeds, by label, with those they embed in turn; a label nobody has is an error at the embed. */
export function indexEmbeds(pages: { facts: PageFacts; embeds: EmbedFacts }[]): { blocks: Map<string, EmbeddedBlock>; messages: Message[] } {
  const all = new Map<string, EmbeddedBlock>()
  for (const { facts, embeds } of pages) for (const [label, node] of embeds.blocks) if (!all.has(label)) all.set(label, { node, path: facts.path })
  const blocks = new Map<string, EmbeddedBlock>()
  const messages: Message[] = []
  const want = (label: string) => {
    const block = all.get(label)
    if (!block || blocks.has(label)) return
    blocks.set(label, block)
    visit(block.node, 'embed', (inner: Embed) => want(inner.label))
  }
  for (const { facts, embeds } of pages) {
    for (const { label, place } of embeds.wanted) {
      if (all.has(label)) want(label)
      else messages.push(createMessage('reference-target-exists', facts.file, place, `Nothing in the report has the label \`${label}\`, so it cannot be shown here`, 'Embed a figure, table, equation or block by the label it is given with `:label:` or `(label)=`.'))
    }
  }
  return { blocks, messages }
}

/** Fill each embed of a page with a copy of its block. Run before the page's links are resolved, so links in the copy are resolved too. */
export function resolveEmbeds(tree: Root, page: PageFacts, blocks: ReadonlyMap<string, EmbeddedBlock>, targets: TargetIndex, seen: string[] = []): void {
  visit(tree, 'embed', (node: Embed) => {
    const block = blocks.get(node.label)
    // A block that shows itself, however indirectly, is shown once.
    if (!block || seen.includes(node.label)) return SKIP
    const copy = structuredClone(block.node)
    const indexed = targets.byId.get(node.label)
    if ((copy.type === 'figure' || copy.type === 'math' || copy.type === 'statement') && indexed?.number !== undefined) copy.data = { ...copy.data, number: indexed.number, ...(indexed.letter ? { letter: indexed.letter } : {}) }
    unlabel(copy, block.path, page.path)
    node.children = [copy as Embed['children'][number]]
    resolveEmbeds({ type: 'root', children: [copy] }, page, blocks, targets, [...seen, node.label])
    return SKIP
  })
}

/** Anchors stay with the original; addresses are made relative to the page the copy is shown on; subfigures keep their letters. */
function unlabel(node: RootContent, from: string, to: string): void {
  visit(node, (inner) => {
    if ('label' in inner && typeof inner.label === 'string' && inner.type !== 'embed') (inner as { label: string | undefined }).label = undefined
    if (inner.type === 'heading' && inner.data?.hProperties) delete inner.data.hProperties['id']
    if ((inner.type === 'image' || inner.type === 'link') && from !== to) inner.url = moveRelative(inner.url, from, to)
    if (inner.type === 'figure') {
      const number = inner.data?.number
      let letter = 0
      for (const child of inner.children) {
        if (child.type === 'figure' && child.sub) child.data = { ...child.data, ...(number === undefined ? {} : { number }), letter: String.fromCharCode(97 + (letter++ % 26)) }
      }
    }
  })
}

/** A relative address written on page `from`, as written on page `to`. */
function moveRelative(url: string, from: string, to: string): string {
  if (url === '' || url.startsWith('#') || url.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(url)) return url
  const base = new URL(from, 'file:///c/')
  const target = new URL(url, base)
  const fromDir = to.split('/').slice(0, -1)
  const parts = target.pathname.slice('/c/'.length).split('/')
  let common = 0
  while (common < fromDir.length && common < parts.length - 1 && fromDir[common] === parts[common]) common++
  const up = fromDir.slice(common).map(() => '..')
  return decode([...up, ...parts.slice(common)].join('/')) + target.search + target.hash
}
