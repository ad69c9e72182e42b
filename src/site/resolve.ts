// Phase two: resolve one page against the whole site index. Links and
// cross-references get their targets and generated text; findings,
// recommendations and quotes get their numbers, backlinks and participants.

import type { Link, PhrasingContent, Root } from 'mdast'
import { visit } from '../markdown/visit.js'
import { createMessage, placeOf, type Message } from '../messages.js'
import { hintFor, suggestionsFrom, type Suggestions } from '../suggest.js'
import type { PageFacts } from './collect.js'
import { matchParticipant, type SiteIndex } from './index.js'
import { visitLinks } from './links.js'
import { decode } from '../markdown/paths.js'

/** Where a resolved internal link points: a page and, optionally, an anchor on it. */
export interface LinkTarget {
  page: string
  anchor: string | undefined
}

export interface ItemLink {
  id: string
  number: number
  title: string
  target: LinkTarget
}

declare module 'mdast' {
  interface LinkData {
    target?: LinkTarget
    /** A reference that leads nowhere, reported: shown as its text, or as this (what it names) when it has none, and not as a link. */
    unresolved?: string
  }
  interface Data {
    number?: number
    /** On findings: the recommendations that address it. On recommendations: the findings it responds to. */
    related?: ItemLink[]
    participant?: { id: string; role: string; name: string | undefined; context: string | undefined }
  }
}

export function findingLink(index: SiteIndex, id: string): ItemLink | undefined {
  const f = index.findings.get(id)
  return f && { id, number: f.number, title: f.title, target: { page: f.page, anchor: id } }
}

export function recommendationLink(index: SiteIndex, id: string): ItemLink | undefined {
  const r = index.recommendations.get(id)
  return r && { id, number: r.number, title: r.title, target: { page: r.page, anchor: id } }
}

export interface ResolveOptions {
  /**
   * Read links as MyST does: a path starting with `/` is from the project's folder, and a path with no
   * extension (`./guide/install`) is the page of that name, or its folder's `index.md`. Default: false.
   */
  myst?: boolean
}

export function resolvePage(tree: Root, page: PageFacts, index: SiteIndex, options: ResolveOptions = {}): Message[] {
  const messages: Message[] = []

  visit(tree, (node) => {
    if (node.type === 'finding') {
      const f = index.findings.get(node.id)
      if (f?.page !== page.slug) return
      node.data = {
        ...node.data,
        number: f.number,
        related: f.addressedBy.map((id) => recommendationLink(index, id)).filter((x) => x !== undefined),
      }
    } else if (node.type === 'recommendation') {
      const r = index.recommendations.get(node.id)
      if (r?.page !== page.slug) return
      node.data = {
        ...node.data,
        number: r.number,
        related: r.addresses.map((id) => findingLink(index, id)).filter((x) => x !== undefined),
      }
    } else if (node.type === 'quote') {
      const match = matchParticipant(node.attribution.text, index.participants)
      const p = match?.participant
      if (p && p.consent !== 'no-quotes') {
        node.data = {
          ...node.data,
          participant: { id: p.id, role: p.role, name: p.consent === 'named' ? p.name : undefined, context: match.context },
        }
      }
    }
  })
  // Links in titles and captions too: a card's title links where its `:link:` says.
  visitLinks(tree, (node) => resolveLink(node, page, index, messages, options.myst === true))
  return messages
}

