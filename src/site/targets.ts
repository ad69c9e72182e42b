// Numbered and labelled blocks (figures, tables, code listings, equations,
// glossary terms, labelled blocks), in the usual two phases: collect each
// page's blocks into plain data, index them across the report (numbering each
// kind in reading order), then resolve each page's links to them and give the
// blocks their numbers.

import type { Link, Root } from 'mdast'
import { toString } from 'mdast-util-to-string'
import { SKIP, visit } from '../markdown/visit.js'
import { createMessage, type Message, type Place } from '../messages.js'
import type { TargetKind } from '../myst/nodes.js'
import { kindName, type Statement } from '../myst/statements.js'
import type { PageFacts } from './collect.js'
import { visitLinks } from './links.js'
import { cutTitle, linkedPath, type LinkTarget } from './resolve.js'
import type { SiteIndex } from './index.js'

export interface TargetFact {
  /** Its label, if it has one; unlabelled figures and equations are numbered all the same. */
  id: string | undefined
  kind: TargetKind
  /** Caption, term or title as text. */
  title: string
  place: Place
  /** Whether it takes a number in its kind's sequence. Default: figures, tables, code, equations and statements do. */
  numbered?: boolean
  /** A subfigure, lettered within the figure before it. Default: false. */
  sub?: boolean
}

export interface IndexedTarget {
  id: string
  kind: TargetKind
  number: number | undefined
  /** A subfigure's letter (`a`), shown after its figure's number. */
  letter?: string
  title: string
  page: string
}

/** A block's number, and a subfigure's letter. */
export interface BlockNumber {
  number: number
  letter?: string
}

export interface TargetIndex {
  byId: Map<string, IndexedTarget>
  /** For each page (by slug), the number of each of its numbered blocks, in order. */
  numbers: Map<string, (BlockNumber | undefined)[]>
  /** For each page (by slug), the places in that order of blocks whose label an earlier block has: they lose it. Default: none. */
  repeated?: Map<string, number[]>
}

const unnumbered = new Set<TargetKind>(['term', 'block'])
const names: Partial<Record<TargetKind, string>> = { code: 'Program', block: 'Section' }
const nameOf = (kind: TargetKind): string => names[kind] ?? kindName(kind as Statement['kind'])

/** A statement's title as text, without its title paragraph's markers. */
function statementTitle(node: Statement): string {
  const [first] = node.children
  return node.titled && first ? toString(first) : ''
}

/** Whether a node takes a place in the page's sequence of targets: collect and resolve must agree. */
function isTarget(node: { type: string; label?: string | null | undefined; kind?: string }): boolean {
  if (node.type === 'figure' || node.type === 'math') return true
  if (node.type === 'statement') return node.kind !== 'solution' || typeof node.label === 'string'
  return (node.type === 'container' || node.type === 'callout') && typeof node.label === 'string' && node.label !== ''
}

export function collectTargets(tree: Root): TargetFact[] {
  const facts: TargetFact[] = []
  const place = (node: { position?: { start: Place } | undefined }): Place => ({
    line: node.position?.start.line ?? 1,
    column: node.position?.start.column ?? 1,
  })
  visit(tree, (node) => {
    if (node.type === 'figure') {
      facts.push({ id: node.label, kind: node.kind, title: node.caption ? toString({ type: 'paragraph', children: node.caption }) : '', place: place(node), ...(node.sub ? { sub: true } : {}) })
    } else if (node.type === 'math') {
      facts.push({ id: node.label, kind: 'equation', title: node.value, place: place(node), ...(node.enumerated === false && { numbered: false as const }) })
    } else if (node.type === 'container' && node.label) {
      const title = node.title ? toString({ type: 'paragraph', children: node.title }) : toString(node).slice(0, 80).trim()
      facts.push({ id: node.label, kind: node.targetKind ?? 'block', title, place: place(node) })
    } else if (node.type === 'callout' && node.label) {
      facts.push({ id: node.label, kind: 'block', title: node.title ? toString({ type: 'paragraph', children: node.title }) : node.kind, place: place(node) })
    } else if (node.type === 'statement' && isTarget(node)) {
      const kind = node.kind === 'solution' ? 'block' : node.kind
      facts.push({ id: node.label, kind, title: statementTitle(node), place: place(node), numbered: node.kind !== 'solution' && node.enumerated })
    }
  })
  return facts
}

