// Assemble every page of the site through its template: each chapter on its
// own (renderChapter, which worker threads run for long reports), then the
// pages made from the index and the full report (renderSitePages). Returns
// HTML; nothing is written here.

import { createHash, randomUUID } from 'node:crypto'
import type { Liquid } from 'liquidjs'
import type { Root } from 'mdast'
import type { Plugin } from 'unified'
import { createMessage, type Message } from '../messages.js'
import type { ReferenceEntry } from '../cite/nodes.js'
import type { PageFacts } from '../site/collect.js'
import type { SiteIndex } from '../site/index.js'
import { cutTitle } from '../site/resolve.js'
import { guarded } from '../guard.js'
import { generatedPageAt, type GeneratedPage } from '../reserved.js'
import { SourceLines } from '../markdown/source.js'
import { textOf, type PageText } from '../parallel/text.js'
import { renderBody, type RenderContext } from './body.js'
import { pageHistory } from './history.js'
import { interviewPages, type SiteModel } from './model.js'
import { joinFeatures, noFeatures, type PageFeatures } from './features.js'
import { renderNav } from './nav.js'
import { rootFinder } from './notfound.js'
import { templateFailure } from './templates.js'
import { fileHref, fragment, hrefFrom, outputPath, pageKey, rootFrom, urlPath } from './urls.js'

export interface RenderedChapter {
  facts: PageFacts
  tree: Root
  /** ISO date of the chapter file's last change, from the loader. */
  updated?: string | undefined
  /** The chapter's markdown, so that what the sanitizer removes is reported at its place. Default: not reported. */
  text?: string
}

/** What every page is rendered against: plain data, so that worker threads can be sent it. */
export interface PageContext {
  site: SiteModel
  index: SiteIndex
  /** Where the site lives on its server, for the 404 page, which is served at any depth; null when unknown (no `site_url`), and the page finds it itself. */
  basePath: string | null
  /** Start of "Edit this page" links (see history.ts). Default: no links. */
  editBase?: string | null
  /** Title and slug of every chapter in reading order, for the previous and next links. */
  chapters: { slug: string; shortTitle: string }[]
  /** Slugs of the chapters the full report holds. */
  inReport: ReadonlySet<string>
  /** The report's template overrides, as messages name them (`content/templates/footer.liquid`), by template name. Default: none. */
  overrides?: Record<string, string>
}

export interface RenderedPage {
  /** Output path (`themes/learners/index.html`). */
  file: string
  html: string
  /** The chapter's body as the full report shows it, when the full report holds the chapter. */
  section?: string
  /** A chapter at a generated page's address: what it puts on that page, which renderSitePages makes (`html` is then empty). */
  authored?: AuthoredPart
  /** The frames and diagrams of the chapter's body, which the full report shows too. Default: none. */
  features?: PageFeatures
  messages: Message[]
}

/** The chapter's share of a generated page it becomes: its title, its text, and its place in the reading order. */
export interface AuthoredPart {
  title: string
  shortTitle: string
  description: string | null
  content: string
  parts: string[]
  outline: { id: string; text: string; depth: number }[]
  prev: LinkModel | null
  next: LinkModel | null
  history: ReturnType<typeof pageHistory>
  /** Origins of its frames, for the page's frame-src. */
  frames: string[]
  /** Whether it has diagrams, which the page then loads Mermaid to draw. */
  diagrams: boolean
}

/** The evidence map is a findings × recommendations grid up to this many recommendations, and a list beyond. */
export const evidenceGridLimit = 40

interface LinkModel {
  title: string
  url: string
}