function resolveLink(node: Link, page: PageFacts, index: SiteIndex, messages: Message[], myst: boolean): void {
  // Already resolved, to a figure, equation or term (site/targets.ts) or a contents entry.
  if (node.data?.target) return
  const url = node.url
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//')) return
  const hashAt = url.indexOf('#')
  const pathPart = hashAt >= 0 ? url.slice(0, hashAt) : url
  const anchor = hashAt >= 0 ? decodeURIComponent(url.slice(hashAt + 1)) : undefined

  if (pathPart === '') {
    if (!anchor) return
    const found = resolveAnchor(anchor, page, index, node, messages)
    if (found) applyTarget(node, found.target, found.text, found.short)
    else markUnresolved(node, anchor)
    return
  }
  const targetPath = linkedPath(page.path, pathPart, index, myst)
  if (targetPath === undefined) return
  const targetPage = index.pagesByPath.get(targetPath)
  if (!targetPage) {
    markUnresolved(node, pathPart)
    messages.push(
      createMessage(
        'link-target-exists',
        page.file,
        placeOf(node),
        `The link points to \`${pathPart}\`, which is not a chapter of this report`,
        hintFor(
          targetPath,
          once(pathSuggestions, index, () => suggestionsFrom(index.pagesByPath.keys())),
          'Check the file name; paths are relative to this file.',
          (path) => relativePath(page.path, path),
        ),
      ),
    )
    return
  }
  // A page's own label names the page, at its top.
  if (anchor === undefined || anchor === '' || anchor === targetPage.label) {
    applyTarget(node, { page: targetPage.slug, anchor: undefined }, targetPage.title)
    return
  }
  const local = anchorOnPage(anchor, targetPage, index)
  if (!local) {
    markUnresolved(node, `${pathPart}#${anchor}`)
    messages.push(
      createMessage(
        'link-target-exists',
        page.file,
        placeOf(node),
        `\`${pathPart}\` has no heading, finding or recommendation with the id \`${anchor}\``,
        hintFor(anchor, once(anchorSuggestions, targetPage, () => suggestionsFrom(idsOnPage(targetPage))), `Use one of the anchors of ${targetPage.file}.`),
      ),
    )
    return
  }
  applyTarget(node, { page: targetPage.slug, anchor }, local.text, local.short)
}

/**
 * The content path of the page a link's path part names, or undefined when it names no page (a file with
 * another extension). In MyST projects a path with no extension names a page too: `guide/install` is
 * `guide/install.md`, or else `guide/install/index.md`.
 */
export function linkedPath(from: string, pathPart: string, index: SiteIndex, myst: boolean): string | undefined {
  const written = joinPath(from, decode(pathPart))
  // A notebook that is not a page is a file like any other, offered for download (site/assets.ts).
  if (/\.ipynb$/i.test(pathPart)) return index.pagesByPath.has(written) ? written : undefined
  // `{doc}` names a page without its extension, which is read as `.md`: the page may be a notebook.
  if (/\.md$/i.test(pathPart)) return index.pagesByPath.has(written) ? written : [written.replace(/\.md$/i, '.ipynb')].find((file) => index.pagesByPath.has(file)) ?? written
  if (!myst || /\.[A-Za-z0-9]+$/.test(pathPart.replace(/\/+$/, ''))) return undefined
  const candidates = written === '' ? ['index.md', 'index.ipynb'] : [`${written}.md`, `${written}.ipynb`, `${written}/index.md`, `${written}/index.ipynb`]
  const found = candidates.find((file) => index.pagesByPath.has(file))
  // A bare word that names neither a page nor a label stays a link as written, as in MyST; a path is reported.
  return found ?? (pathPart.includes('/') ? candidates[0] : undefined)
}


/** `#id`: a finding or recommendation anywhere, a heading here, or a heading elsewhere if only one page has it. */
function resolveAnchor(
  anchor: string,
  page: PageFacts,
  index: SiteIndex,
  node: Link,
  messages: Message[],
): { target: LinkTarget; text: string; short?: string } | undefined {
  const finding = findingLink(index, anchor)
  if (finding) return { target: finding.target, text: `Finding ${finding.number}: ${finding.title}`, short: `Finding ${finding.number}` }
  const recommendation = recommendationLink(index, anchor)
  if (recommendation)
    return { target: recommendation.target, text: `Recommendation ${recommendation.number}: ${recommendation.title}`, short: `Recommendation ${recommendation.number}` }
  // A label before a page's title heading names the page (MyST).
  const labelled = index.pageLabels.get(anchor)
  const titled = labelled === undefined ? undefined : index.pagesBySlug.get(labelled)
  if (titled) return { target: { page: titled.slug, anchor: undefined }, text: titled.title }
  const here = index.headings.get(page.slug)?.get(anchor)
  if (here) return { target: { page: page.slug, anchor }, text: here.text }
  const elsewhere = index.headingPages.get(anchor) ?? []
  if (elsewhere.length === 1) {
    const slug = elsewhere[0]!
    const text = index.headings.get(slug)?.get(anchor)?.text ?? anchor
    return { target: { page: slug, anchor }, text }
  }
  if (elsewhere.length > 1) {
    // A few are named: a heading in every one of thousands of chapters would make every such message as long as the report.
    const files = elsewhere.slice(0, 5).map((slug) => relativePath(page.path, index.pagesBySlug.get(slug)?.path ?? slug))
    const more = elsewhere.length > files.length ? ` and ${elsewhere.length - files.length} more` : ''
    messages.push(
      createMessage(
        'reference-target-unambiguous',
        page.file,
        placeOf(node),
        `\`#${anchor}\` is a heading in ${elsewhere.length} chapters (${files.join(', ')}${more})`,
        `Say which one with a file link, such as \`[](${files[0]}#${anchor})\`.`,
      ),
    )
    return undefined
  }
  const candidates = once(idSuggestions, index, () =>
    suggestionsFrom([...index.findings.keys(), ...index.recommendations.keys(), ...index.headingPages.keys()]),
  )
  messages.push(
    createMessage(
      'reference-target-exists',
      page.file,
      placeOf(node),
      `Nothing in the report has the id \`${anchor}\``,
      hintFor(anchor, candidates, 'Link to the id of a finding, a recommendation or a heading.'),
    ),
  )
  return undefined
}

