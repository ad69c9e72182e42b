// Phase two for citations: format every page's citations against the whole
// bibliography at once, in reading order, with one CSL engine, so that the
// style's choices that depend on all of them (2020a and 2020b, added
// initials) agree on every page. Reports unknown keys where they are written,
// and entries never cited. Pure: data in, data out.

import type { CitationCluster, CitationItem } from '@citation-js/core'
import { createMessage, type Message } from '../messages.js'
import { hintFor, suggestionsFrom, type Suggestions } from '../suggest.js'
import type { Bibliography } from './bibtex.js'
import { citationJs } from './citationjs.js'
import type { CitationFact } from './collect.js'
import type { CitationTargets } from './labels.js'
import type { Cite, CiteItem, CiteSegment, ReferenceEntry } from './nodes.js'

export interface CitationIndex {
  /** For each page, for each citation in order: its formatted pieces, or undefined to show it as written. */
  citations: (CiteSegment[] | undefined)[][]
  /** For each page, the entries it cites, in the order of the bibliography. */
  references: ReferenceEntry[][]
  /** Every entry of the bibliography, cited or not, in the style's order. */
  bibliography: ReferenceEntry[]
  /** What the style puts around a parenthetical citation, such as APA's parentheses. */
  layout: { prefix: string; suffix: string }
  /** MyST projects: the labels that citations' items name instead of works (labels.ts). Default: none. */
  targets?: CitationTargets
  messages: Message[]
}

export interface PageCitations {
  file: string
  citations: CitationFact[]
}

/** A DOI written as a citation key (`[@10.5281/zenodo.123]`, `{cite}\`10.1000/xyz\``), as MyST reads one. */
export const doiKey = /^10\.\d{4,9}\/\S+$/

/**
 * Format every citation. A DOI used as a key cites the entry with that DOI;
 * with none, it links to doi.org, since the site is built without the
 * network and MyST's fetching of the work's details is not done.
 */