/** A chapter's page, or the landing page when the chapter is `index.md`; `i` is its place in reading order. `plugins` are the report's rehype plugins. */
export function renderChapter(context: PageContext, engine: Liquid, chapter: RenderedChapter, i: number, plugins: readonly Plugin[] = []): RenderedPage {
  const { facts, tree, updated, text } = chapter
  const messages: Message[] = []
  const features = noFeatures()
  const bodyContext: RenderContext = { ...chapterContext(facts.slug), plugins, features }
  if (text !== undefined) bodyContext.audit = { file: facts.file, source: new SourceLines(text), messages }
  const content = guarded(facts.file, 'rendering this chapter', messages, () => renderBody(tree, facts.slug, bodyContext), () => '')
  const { prev, next } = chapterNeighbours(context, i)
  const landing = facts.slug === ''
  const own = {
    title: facts.title,
    shortTitle: facts.shortTitle,
    description: facts.description ?? context.site.description,
    content,
    parts: facts.parts,
    outline: outline(facts, context.index),
    prev,
    next,
    history: pageHistory(context.editBase ?? null, facts.path, updated),
    frames: features.frames,
    diagrams: features.diagrams,
  }
  // At a generated page's address the chapter becomes that page, which is made with the index (renderSitePages).
  const page: RenderedPage = generatedPageAt(facts.slug)
    ? { file: outputPath(facts.slug), html: '', authored: own, messages: [] }
    : renderPage(context, engine, landing ? 'landing.liquid' : 'chapter.liquid', facts.slug, {
        kind: landing ? 'landing' : 'chapter',
        ...(landing ? { contents: renderNav(context.site.nav, { slug: '', root: rootFrom('') }) } : {}),
        ...own,
      })
  page.messages.unshift(...messages)
  if (features.diagrams || features.frames.length > 0) page.features = features
  if (context.inReport.has(facts.slug)) {
    // A chapter that opens the report sits directly under the title block, so its headings keep their levels.
    const shift = opensReport(facts, context.site) ? { headingShift: 0 } : {}
    page.section = guarded(facts.file, 'rendering this chapter in the full report', page.messages, () => renderBody(tree, facts.slug, { ...fullReportContext(context.index, context.inReport), ...shift, plugins }), () => '')
  }
  return page
}

/**
 * Whether a chapter is the report's opening: titled as the report is (the landing page, usually). The full report
 * shows it under the title block without repeating the title as a chapter heading.
 */
export function opensReport(facts: PageFacts, site: SiteModel): boolean {
  const plain = (title: string) => title.replace(/\s+/g, ' ').trim().toLowerCase()
  return plain(facts.title) === plain(site.title)
}

/** The previous and next chapters' links, for the pager. */
export function chapterNeighbours(context: PageContext, i: number): { prev: LinkModel | null; next: LinkModel | null } {
  const link = (c: { slug: string; shortTitle: string } | undefined): LinkModel | null => (c ? { title: c.shortTitle, url: urlPath(c.slug) } : null)
  return { prev: link(context.chapters[i - 1]), next: link(context.chapters[i + 1]) }
}

/** Generated pages kept from one build to the next, by key: `get` finds one made before, `set` keeps one made now. */
export interface PageMemo {
  /** Hash of what every page shares: the generator, the templates, the site model. */
  basis: string
  get(key: string): RenderedPage | undefined
  set(key: string, page: RenderedPage): void
}