function anchorOnPage(anchor: string, page: PageFacts, index: SiteIndex): { text: string; short?: string } | undefined {
  const items = once(itemsOnPage, page, () => {
    const found = new Map<string, { kind: 'finding' | 'recommendation'; title: string }>()
    for (const f of page.findings) if (!found.has(f.id)) found.set(f.id, { kind: 'finding', title: f.title })
    for (const r of page.recommendations) if (!found.has(r.id)) found.set(r.id, { kind: 'recommendation', title: r.title })
    return found
  })
  const item = items.get(anchor)
  if (item) {
    const label = item.kind === 'finding' ? `Finding ${index.findings.get(anchor)?.number ?? ''}` : `Recommendation ${index.recommendations.get(anchor)?.number ?? ''}`
    return { text: `${label}: ${item.title}`, short: label }
  }
  const heading = index.headings.get(page.slug)?.get(anchor)?.text
  return heading === undefined ? undefined : { text: heading }
}

// Worked out once per site index or page, not once per link: a page may hold thousands of links.
const idSuggestions = new WeakMap<SiteIndex, Suggestions>()
const pathSuggestions = new WeakMap<SiteIndex, Suggestions>()
const anchorSuggestions = new WeakMap<PageFacts, Suggestions>()
const itemsOnPage = new WeakMap<PageFacts, Map<string, { kind: 'finding' | 'recommendation'; title: string }>>()

function once<K extends object, V>(cache: WeakMap<K, V>, key: K, make: () => V): V {
  let value = cache.get(key)
  if (value === undefined) cache.set(key, (value = make()))
  return value
}

function idsOnPage(page: PageFacts): string[] {
  return [...page.findings.map((f) => f.id), ...page.recommendations.map((r) => r.id), ...page.headings.map((h) => h.id)]
}

function markUnresolved(node: Link, named: string): void {
  node.data = { ...node.data, unresolved: named }
}

/** The link title that asks for a reference's compact text: `[](#slow-review "short")` shows "Finding 12". */
export const compactTitle = 'short'

function applyTarget(node: Link, target: LinkTarget, text: string, short?: string): void {
  node.data = { ...node.data, target }
  // The compact form's title is an instruction, not a tooltip; the preview shows the full title.
  const compact = node.title === compactTitle && node.children.length === 0
  if (node.title === compactTitle) node.title = null
  if (node.children.length === 0) node.children = [{ type: 'text', value: compact && short !== undefined ? short : cutTitle(text) } satisfies PhrasingContent]
}

/** Characters of a title that a generated link text repeats. */
export const linkTextLength = 200

/**
 * A title as link text, cut at `linkTextLength`: every reference repeats its target's title, so a
 * title of a megabyte referred to thousands of times would make the pages thousands of megabytes.
 */
export function cutTitle(title: string): string {
  return title.length > linkTextLength ? `${title.slice(0, linkTextLength - 1)}…` : title
}

/** How a link written in `from` must spell the content path `to`. */
export function relativePath(from: string, to: string): string {
  const fromParts = from.split('/').slice(0, -1)
  const toParts = to.split('/')
  let common = 0
  while (common < fromParts.length && common < toParts.length - 1 && fromParts[common] === toParts[common]) common++
  return [...fromParts.slice(common).map(() => '..'), ...toParts.slice(common)].join('/')
}

/** Resolve a link written in `from` (a content path) to a content path. */
export function joinPath(from: string, relative: string): string {
  const parts = relative.startsWith('/') ? [] : from.split('/').slice(0, -1)
  // A leading or doubled slash makes an empty part, which is skipped like `.`.
  for (const part of relative.split('/')) {
    if (part === '..') parts.pop()
    else if (part !== '.' && part !== '') parts.push(part)
  }
  return parts.join('/')
}
