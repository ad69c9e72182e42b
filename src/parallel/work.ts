// The work done for each chapter on its own, in two rounds around the site
// index: first parse it and collect its facts, then resolve it against the
// index and render it. A PageWork keeps the trees of its chapters between the
// rounds, so a tree never leaves the thread that parsed it: only plain facts go
// out, and only plain data (the index) comes in. One PageWork runs in-process
// for short reports; for long ones each worker thread runs one for its share.

import { createHash } from 'node:crypto'
import type { Root } from 'mdast'
import { readEntry, writeEntry } from '../cache/store.js'
import { ReadValues, tracked, type Reads } from './reads.js'
import type { CitationFact } from '../cite/collect.js'
import { collectCitations } from '../cite/collect.js'
import type { CitationIndex } from '../cite/format.js'
import { resolveCitations } from '../cite/resolve.js'
import { guarded } from '../guard.js'
import type { Chapter, ContentsNode } from '../load/toc.js'
import type { SourceFile } from '../load/files.js'
import { chapterParser, parseChapter, type ParsedChapter } from '../markdown/parse.js'
import { checkPaths } from '../markdown/paths.js'
import { checkSelfReferences } from '../markdown/references.js'
import type { Message } from '../messages.js'
import { noPlugins, type LoadedPlugins } from '../plugins/load.js'
import { abstractOf } from '../myst/blocks.js'
import { isNotebook, parseNotebook } from '../myst/notebook.js'
import { mystParser, type MystPageOptions } from '../myst/parse.js'
import { chapterNeighbours, outline, renderChapter, type PageContext, type RenderedChapter, type RenderedPage } from '../render/pages.js'
import { excerptItems, type ItemExcerpt } from '../render/previews.js'
import { createEngine, type TemplateFiles } from '../render/templates.js'
import type { PublishProblem } from '../reserved.js'
import { resolveAssets } from '../site/assets.js'
import { collectPage, type PageFacts } from '../site/collect.js'
import { resolveContents } from '../site/contents.js'
import { resolveExternalLinks, type ExternalReferences } from '../site/external.js'
import { labelAliases, matchLabels } from '../site/labels.js'
import { resolvePage } from '../site/resolve.js'
import { collectEmbeds, resolveEmbeds, type EmbedFacts, type EmbeddedBlock } from '../site/embeds.js'
import { collectTargets, resolveTargets, type TargetFact, type TargetIndex } from '../site/targets.js'

export interface CollectInput {
  dialect: 'report' | 'myst'
  /** A MyST project's macros and abbreviations for every page (myst.yml's `project.math` and `project.abbreviations`). Default: none. */
  myst?: MystPageOptions | undefined
  /**
   * The chapters this PageWork owns, with their places in reading order, and each one's record key: a hash of
   * everything about the chapter itself (generator, text, place), under which `records` keeps what was made of it.
   */
  chapters: { chapter: Chapter; i: number; key?: string | undefined }[]
  /** Every markdown file of the project: MyST pages may include one another. */
  markdown: readonly SourceFile[]
  /** Paths that are links pointing out of the content folder (see load/links.ts). */
  outsideLinks: readonly string[]
  /** Where the build cache keeps chapters' parses as JSON, and each chapter's parse key by path (our dialect only). Default: none. */
  parsed?: ParseStore | undefined
  /** Keep each chapter parsed afresh in `parsed`, for the next build. Default: false. */
  keepParses?: boolean
  /** Where each chapter's facts and finished page are kept under its record key, for the next build to take unchanged. Default: none. */
  records?: Entries | undefined
}

/** The parse cache's folder, and the key of each chapter's parse in it, by chapter path. */
export interface ParseStore {
  folder: string
  keys: ReadonlyMap<string, string>
}

/**
 * Entries of the build cache: as JSON in a folder that each thread reads and writes itself, or as values in memory
 * (the dev server, one thread), which are never changed once kept.
 */
export type Entries = { folder: string } | { memory: Map<string, unknown> }

/** An entry, or undefined when it is not there or cannot be read (then the work is done afresh). */
export function readFrom<T>(store: Entries, key: string): T | undefined {
  if ('memory' in store) return store.memory.get(key) as T | undefined
  const json = readEntry(store.folder, key)
  return json === undefined ? undefined : readBack<T>(json)
}