export function formatCitations(pages: PageCitations[], bibliography: Bibliography): CitationIndex {
  const byDoi = new Map<string, string>()
  for (const entry of bibliography.entries.values()) {
    const doi = entry.item.DOI
    if (typeof doi === 'string' && !byDoi.has(doi.toLowerCase())) byDoi.set(doi.toLowerCase(), entry.key)
  }
  const messages: Message[] = []
  // Each citation's DOIs that no entry has, shown as links after what the style makes of the rest.
  const dois: { mode: Cite['mode']; items: CiteItem[] }[][] = []
  const known = pages.map((page): PageCitations => {
    const pageDois: { mode: Cite['mode']; items: CiteItem[] }[] = []
    dois.push(pageDois)
    const citations = page.citations.map((fact): CitationFact => {
      const unknown: CiteItem[] = []
      pageDois.push({ mode: fact.mode, items: unknown })
      const items = fact.items.flatMap((item) => {
        if (bibliography.entries.has(item.key) || !doiKey.test(item.key)) return [item]
        const key = byDoi.get(item.key.toLowerCase())
        if (key !== undefined) return [{ ...item, key }]
        unknown.push(item)
        messages.push(
          createMessage(
            'citation-doi-in-bibliography',
            page.file,
            item.place,
            `No bibliography entry has the DOI \`${item.key}\`, and fieldnotes builds without the network, so the citation links to https://doi.org/${item.key}`,
            'Add an entry with this DOI to your .bib file (`myst build --doi-bib` writes one for every DOI the book cites).',
          ),
        )
        return []
      })
      return { ...fact, items }
    })
    return { ...page, citations }
  })
  const index = formatKnown(known, bibliography)
  index.messages.unshift(...messages)
  index.citations = index.citations.map((page, p) =>
    page.map((segments, c) => {
      const doi = dois[p]![c]!
      if (doi.items.length === 0) return segments
      return [...(segments ?? []), ...(segments ? [{ html: ' ' }] : []), ...doiSegments(doi.mode, doi.items)]
    }),
  )
  return index
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

const locatorLabels: Record<string, string> = { page: 'p.', chapter: 'chap.', section: 'sec.', figure: 'fig.', volume: 'vol.', line: 'l.', note: 'n.', paragraph: 'para.' }

/** DOIs as links, with what is written around them: `(see 10.1000/xyz, p. 3)`. */
function doiSegments(mode: Cite['mode'], items: CiteItem[]): CiteSegment[] {
  const pieces = items.map((item) => {
    const link = `<a href="https://doi.org/${escapeHtml(encodeURI(item.key))}">${escapeHtml(item.key)}</a>`
    const locator = item.locator === undefined ? '' : `, ${locatorLabels[item.label ?? 'page'] ?? item.label ?? ''} ${escapeHtml(item.locator)}`.replace(/ {2,}/g, ' ')
    const suffix = item.suffix === undefined ? '' : `${/^[,;.]/.test(item.suffix) ? '' : ', '}${escapeHtml(item.suffix)}`
    return `${item.prefix === undefined ? '' : `${escapeHtml(item.prefix)} `}${link}${locator}${suffix}`
  })
  return [{ html: mode === 'parenthetical' ? `(${pieces.join('; ')})` : pieces.join(', ') }]
}

function formatKnown(pages: PageCitations[], bibliography: Bibliography): CitationIndex {
  const messages: Message[] = []
  const { entries } = bibliography
  const empty: CitationIndex = {
    citations: pages.map((p) => p.citations.map(() => undefined)),
    references: pages.map(() => []),
    bibliography: [],
    layout: { prefix: '(', suffix: ')' },
    messages,
  }
  if (entries.size === 0 && pages.every((p) => p.citations.every((c) => c.bare))) return empty

  // Keep the items whose key is known; report the others where they are written.
  let keys: Suggestions | undefined
  const kept = pages.map((page) =>
    page.citations.map((fact): CitationFact | undefined => {
      // Every item named a label instead (labels.ts).
      if (fact.items.length === 0) return undefined
      if (fact.bare) return fact.items.every((i) => entries.has(i.key)) ? fact : undefined
      const items = fact.items.filter((item) => {
        if (entries.has(item.key)) return true
        messages.push(
          createMessage(
            'citation-key-exists',
            page.file,
            item.place,
            entries.size === 0
              ? `The citation \`@${item.key}\` cannot be resolved: the project has no bibliography`
              : `No bibliography entry has the key \`${item.key}\``,
            entries.size === 0
              ? 'Add a references.bib file to the content folder, or name your BibTeX files under `bibliography`.'
              : hintFor(item.key, (keys ??= suggestionsFrom(entries.keys())), 'Check the key against your .bib file.'),
          ),
        )
        return false
      })
      return items.length > 0 ? { ...fact, items } : undefined
    }),
  )

  if (entries.size === 0) return empty

  // One cluster per citation, plus the pieces needed to link each work in it.
  const clusters: CitationCluster[] = []
  const cluster = (id: string, items: CitationItem[]) => clusters.push({ citationID: id, citationItems: items, properties: { noteIndex: 0 } })
  kept.forEach((facts, p) =>
    facts.forEach((fact, c) => {
      if (!fact) return
      const id = `${p}-${c}`
      if (fact.mode === 'parenthetical') {
        cluster(id, fact.items.map(citationItem))
        if (fact.items.length > 1) fact.items.forEach((item, i) => cluster(`${id}-${i}`, [citationItem(item)]))
      } else {
        fact.items.forEach((item, i) => {
          cluster(`${id}-${i}-author`, [{ id: item.key, 'author-only': true }])
          cluster(`${id}-${i}-year`, [{ ...citationItem(item), 'suppress-author': true }])
        })
      }
    }),
  )

  const cited = new Set(kept.flatMap((facts) => facts.flatMap((f) => f?.items.map((i) => i.key) ?? [])))
  const uncited = [...entries.keys()].filter((key) => !cited.has(key))
  const csl = citationJs().plugins.config.get('@csl')
  let html: Map<string, string>
  let order: string[]
  let formatted: Map<string, string>
  try {
    const engine = csl.engine([...entries.values()].map((e) => e.item), bibliography.style, bibliography.locale, 'html')
    // Every work is registered first, so that disambiguation (2020a, added initials) sees them all; each
    // citation is then made on its own. citeproc's positions (ibid., "subsequent") are left out: they
    // mean little on a website read in any order, and tracking them re-renders every earlier citation
    // at each new one, which is quadratic (400 citations of one work took half a minute).
    engine.updateItems([...cited])
    engine.updateUncitedItems(uncited)
    html = new Map(clusters.map((c) => [c.citationID, engine.makeCitationCluster(c.citationItems)]))
    engine.opt.development_extensions.wrap_url_and_doi = true
    const made = engine.makeBibliography()
    order = made ? made[0].entry_ids.map((ids) => ids[0]!) : []
    formatted = new Map(made ? made[1].map((text, i) => [order[i]!, text.trim()]) : [])
    // Nor may this build's works stay registered for the next one, which has other entries.
    engine.updateUncitedItems([])
  } catch (error) {
    messages.push(
      createMessage(
        'citation-style-valid',
        [...entries.values()][0]?.file ?? pages[0]?.file ?? 'references.bib',
        undefined,
        `The citations cannot be formatted: ${error instanceof Error ? error.message : String(error)}`,
        'Check the citation style file, or remove `citation_style` to use APA.',
      ),
    )
    return empty
  }

  for (const key of uncited) {
    const entry = entries.get(key)!
    messages.push(
      createMessage(
        'bibliography-entry-cited',
        entry.file,
        entry.place,
        `The entry \`${key}\` is never cited; it is listed on the bibliography page only`,
        `Cite it with \`[@${key}]\`, or remove it from the .bib file.`,
      ),
    )
  }

  const layout = layoutOf(csl.styles.get(bibliography.style))
  const rank = new Map(order.map((key, i) => [key, i]))
  const entryOf = (key: string): ReferenceEntry => ({ key, html: formatted.get(key) ?? key })
  return {
    citations: kept.map((facts, p) =>
      facts.map((fact, c) => {
        if (!fact) return undefined
        const id = `${p}-${c}`
        if (fact.mode === 'narrative') {
          return fact.items.flatMap((item, i) => [
            ...(i > 0 ? [{ html: ', ' }] : []),
            { html: `${html.get(`${id}-${i}-author`) ?? ''} ${html.get(`${id}-${i}-year`) ?? ''}`, key: item.key },
          ])
        }
        const whole = html.get(id) ?? ''
        if (fact.items.length === 1) return [{ html: whole, key: fact.items[0]!.key }]
        return linkEach(whole, fact.items.map((item, i) => ({ key: item.key, html: trim(html.get(`${id}-${i}`) ?? '', layout) })))
      }),
    ),
    references: kept.map((facts) =>
      [...new Set(facts.flatMap((f) => f?.items.map((i) => i.key) ?? []))].sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0)).map(entryOf),
    ),
    bibliography: order.map(entryOf),
    layout,
    messages,
  }
}

