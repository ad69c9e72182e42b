// What a reader sees of a finding or recommendation without opening it: its
// number, title, first paragraph and full text, taken from the resolved trees.
// The reference previews and the search index are both made from these.

import type { Nodes, Root } from 'mdast'
import type { Finding, Recommendation } from '../markdown/nodes.js'
import type { SiteIndex } from '../site/index.js'
import { fragment, urlPath } from './urls.js'

export interface ItemExcerpt {
  kind: 'finding' | 'recommendation'
  id: string
  number: number
  /** `Finding 12` or `Recommendation 3`. */
  label: string
  title: string
  /** The item's address from the site root: `themes/learners/#slow-review`. */
  url: string
  /** Title of the chapter it sits in. */
  chapter: string
  /** The first paragraph of its body, as plain text; empty when it has none. */
  summary: string
  /** Everything a reader can read in it: body, quotes with participant label and role, audience and horizon. */
  text: string
}

/** Walk every chapter in reading order and describe each numbered item it defines. */
export function excerptItems(chapters: { slug: string; title: string; tree: Root }[], index: SiteIndex): ItemExcerpt[] {
  const items: ItemExcerpt[] = []
  const visit = (node: Nodes, chapter: { slug: string; title: string }) => {
    if (node.type === 'finding' || node.type === 'recommendation') {
      const excerpt = excerptItem(node, chapter, index)
      if (excerpt) items.push(excerpt)
      return
    }
    if ('children' in node) for (const child of node.children) visit(child, chapter)
  }
  for (const chapter of chapters) visit(chapter.tree, chapter)
  return items
}

function excerptItem(node: Finding | Recommendation, chapter: { slug: string; title: string }, index: SiteIndex): ItemExcerpt | undefined {
  const indexed = node.type === 'finding' ? index.findings.get(node.id) : index.recommendations.get(node.id)
  // A duplicate id is reported elsewhere; only the item that owns the id is described.
  if (!indexed || indexed.page !== chapter.slug) return undefined
  const label = `${node.type === 'finding' ? 'Finding' : 'Recommendation'} ${indexed.number}`
  const first = node.children.find((child) => child.type === 'paragraph')
  const body = node.children.map(plainText).filter(Boolean)
  if (node.type === 'recommendation') {
    if (node.audience) body.push(`Audience: ${node.audience}.`)
    if (node.horizons.length > 0) body.push(`Horizon: ${node.horizons.join(', ')}.`)
  }
  return {
    kind: node.type,
    id: node.id,
    number: indexed.number,
    label,
    title: indexed.title,
    url: `${urlPath(chapter.slug)}${fragment(node.id)}`,
    chapter: chapter.title,
    summary: first ? plainText(first) : '',
    text: squash(body.join(' ')),
  }
}

/** Readable text of a node. Raw HTML is left out; a quote ends with its attribution as the site shows it. */
export function plainText(node: Nodes): string {
  switch (node.type) {
    case 'text':
    case 'inlineCode':
    case 'code':
      return node.value
    case 'html':
    case 'yaml':
    case 'definition':
    case 'footnoteDefinition':
      return ''
    case 'image':
      return node.alt ?? ''
    case 'break':
      return ' '
    case 'quote': {
      const words = node.children.map(plainText).join(' ')
      const p = node.data?.participant
      const who = p ? [p.id, p.name, p.role].filter(Boolean).join(', ') : node.attribution.text
      return squash(`${words} — ${who}`)
    }
    default: {
      if (!('children' in node)) return ''
      const inline = node.type === 'paragraph' || node.type === 'heading' || node.type === 'link' || node.type === 'emphasis' || node.type === 'strong' || node.type === 'delete'
      return squash(node.children.map(plainText).join(inline ? '' : ' '))
    }
  }
}

/**
 * The previews file a session made last, with the entries it was made from (pipeline.ts). While every entry is the
 * one it was, the file is that very string: the preview then tells it is unchanged without comparing 14 MB of text
 * at 10,000 chapters, which took about 100 ms of each save.
 */
export interface PreviewsMemo {
  previews?: { entries: readonly string[]; text: string }
}

/** The file behind the reference previews: a small JSON keyed by id. */
export function previewsFile(items: readonly ItemExcerpt[], memo?: PreviewsMemo): string {
  // An object by id, as JSON writes one: the last item of an id, at the place of its first; ids that are array
  // indices first, in numeric order. Each item's text is made once: pages kept from the last build keep theirs.
  // The same entries in the same order make the same file (each entry holds its id).
  const entries = items.map(entryText)
  const last = memo?.previews
  if (last && last.entries.length === entries.length && last.entries.every((entry, i) => entry === entries[i])) return last.text
  const byId = new Map<string, ItemExcerpt>()
  for (const item of items) byId.set(item.id, item)
  const ids = [...byId.keys()]
  const indices = ids.filter(isArrayIndex).sort((a, b) => Number(a) - Number(b))
  const ordered = indices.length === 0 ? ids : [...indices, ...ids.filter((id) => !isArrayIndex(id))]
  const text = `{"items":{${ordered.map((id) => entryText(byId.get(id)!)).join(',')}}}\n`
  if (memo) memo.previews = { entries, text }
  return text
}

const entryTexts = new WeakMap<ItemExcerpt, string>()

function entryText(item: ItemExcerpt): string {
  let text = entryTexts.get(item)
  if (text === undefined) {
    text = `${JSON.stringify(item.id)}:${JSON.stringify({ kind: item.kind, label: item.label, title: item.title, summary: item.summary, url: item.url })}`
    entryTexts.set(item, text)
  }
  return text
}

function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1
}

function squash(value: string): string {
  return value.replace(/\s+/g, ' ').trim()
}