export function writeTo(store: Entries, key: string, value: unknown): void {
  if ('folder' in store) writeEntry(store.folder, key, JSON.stringify(value))
  else store.memory.set(key, value)
}

/** What a chapter's collect round made, kept under `c-<record key>`. */
type CollectRecord = Omit<CollectedPage, 'i'>

/**
 * A finished chapter page, kept under `p-<record key>` with what it was made from besides the chapter itself:
 * the pages' shared basis, and every piece of the shared data it read, with that piece's value then.
 */
interface PageRecord {
  basis: string
  reads: [string, string][]
  page: Omit<FinishedPage, 'i'>
}

export interface CollectedPage {
  i: number
  facts: PageFacts
  targets: TargetFact[]
  citations: CitationFact[]
  /** The labels a MyST page shows again, and its labelled blocks (site/embeds.ts). */
  embeds: EmbedFacts
  /** A MyST page's abstract, which the landing page shows when it has none. */
  abstract: Root['children'][number] | undefined
  /** Files the chapter's content makes (a notebook's output images), by site path. */
  outputs: { path: string; data: Uint8Array | string }[]
  messages: Message[]
}

export interface FinishInput {
  context: PageContext
  templates: TemplateFiles
  targets: TargetIndex
  /** The labelled blocks some page shows again, by label. */
  embeds: ReadonlyMap<string, EmbeddedBlock>
  citations: CitationIndex
  contents: ContentsNode[]
  /** Every file in the content folder, by its path there. */
  contentFiles: readonly string[]
  /** Content files that may not be published, with the reason (reserved.ts). */
  refusedFiles: readonly (readonly [string, PublishProblem])[]
  /** Shown on the landing page when it has no abstract of its own (MyST). */
  abstract: Root['children'][number] | undefined
  /** MyST's `project.references`: the other projects `xref:` links name. Default: none. */
  references?: ExternalReferences | undefined
  /**
   * Chapter pages rendered before, by render key (see renderKey): a page whose key is there is not rendered
   * again. Needs `renderBasis`. Default: none.
   */
  rendered?: RenderedPages | undefined
  /** Hash of what every chapter page shares (generator, templates, the site model, the index's ids); set to compute render keys. Default: none. */
  renderBasis?: string | undefined
}

/**
 * Earlier renderings as JSON: in memory (the dev server), or in a folder of the build cache that each
 * thread reads, and writes new renderings to, itself, so that they need not cross threads.
 */
export type RenderedPages = { pages: ReadonlyMap<string, string> } | { folder: string }

export interface FinishedPage extends RenderedPage {
  i: number
  /** The key this page was rendered under, and the rendering as JSON when it was made afresh and kept in memory. */
  render?: { key: string; json?: string }
  items: ItemExcerpt[]
  /** Content files the page uses, by their path in the content folder. */
  assets: string[]
}

export interface PageWorkOptions {
  /** Parses one chapter of our dialect; the dev server passes one that remembers earlier results. Default: parseChapter. */
  parse?: (file: SourceFile) => ParsedChapter
  /** The report's remark and rehype plugins, loaded in this thread. Default: none. */
  plugins?: LoadedPlugins
}

/** Everything renderChapter reads for one chapter, besides what `basis` already covers, in one hash. */
export function renderKey(basis: string, context: PageContext, chapter: RenderedChapter, i: number): string {
  const { facts } = chapter
  return createHash('sha256')
    .update(`${basis}\0${i}\0${chapter.updated ?? ''}\0${context.inReport.has(facts.slug)}\0`)
    .update(JSON.stringify([facts, outline(facts, context.index), chapterNeighbours(context, i)]))
    .update('\0')
    .update(chapter.text ?? '')
    .update('\0')
    .update(JSON.stringify(chapter.tree))
    .digest('hex')
}

/** A MyST project's pages: MyST markdown, and notebooks. */
function mystPages(markdown: readonly SourceFile[], options: MystPageOptions = {}): (file: SourceFile) => ParsedChapter {
  const page = mystParser(markdown, options)
  const files = new Map(markdown.map((f) => [f.path, f]))
  return (file) => (isNotebook(file.path) ? parseNotebook(file, { ...options, files }) : page(file))
}

/** An entry of the build cache, or undefined when it cannot be read (then the work is done afresh). */
function readBack<T>(json: string): T | undefined {
  try {
    return JSON.parse(json) as T
  } catch {
    return undefined
  }
}