/** Every page made from the index rather than from one chapter, and the full report from the chapters' sections. */
export function renderSitePages(
  context: PageContext,
  engine: Liquid,
  input: {
    /** The full report's chapters in order, with their sections (as text or bytes: parallel/text.ts) and what they hold. */
    sections: { facts: PageFacts; section: PageText; features?: PageFeatures | undefined }[]
    /** Every entry of the bibliography, formatted; the bibliography page is made when there is one. Default: none. */
    bibliography?: ReferenceEntry[]
    /** Chapters at generated pages' addresses, by address: each page shows its chapter's title and text first. Default: none. */
    authored?: ReadonlyMap<string, AuthoredPart>
    /** Pages made before, by a hash of what they show: a page whose data is unchanged is not rendered again. Default: none. */
    memo?: PageMemo | undefined
    /** Leave the full report out, and return how to make it (`later`): the preview serves the other pages first. Default: false. */
    laterFullReport?: boolean
    /**
     * The pages besides the full report as the last build made them (`made` of its result), and whether nothing they
     * are made from has changed since: then they are taken as they are. Default: none.
     */
    last?: { made: ReadonlyMap<string, RenderedPage>; unchanged: boolean } | undefined
  },
): { pages: GeneratedOutput[]; later?: () => RenderedPage; made: Map<string, RenderedPage> } {
  const { site, index } = context
  const pages: GeneratedOutput[] = []
  let later: (() => RenderedPage) | undefined
  const { last } = input
  const made = new Map<string, RenderedPage>()
  // Each page's data is made only when the page is.
  const render = (
    template: string,
    slug: GeneratedPage | '' | '404',
    data: () => Record<string, unknown>,
    root?: string,
    output?: (page: RenderedPage, again: () => RenderedPage) => GeneratedOutput,
  ) => {
    const authored = input.authored?.get(slug)
    // A site that uses no findings, recommendations or participants has no pages for them, unless a chapter is at one's address.
    if (!site.interview && interviewPages.has(slug) && !authored) return
    const name = `${template}\0${slug}`
    const kept = slug === 'full-report' || !last?.unchanged ? undefined : last.made.get(name)
    if (kept) return void (made.set(name, kept), pages.push(kept))
    // The author's title, text and place in the reading order; the generated part follows.
    const merge = () => {
      const page = data()
      return authored ? { ...page, ...authored, authored: true } : { ...page, authored: false }
    }
    // A page left for later has its data made then too (the full report's, for 10,000 sections, about 80 ms).
    if (slug === 'full-report' && input.laterFullReport) return void (later = () => renderPage(context, engine, template, slug, merge(), root))
    const merged = merge()
    const rendered = renderOrRecall(template, slug, merged, root)
    if (slug !== 'full-report') made.set(name, rendered)
    pages.push(output ? output(rendered, () => renderOrRecall(template, slug, merged, root)) : rendered)
  }
  const renderOrRecall = (template: string, slug: string, merged: Record<string, unknown>, root?: string): RenderedPage => {
    const { memo } = input
    // The full report shows every chapter's text, so it changes with any edit: hashing its data costs as much as making it.
    if (!memo || slug === 'full-report') return renderPage(context, engine, template, slug, merged, root)
    // Besides its data, a page shows what every page shares (the site, the templates), which `basis` stands for.
    const key = createHash('sha256').update(`${memo.basis}\0${template}\0${slug}\0${root ?? ''}\0`).update(JSON.stringify(merged)).digest('hex')
    let page = memo.get(key)
    if (!page) {
      page = renderPage(context, engine, template, slug, merged, root)
      memo.set(key, page)
    }
    return page
  }

  const findingUrl = (id: string) => {
    const f = index.findings.get(id)!
    return `${urlPath(f.page)}${fragment(id)}`
  }
  const recommendationUrl = (id: string) => {
    const r = index.recommendations.get(id)!
    return `${urlPath(r.page)}${fragment(id)}`
  }

  if (!index.pagesBySlug.has('')) {
    const first = context.chapters[0]
    render('landing.liquid', '', () => ({
      kind: 'landing',
      contents: renderNav(site.nav, { slug: '', root: rootFrom('') }),
      title: site.title,
      content: '',
      parts: [],
      outline: [],
      prev: null,
      next: first ? { title: first.shortTitle, url: urlPath(first.slug) } : null,
      history: pageHistory(null, '', undefined),
    }))
  }
  // Generated pages.
  const themes = once(() => index.pages
    .filter((p) => p.findings.length > 0)
    .map((p) => ({
      title: p.title,
      url: urlPath(p.slug),
      findings: p.findings
        .filter((f) => index.findings.get(f.id)?.page === p.slug)
        .map((f) => {
          const indexed = index.findings.get(f.id)!
          return {
            id: f.id,
            // A finding written on the findings page itself has its anchor there already.
            anchor: p.slug === 'findings' ? null : f.id,
            number: indexed.number,
            title: indexed.title,
            summary: indexed.summary,
            url: findingUrl(f.id),
            quoteCount: indexed.quoteCount,
            participantCount: indexed.participants.length,
            recommendations: compactList(indexed.addressedBy.map((id) => ({ ...index.recommendations.get(id)!, label: 'R' })), recommendationUrl),
          }
        }),
    })))
  const recommendations = once(() => [...index.recommendations.values()].map((r) => ({
    id: r.id,
    anchor: r.page === 'recommendations' ? null : r.id,
    number: r.number,
    title: r.title,
    url: recommendationUrl(r.id),
    audience: r.audience ?? null,
    horizons: r.horizons.join(', '),
    findings: compactList(r.addresses.map((id) => ({ ...index.findings.get(id)!, label: 'F' })), findingUrl),
  })))

  render('findings.liquid', 'findings', () => ({ kind: 'findings', title: 'Findings', themes: themes(), outline: [], parts: [] }))
  render('recommendations.liquid', 'recommendations', () => ({ kind: 'recommendations', title: 'Recommendations', recommendations: recommendations(), outline: [], parts: [] }))
  render('evidence.liquid', 'evidence', () => {
    // A grid has a cell for every pair; past a few dozen recommendations nobody can read it, so each finding lists its own.
    const matrix = recommendations().length <= evidenceGridLimit
    const evidenced = themes().flatMap((t) => t.findings)
    return {
      kind: 'evidence',
      title: 'Evidence map',
      matrix,
      // Each finding's bars are drawn against the best-supported finding; at least 1, so that a bar is never of an empty range.
      most: {
        quotes: Math.max(1, ...evidenced.map((f) => f.quoteCount)),
        participants: Math.max(1, ...evidenced.map((f) => f.participantCount)),
      },
      columns: recommendations().map((r) => ({ number: r.number, title: r.title, url: r.url })),
      themes: themes().map((t) => ({
        title: t.title,
        url: t.url,
        rows: t.findings.map((f) => {
          const addressedBy = new Set(index.findings.get(f.id)!.addressedBy)
          return { ...f, cells: matrix ? recommendations().map((r) => addressedBy.has(r.id)) : [] }
        }),
      })),
      outline: [],
      parts: [],
    }
  })
  render('participants.liquid', 'participants', () => ({
    kind: 'participants',
    title: 'Participants',
    hasRegistry: index.hasRegistry,
    participants: [...index.participants.values()]
      .filter((p) => p.consent !== 'no-quotes')
      .map((p) => ({
        id: p.id,
        role: p.role,
        name: p.consent === 'named' ? (p.name ?? null) : null,
        quoteCount: p.quoteCount,
        // Titles in lists of pairs are cut like link texts: each pair repeats one.
        findings: p.findings.map((id) => ({ number: index.findings.get(id)!.number, title: cutTitle(index.findings.get(id)!.title), url: findingUrl(id) })),
      })),
    outline: [],
    parts: [],
  }))

  // The full report: every chapter (or those the configuration lists) on one page, for print.
  // Sections kept as bytes are put into the generator's own template as they are (see spliceSections).
  const spliced = input.laterFullReport || context.overrides?.['full-report.liquid'] !== undefined ? undefined : bytesToSplice(input.sections.map((s) => s.section))
  let marked = spliced !== undefined
  render(
    'full-report.liquid',
    'full-report',
    () => {
      const sections = input.sections.map(({ facts, section }, i) => ({
        id: `chapter-${pageKey(facts.slug)}`,
        title: facts.title,
        parts: facts.parts,
        // Read as text when the template shows it: the sections of a long report are not all held as text at once.
        get content() {
          return marked ? spliced!.marks[i] : textOf(section)
        },
        opening: opensReport(facts, site),
      }))
      return { kind: 'full-report', title: 'Full report', sections, groups: groupByPart(sections), outline: [], parts: [], ...joinFeatures(input.sections.map((s) => s.features)) }
    },
    undefined,
    spliced && ((page, again) => spliceSections(page, spliced) ?? ((marked = false), again())),
  )
  render('search.liquid', 'search', () => ({ kind: 'search', title: 'Search', outline: [], parts: [] }))
  if ((input.bibliography && input.bibliography.length > 0) || input.authored?.has('bibliography')) {
    const list: Root = { type: 'root', children: [{ type: 'references', entries: input.bibliography ?? [], heading: false }] }
    render('bibliography.liquid', 'bibliography', () => ({
      kind: 'bibliography',
      title: 'Bibliography',
      references: input.bibliography?.length ? renderBody(list, 'bibliography', chapterContext('bibliography')) : '',
      outline: [],
      parts: [],
    }))
  }
  render('404.liquid', '404', () => ({ kind: 'not-found', title: 'Page not found', outline: [], parts: [], ...(context.basePath === null ? { rootFinder } : {}) }), context.basePath ?? '/')
  return later ? { pages, later, made } : { pages, made }
}