function citationItem(item: CiteItem): CitationItem {
  return {
    id: item.key,
    ...(item.locator !== undefined && { locator: item.locator }),
    ...(item.label !== undefined && { label: item.label }),
    ...(item.prefix !== undefined && { prefix: item.prefix }),
    ...(item.suffix !== undefined && { suffix: item.suffix }),
    ...(item.suppressAuthor && { 'suppress-author': true }),
  }
}

/** The citation layout's prefix and suffix, such as APA's parentheses. */
function layoutOf(style: string): { prefix: string; suffix: string } {
  // The first `<layout>` after `<citation>`, found in one pass: `<citation[\s\S]*?<layout` backtracks.
  const citation = /<citation[\s>]/g.exec(style)
  const after = /<layout([^>]*)>/g
  after.lastIndex = citation ? citation.index : style.length
  const layout = (citation ? after.exec(style)?.[1] : undefined) ?? ''
  const attribute = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(layout)?.[1] ?? ''
  return { prefix: attribute('prefix'), suffix: attribute('suffix') }
}

function trim(text: string, layout: { prefix: string; suffix: string }): string {
  let inner = text
  if (layout.prefix && inner.startsWith(layout.prefix)) inner = inner.slice(layout.prefix.length)
  if (layout.suffix && inner.endsWith(layout.suffix)) inner = inner.slice(0, -layout.suffix.length)
  return inner
}

/**
 * Link each work inside a citation of several: find each one's text in the
 * whole, as the style wrote it. When the style has merged them (`Smith, 2019,
 * 2020`), the whole citation links to its first work instead.
 */
function linkEach(whole: string, items: { key: string; html: string }[]): CiteSegment[] {
  const found = items.map((item) => ({ ...item, at: item.html === '' ? -1 : whole.indexOf(item.html) }))
  const sorted = [...found].sort((a, b) => a.at - b.at)
  const overlaps = sorted.some((item, i) => i > 0 && item.at < sorted[i - 1]!.at + sorted[i - 1]!.html.length)
  if (found.some((f) => f.at < 0) || overlaps) return [{ html: whole, key: items[0]!.key }]
  const segments: CiteSegment[] = []
  let at = 0
  for (const item of sorted) {
    if (item.at > at) segments.push({ html: whole.slice(at, item.at) })
    segments.push({ html: item.html, key: item.key })
    at = item.at + item.html.length
  }
  if (at < whole.length) segments.push({ html: whole.slice(at) })
  return segments
}