export function indexTargets(pages: { facts: PageFacts; targets: TargetFact[] }[], site: SiteIndex): { index: TargetIndex; messages: Message[] } {
  const messages: Message[] = []
  const byId = new Map<string, IndexedTarget & { file: string; place: Place }>()
  const numbers = new Map<string, (BlockNumber | undefined)[]>()
  const counters = new Map<TargetKind, number>()
  const repeated = new Map<string, number[]>()
  // Subfigures take their figure's number and the next letter: (a), (b), … and again from (a) after 26.
  const subs = new Map<TargetKind, number>()
  for (const { facts, targets } of pages) {
    const pageNumbers: (BlockNumber | undefined)[] = []
    for (const [at, target] of targets.entries()) {
      const counted = target.numbered ?? !unnumbered.has(target.kind)
      const sub = target.sub === true && counters.has(target.kind)
      const number = !counted ? undefined : sub ? counters.get(target.kind)! : (counters.get(target.kind) ?? 0) + 1
      const letter = sub ? String.fromCharCode(97 + ((subs.get(target.kind) ?? 0) % 26)) : undefined
      if (sub) subs.set(target.kind, (subs.get(target.kind) ?? 0) + 1)
      if (number !== undefined && !sub) {
        counters.set(target.kind, number)
        subs.set(target.kind, 0)
      }
      pageNumbers.push(number === undefined ? undefined : { number, ...(letter ? { letter } : {}) })
      if (target.id === undefined) continue
      const other = byId.get(target.id)
      const item = site.findings.get(target.id) ?? site.recommendations.get(target.id)
      const heading = site.headings.get(facts.slug)?.get(target.id)
      const earlier = other ? { file: other.file, place: other.place } : item ? { file: item.file, place: item.place } : heading ? { file: facts.file, place: heading.place } : undefined
      if (earlier) {
        messages.push(
          createMessage(
            'id-unique',
            facts.file,
            target.place,
            `The label \`${target.id}\` is already used at ${earlier.file}:${earlier.place.line}:${earlier.place.column}`,
            'Labels must be unique across the whole report; rename one of them.',
          ),
        )
        // The first keeps the label (as in MyST); this one is shown without it, so no page holds an id twice.
        repeated.set(facts.slug, [...(repeated.get(facts.slug) ?? []), at])
        continue
      }
      byId.set(target.id, { id: target.id, kind: target.kind, number, ...(letter ? { letter } : {}), title: target.title, page: facts.slug, file: facts.file, place: target.place })
    }
    numbers.set(facts.slug, pageNumbers)
  }
  return { index: { byId, numbers, repeated }, messages }
}

/** Number this page's blocks, and point its links at labelled blocks anywhere in the report. */
export function resolveTargets(tree: Root, page: PageFacts, targets: TargetIndex, site: SiteIndex, options: { myst?: boolean } = {}): void {
  const numbers = targets.numbers.get(page.slug) ?? []
  const repeated = new Set(targets.repeated?.get(page.slug))
  let n = 0
  visit(tree, (node) => {
    // An embedded copy keeps the numbers it has where it stands (site/embeds.ts).
    if (node.type === 'embed') return SKIP
    if (!isTarget(node)) return undefined
    if (repeated.has(n)) (node as { label?: string | undefined }).label = undefined
    const block = numbers[n++]
    if (block !== undefined && (node.type === 'figure' || node.type === 'math' || node.type === 'statement')) node.data = { ...node.data, number: block.number, ...(block.letter ? { letter: block.letter } : {}) }
    return undefined
  })

  visitLinks(tree, (node: Link) => {
    if (node.data?.target || /^[a-z][a-z0-9+.-]*:/i.test(node.url)) return
    const hashAt = node.url.indexOf('#')
    if (hashAt < 0) return
    const path = node.url.slice(0, hashAt)
    const id = decodeURIComponent(node.url.slice(hashAt + 1))
    const target = targets.byId.get(id)
    const onPage = target && (path === '' || site.pagesBySlug.get(target.page)?.path === linkedPath(page.path, path, site, options.myst === true))
    if (target && onPage) {
      const to: LinkTarget = { page: target.page, anchor: id }
      node.data = { ...node.data, target: to }
      if (node.children.length === 0) node.children = [{ type: 'text', value: linkText(target, node) }]
      return
    }
    // `{numref}` to a finding or recommendation: its number in the author's words.
    const template = node.data?.template
    const item = site.findings.get(id) ?? site.recommendations.get(id)
    if (template !== undefined && item && node.children.length === 0) {
      node.children = [{ type: 'text', value: fill(template, item.number, item.title) }]
    }
  })
}

function linkText(target: IndexedTarget, node: Link): string {
  const template = node.data?.template
  if (template !== undefined) return fill(template, target.number, target.title)
  const statement = !unnumbered.has(target.kind) && !['figure', 'table', 'code', 'equation'].includes(target.kind)
  if (target.number === undefined) return cutTitle(target.title || (statement ? nameOf(target.kind) : target.id))
  if (node.data?.role === 'ref' && target.title && target.kind !== 'equation') return cutTitle(target.title)
  return target.kind === 'equation' ? `(${target.number})` : `${nameOf(target.kind)} ${target.number}${target.letter ?? ''}`
}

function fill(template: string, number: number | undefined, title: string): string {
  const value = number === undefined ? '' : String(number)
  const name = cutTitle(title)
  return template.replace(/%s|\{number\}/g, value).replace(/\{name\}/g, () => name)
}