/** A page made from the index, or the full report, whose text may be bytes (parallel/text.ts). */
export interface GeneratedOutput {
  file: string
  html: PageText
  messages: Message[]
}

/** The chapters' sections, each with a mark to render in its place; undefined unless every one is bytes. */
interface Splice {
  sections: Uint8Array[]
  marks: string[]
  pattern: RegExp
}

function bytesToSplice(sections: readonly PageText[]): Splice | undefined {
  if (sections.length === 0 || !sections.every((section) => section instanceof Uint8Array)) return undefined
  // Characters no page holds (a NUL is replaced when HTML is parsed), and a nonce no title can guess.
  const nonce = randomUUID()
  return {
    sections: sections as Uint8Array[],
    marks: sections.map((_, i) => `\u0000${nonce}:${i}\u0000`),
    pattern: new RegExp(`\u0000${nonce}:(\\d+)\u0000`, 'g'),
  }
}

const encoder = new TextEncoder()

/**
 * The full report with each section's bytes put where its mark was rendered: at 10,000 chapters its text is about
 * 80 MB, which is then never held as one string, nor each section decoded to text. Undefined when the marks are
 * not each there exactly once (the page failed, or a template showed a section twice): the caller renders it
 * with the sections' text instead.
 */
function spliceSections(page: RenderedPage, splice: Splice): GeneratedOutput | undefined {
  const pieces: Uint8Array[] = []
  const seen = new Set<number>()
  let at = 0
  for (const match of page.html.matchAll(splice.pattern)) {
    const i = Number(match[1])
    if (seen.has(i)) return undefined
    seen.add(i)
    pieces.push(encoder.encode(page.html.slice(at, match.index)), splice.sections[i]!)
    at = match.index + match[0].length
  }
  if (seen.size !== splice.sections.length) return undefined
  pieces.push(encoder.encode(page.html.slice(at)))
  return { ...page, html: Buffer.concat(pieces) }
}