export class PageWork {
  /**
   * Each chapter between the rounds: its tree, as JSON in our dialect (a tenth of the memory, and quick to read
   * back), or none when its facts were taken from the last build (then it is read only if its page is made again).
   */
  private readonly pages = new Map<number, { chapter: Chapter; tree: Root | string | undefined; facts: PageFacts; key: string | undefined }>()
  /** The dialect of the chapters collected, which decides how their links are read. */
  private dialect: CollectInput['dialect'] = 'report'
  private parsed: ParseStore | undefined
  private records: Entries | undefined

  private readonly plugins: LoadedPlugins
  private readonly parse: (file: SourceFile) => ParsedChapter

  constructor(options: PageWorkOptions = {}) {
    this.plugins = options.plugins ?? noPlugins
    this.parse = options.parse ?? (this.plugins.remark.length > 0 ? chapterParser(this.plugins.remark) : parseChapter)
  }

  collect(input: CollectInput): CollectedPage[] {
    const parse = input.dialect === 'myst' ? mystPages(input.markdown, input.myst) : this.parse
    const outsideLinks = new Set(input.outsideLinks)
    this.dialect = input.dialect
    this.parsed = input.dialect === 'report' ? input.parsed : undefined
    this.records = input.records
    const myst = input.dialect === 'myst'
    return input.chapters.map(({ chapter, i, key }) => {
      // A chapter whose own inputs are unchanged has the facts it had: it is not parsed, nor its parse read.
      const record = key === undefined || !input.records ? undefined : readFrom<CollectRecord>(input.records, `c-${key}`)
      if (record) {
        this.pages.set(i, { chapter, tree: undefined, facts: record.facts, key })
        return { ...record, i }
      }
      const { source } = chapter
      const messages: Message[] = []
      // A parse read back from JSON is a fresh copy, which resolving may write into.
      const reused = this.readParse(source)
      const parsed = reused ?? guarded(source.display, 'parsing this chapter', messages, () => parse(source), () => parseChapter({ ...source, text: '' }))
      const parseKey = this.parsed?.keys.get(source.path)
      if (reused === undefined && input.keepParses && parseKey !== undefined && messages.length === 0) writeEntry(this.parsed!.folder, parseKey, JSON.stringify(parsed))
      messages.push(...parsed.messages)
      // Images and links must stay inside the content folder; a reference should not point to where it stands.
      messages.push(...checkPaths(parsed.tree, { path: source.path, file: source.display, outsideLinks, rootRelative: myst }))
      messages.push(...checkSelfReferences(parsed.tree, source.display))
      const facts = collectPage(chapter, parsed)
      this.pages.set(i, { chapter, tree: myst ? parsed.tree : JSON.stringify(parsed.tree), facts, key })
      const abstract = input.dialect === 'myst' ? abstractOf(parsed.tree) : undefined
      const embeds = input.dialect === 'myst' ? collectEmbeds(parsed.tree) : { wanted: [], blocks: [] }
      const page: CollectedPage = { i, facts, targets: collectTargets(parsed.tree), citations: collectCitations(parsed.tree), embeds, abstract, outputs: parsed.outputs ?? [], messages }
      if (key !== undefined && input.records && page.outputs.length === 0) {
        const { i: _, ...kept } = page
        writeTo(input.records, `c-${key}`, kept)
      }
      return page
    })
  }

  /** A chapter's parse as the build cache kept it, when it is there and readable. */
  private readParse(source: SourceFile): ParsedChapter | undefined {
    const key = this.parsed?.keys.get(source.path)
    const json = key === undefined ? undefined : readEntry(this.parsed!.folder, key)
    return json === undefined ? undefined : readBack<ParsedChapter>(json)
  }

  /** The tree of a chapter whose facts came from the last build, now that its page must be made again. */
  private treeOf(chapter: Chapter): Root {
    const parsed = this.readParse(chapter.source) ?? guarded(chapter.source.display, 'parsing this chapter', [], () => this.parse(chapter.source), () => parseChapter({ ...chapter.source, text: '' }))
    return parsed.tree
  }