/** `make`, run the first time its value is asked for. */
function once<T>(make: () => T): () => T {
  let value: { made: T } | undefined
  return () => (value ??= { made: make() }).made
}

/**
 * Runs of chapters under the same part of the table of contents, in order: the
 * full report's contents list them under their part, and a part's title opens
 * its first chapter. Chapters outside any part (the landing page) make a
 * group of their own with no part. A nested part is named by its innermost title.
 */
export function groupByPart<T extends { parts: string[] }>(sections: T[]): { part: string | null; id: string | null; sections: T[] }[] {
  const groups: { key: string; part: string | null; id: string | null; sections: T[] }[] = []
  for (const section of sections) {
    const key = section.parts.join('\u0000')
    const last = groups.at(-1)
    if (last && last.key === key) last.sections.push(section)
    else {
      const part = section.parts.at(-1) ?? null
      groups.push({ key, part, id: part === null ? null : `part--${groups.filter((g) => g.part !== null).length + 1}`, sections: [section] })
    }
  }
  return groups.map(({ part, id, sections }) => ({ part, id, sections }))
}

/**
 * The items an index row refers to, as compact references ("F4", "R12") in number order, each once: the
 * title goes to screen readers with the reference and to the preview, not into a run of titles on the page.
 */
function compactList(items: { id: string; number: number; title: string; label: string }[], url: (id: string) => string): { number: number; label: string; title: string; url: string }[] {
  const seen = new Set<string>()
  return items
    .filter((item) => !seen.has(item.id) && seen.add(item.id))
    .sort((a, b) => a.number - b.number)
    .map((item) => ({ number: item.number, label: `${item.label}${item.number}`, title: cutTitle(item.title), url: url(item.id) }))
}

/** One page through its template, with the contents sidebar every page carries. */
function renderPage(context: PageContext, engine: Liquid, template: string, slug: string, page: Record<string, unknown>, root = rootFrom(slug)): RenderedPage {
  // The not-found page is served at any address; a `404.md` chapter is an ordinary page at /404/.
  const file = template === '404.liquid' ? '404.html' : outputPath(slug)
  const { site } = context
  try {
    // The contents sidebar is made in code: in a long report it is most of the work a template would do.
    // The not-found page keeps the slug `404`, which a `404.md` chapter has too; it is not that chapter's page.
    const nav = renderNav(site.nav, { slug: template === '404.liquid' ? undefined : slug, root, window: true })
    // The copy-link script goes where there are permalinks: on pages with the author's text.
    const permalinks = ['chapter', 'landing', 'full-report'].includes(String(page['kind'])) || page['authored'] === true
    const html = engine.renderFileSync(template, { site, page: { slug, root, description: site.description, nav, ...noFeatures(), permalinks, ...page } }) as string
    return { file, html, messages: [] }
  } catch (error) {
    return { file, html: '', messages: [templateMessage(engine, template, error, context.overrides ?? {})] }
  }
}

function chapterContext(slug: string): RenderContext {
  return {
    href: (target) => hrefFrom(slug, target.page, target.anchor),
    anchorId: (_page, id) => id,
    participantHref: (id) => hrefFrom(slug, 'participants', id),
    assetHref: (path) => fileHref(slug, path),
    headingShift: 0,
  }
}

/** In the full report, chapter headings are kept apart by prefixing them with their chapter. */
function fullReportContext(index: SiteIndex, included: ReadonlySet<string>): RenderContext {
  const isItem = (id: string) => index.findings.has(id) || index.recommendations.has(id)
  return {
    href: (target) =>
      !included.has(target.page)
        ? hrefFrom('full-report', target.page, target.anchor)
        : target.anchor === undefined
        ? `#chapter-${pageKey(target.page)}`
        : isItem(target.anchor)
          ? fragment(target.anchor)
          : `#${pageKey(target.page)}--${fragment(target.anchor).slice(1)}`,
    anchorId: (page, id) => `${pageKey(page)}--${id}`,
    participantHref: (id) => hrefFrom('full-report', 'participants', id),
    assetHref: (path) => fileHref('full-report', path),
    headingShift: 1,
  }
}

/** The page's own table of contents: its headings, findings and recommendations, in order. */
export function outline(facts: PageFacts, index: SiteIndex): { id: string; text: string; depth: number }[] {
  const entries: { id: string; text: string; depth: number; line: number }[] = []
  for (const h of facts.headings) if (h.depth <= 3) entries.push({ id: h.id, text: h.text, depth: h.depth, line: h.place.line })
  for (const f of facts.findings) {
    const n = index.findings.get(f.id)
    if (n?.page === facts.slug) entries.push({ id: f.id, text: `Finding ${n.number}: ${n.title}`, depth: 2, line: f.place.line })
  }
  for (const r of facts.recommendations) {
    const n = index.recommendations.get(r.id)
    if (n?.page === facts.slug) entries.push({ id: r.id, text: `Recommendation ${n.number}: ${n.title}`, depth: 2, line: r.place.line })
  }
  return entries.sort((a, b) => a.line - b.line).map(({ id, text, depth }) => ({ id, text, depth }))
}

function templateMessage(engine: Liquid, template: string, error: unknown, overrides: Record<string, string>): Message {
  const text = error instanceof Error ? error.message : String(error)
  const failure = templateFailure(engine, template, error)
  const name = failure?.template ?? template
  const override = overrides[name]
  return createMessage(
    'template-valid',
    override ?? `templates/${name}`,
    failure ? { line: failure.line, column: failure.column } : undefined,
    `The ${override ? 'template override' : 'template'} ${name} failed${name === template ? '' : ` while rendering ${template}`}: ${text.split('\n')[0]!.replace(/(, file:[^,]*)?, line:\d+, col:\d+$/, '')}`,
    override
      ? 'Fix the override, or remove it to use the built-in template; docs/theming.md lists the data each template receives.'
      : 'Check the variable and filter names against docs/theming.md.',
  )
}