  finish(input: FinishInput): FinishedPage[] {
    const { context } = input
    const engine = createEngine(input.templates)
    const contentFiles = new Set(input.contentFiles)
    const refusedFiles = new Map(input.refusedFiles)
    const myst = this.dialect === 'myst'
    // MyST matches labels without regard to case, and by their html ids too (site/labels.ts).
    const aliases = myst ? labelAliases(context.index, input.targets) : undefined
    // What pages share, by the names their reads are recorded under.
    const shared = { index: context.index, chapters: context.chapters, inReport: context.inReport, targets: input.targets, embeds: input.embeds, citations: input.citations, contents: input.contents, contentFiles, refusedFiles }
    const records = this.records && input.renderBasis !== undefined ? { store: this.records, basis: input.renderBasis, values: new ReadValues(shared) } : undefined
    return [...this.pages].map(([i, { chapter, tree: kept, facts, key }]) => {
      // A page whose own inputs are unchanged, and all it read of the shared data too, is the page it was.
      const record = key === undefined || !records ? undefined : readFrom<PageRecord>(records.store, `p-${key}`)
      if (record && record.basis === records!.basis && records!.values.unchanged(record.reads)) return { ...record.page, i }

      const tree = typeof kept === 'string' ? (JSON.parse(kept) as Root) : (kept ?? this.treeOf(chapter))
      const reads: Reads | undefined = key !== undefined && records ? new Set() : undefined
      const see = <K extends keyof typeof shared>(name: K): (typeof shared)[K] => (reads ? tracked(shared[name], name, reads) : shared[name])
      const pageContext: PageContext = reads ? { ...context, index: see('index'), chapters: see('chapters'), inReport: see('inReport') } : context
      const { targets, embeds, citations, contents } = { targets: see('targets'), embeds: see('embeds'), citations: see('citations'), contents: see('contents') }
      const messages: Message[] = []
      let assets: string[] = []
      if (facts.slug === '' && input.abstract && !abstractOf(tree)) tree.children.unshift(structuredClone(input.abstract))
      guarded(facts.file, 'resolving this chapter', messages, () => {
        // Links are put in the form the resolvers look up first: other sites' addresses, labels as written,
        // and `@label` citations as links to their labels.
        if (myst) messages.push(...resolveExternalLinks(tree, facts, input.references ?? {}))
        if (aliases) matchLabels(tree, facts, pageContext.index, targets, aliases)
        resolveEmbeds(tree, facts, embeds, targets)
        resolveCitations(tree, i, citations)
        resolveTargets(tree, facts, targets, pageContext.index, { myst })
        resolveContents(tree, contents, pageContext.index)
        messages.push(...resolvePage(tree, facts, pageContext.index, { myst }))
        const files = resolveAssets(tree, facts, see('contentFiles'), see('refusedFiles'), { rootRelative: myst })
        messages.push(...files.messages)
        assets = files.used
      }, () => undefined)
      const rendered = { facts, tree, updated: chapter.source.updated, text: chapter.source.text }
      // Where pages are not kept whole (MyST pages, whose parse may include other files), one whose resolved tree
      // and surroundings are what they were last time renders as it did.
      const renderAs = input.renderBasis === undefined || records ? undefined : renderKey(input.renderBasis, pageContext, rendered, i)
      const store = input.rendered
      const before = renderAs === undefined || !store ? undefined : 'folder' in store ? readEntry(store.folder, renderAs) : store.pages.get(renderAs)
      const reused = before === undefined ? undefined : readBack<RenderedPage>(before)
      const page = reused ?? renderChapter(pageContext, engine, rendered, i, this.plugins.rehype)
      let render: FinishedPage['render']
      if (renderAs !== undefined) {
        const json = reused === undefined ? JSON.stringify(page) : undefined
        // Written where the build cache keeps it, or handed back to be kept in memory.
        const inFolder = store !== undefined && 'folder' in store
        if (json !== undefined && inFolder) writeEntry(store.folder, renderAs, json)
        render = json !== undefined && !inFolder ? { key: renderAs, json } : { key: renderAs }
      }
      const items = excerptItems([{ slug: facts.slug, title: facts.title, tree }], pageContext.index)
      const finished: FinishedPage = { ...page, i, items, assets, messages: [...messages, ...page.messages], ...(render ? { render } : {}) }
      if (reads && key !== undefined && records) {
        const { i: _, render: made, ...rest } = finished
        const kept: PageRecord = { basis: records.basis, reads: records.values.record(reads), page: { ...rest, ...(made ? { render: { key: made.key } } : {}) } }
        writeTo(records.store, `p-${key}`, kept)
      }
      // Its tree is not needed again: dropped, so that memory does not grow with the report.
      this.pages.delete(i)
      return finished
    })
  }
}
