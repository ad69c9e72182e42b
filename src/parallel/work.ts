// The work done for each chapter on its own, in two rounds around the site
// index: first parse it and collect its facts, then resolve it against the
// index and render it. A PageWork keeps the trees of its chapters between the
// rounds, so a tree never leaves the thread that parsed it: only plain facts go
// out, and only plain data (the index) comes in. One PageWork runs in-process
// for short reports; for long ones each worker thread runs one for its share.
//
// With a record store, the work follows the edit: each chapter's facts, and its
// finished page with every piece of the shared data that page read (reads.ts),
// are kept under a hash of the chapter's own inputs. The next build takes a
// chapter's facts without parsing it when those inputs are unchanged, and its
// page without resolving or rendering it when what it read is unchanged too.

import type { Root } from 'mdast'
import { readEntry, settleEntries, writeEntry } from '../cache/store.js'
import { ReadValues, tracked, type Reads } from './reads.js'
import { bytesOf, type PageText } from './text.js'
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
import { parseMystPage, type MystPageOptions } from '../myst/parse.js'
import { renderChapter, type PageContext, type RenderedPage } from '../render/pages.js'
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
 * Entries of the build cache: as JSON in packs in a folder, which each thread reads and writes itself (cache/packs.ts), or as values in memory
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

/** What a chapter's collect round made, kept under `c-<record key>`, with the other files its parse read (a MyST page's includes). */
type CollectRecord = Omit<CollectedPage, 'i'> & { inputs?: [string, string][] }

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
  /** Hash of what every chapter page shares (generator, templates, the site model, the index's ids); with `records`, pages are kept under it. Default: none. */
  renderBasis?: string | undefined
  /**
   * Record keys of pages whose reads hold for this build's shared data, which is the same as the last build's (a
   * session's: pipeline.ts, SessionMemo): their records are taken without checking what they read. Default: none.
   */
  trusted?: ReadonlySet<string> | undefined
}


/** A finished chapter page; from a worker thread its text comes as bytes (parallel/text.ts). */
export interface FinishedPage extends Omit<RenderedPage, 'html' | 'section'> {
  html: PageText
  section?: PageText | undefined
  i: number
  items: ItemExcerpt[]
  /** Content files the page uses, by their path in the content folder. */
  assets: string[]
}

export interface PageWorkOptions {
  /** Parses one chapter of our dialect; the dev server passes one that remembers earlier results. Default: parseChapter. */
  parse?: (file: SourceFile) => ParsedChapter
  /** The report's remark and rehype plugins, loaded in this thread. Default: none. */
  plugins?: LoadedPlugins
  /** Hand finished pages over with their text as UTF-8 bytes, half the memory of a string (parallel/text.ts). Default: false. */
  pagesAsBytes?: boolean
}

/**
 * A MyST project's pages: MyST markdown, and notebooks. A page may include other files of the project, so
 * with `reads` the files it looks up are recorded, as its page's reads of the shared data are.
 */
function mystPages(files: ReadonlyMap<string, SourceFile>, options: MystPageOptions = {}): (file: SourceFile, reads?: Reads) => ParsedChapter {
  return (file, reads) => {
    const seen = reads ? tracked(files, 'files', reads) : files
    return isNotebook(file.path) ? parseNotebook(file, { ...options, files: seen }) : parseMystPage(file, { ...options, files: seen })
  }
}

/** An entry of the build cache, or undefined when it cannot be read (then the work is done afresh). */
function readBack<T>(json: string): T | undefined {
  try {
    return JSON.parse(json) as T
  } catch {
    return undefined
  }
}

/** A finished page with its text as bytes of its own. */
function inBytes(page: FinishedPage): FinishedPage {
  return { ...page, html: bytesOf(page.html), ...(page.section === undefined ? {} : { section: bytesOf(page.section) }) }
}

/** A chapter between the rounds (see PageWork.pages). */
interface Collected {
  chapter: Chapter
  /** Its tree, or none when it is read back for its page (from the parse store, else parsed again). */
  tree: Root | string | undefined
  facts: PageFacts
  key: string | undefined
}

/** Pages a worker thread hands over at a time in the finish round. */
const emitEvery = 50

export class PageWork {
  /**
   * Each chapter between the rounds: its tree, as JSON in our dialect (a tenth of the memory, and quick to read
   * back), or none when the parse store holds it or its facts were taken from the last build (then it is read
   * only when its page is made).
   */
  private readonly pages = new Map<number, Collected>()
  /** The dialect of the chapters collected, which decides how their links are read. */
  private dialect: CollectInput['dialect'] = 'report'
  private parsed: ParseStore | undefined
  private records: Entries | undefined
  /** How this work's chapters are parsed: our dialect, or MyST with the project's files. */
  private parsePage: (file: SourceFile) => ParsedChapter

  private readonly plugins: LoadedPlugins
  private readonly parse: (file: SourceFile) => ParsedChapter
  private readonly pagesAsBytes: boolean

  constructor(options: PageWorkOptions = {}) {
    this.pagesAsBytes = options.pagesAsBytes ?? false
    this.plugins = options.plugins ?? noPlugins
    this.parse = options.parse ?? (this.plugins.remark.length > 0 ? chapterParser(this.plugins.remark) : parseChapter)
    this.parsePage = this.parse
  }

  collect(input: CollectInput): CollectedPage[] {
    const outsideLinks = new Set(input.outsideLinks)
    this.dialect = input.dialect
    const myst = input.dialect === 'myst'
    const files = new Map(myst ? input.markdown.map((f) => [f.path, f] as const) : [])
    const mystPage = myst ? mystPages(files, input.myst) : undefined
    this.parsePage = mystPage ?? this.parse
    this.parsed = myst ? undefined : input.parsed
    this.records = input.records
    const inputs = new ReadValues({ files })
    const collected = input.chapters.map(({ chapter, i, key }) => {
      // A chapter whose own inputs (and the files it included) are unchanged has the facts it had: it is not
      // parsed, nor its parse read.
      const record = key === undefined || !input.records ? undefined : readFrom<CollectRecord>(input.records, `c-${key}`)
      if (record && inputs.unchanged(record.inputs ?? [])) {
        this.pages.set(i, { chapter, tree: undefined, facts: record.facts, key })
        const { inputs: _, ...page } = record
        return { ...page, i }
      }
      const { source } = chapter
      const messages: Message[] = []
      const reads: Reads | undefined = key !== undefined && input.records && mystPage ? new Set() : undefined
      const parse = mystPage ? (file: SourceFile) => mystPage(file, reads) : this.parse
      // A parse read back from JSON is a fresh copy, which resolving may write into.
      const reused = this.readParse(source)
      const parsed = reused ?? guarded(source.display, 'parsing this chapter', messages, () => parse(source), () => parseChapter({ ...source, text: '' }))
      const parseKey = this.parsed?.keys.get(source.path)
      const stored = reused !== undefined || (input.keepParses === true && parseKey !== undefined && messages.length === 0 && writeEntry(this.parsed!.folder, parseKey, JSON.stringify(parsed)))
      messages.push(...parsed.messages)
      // Images and links must stay inside the content folder; a reference should not point to where it stands.
      messages.push(...checkPaths(parsed.tree, { path: source.path, file: source.display, outsideLinks, rootRelative: myst }))
      messages.push(...checkSelfReferences(parsed.tree, source.display))
      // What is collected is copied out of the tree: a string V8 cuts from a longer one keeps all of that one alive,
      // and a title cut from the chapter's text would keep a copy of the whole text for as long as its facts live.
      const collected = structuredClone({
        facts: collectPage(chapter, parsed),
        targets: collectTargets(parsed.tree),
        citations: collectCitations(parsed.tree),
        embeds: myst ? collectEmbeds(parsed.tree) : { wanted: [], blocks: [] },
        abstract: myst ? abstractOf(parsed.tree) : undefined,
      })
      const { facts } = collected
      // A tree the parse store holds is read back from there for its page, so that a thread's memory does not grow
      // with its share of the report; others are held as JSON in our dialect (a tenth of the memory of the tree).
      this.pages.set(i, { chapter, tree: myst ? parsed.tree : stored ? undefined : JSON.stringify(parsed.tree), facts, key })
      const page: CollectedPage = { i, ...collected, outputs: parsed.outputs ?? [], messages }
      // A page whose content makes files (a notebook's images) is made afresh each time: its record would hold them.
      if (key !== undefined && input.records && page.outputs.length === 0) {
        const { i: _, ...kept } = page
        writeTo(input.records, `c-${key}`, { ...kept, ...(reads ? { inputs: inputs.record(reads) } : {}) })
      }
      return page
    })
    // What this round wrote to the build cache can be read from the next (each tree it parsed, for its page).
    settleEntries()
    return collected
  }

  /** A chapter's parse as the build cache kept it, when it is there and readable. */
  private readParse(source: SourceFile): ParsedChapter | undefined {
    const key = this.parsed?.keys.get(source.path)
    const json = key === undefined ? undefined : readEntry(this.parsed!.folder, key)
    return json === undefined ? undefined : readBack<ParsedChapter>(json)
  }

  /** The tree of a chapter whose facts came from the last build, now that its page must be made again. */
  private treeOf(chapter: Chapter): Root {
    const parsed = this.readParse(chapter.source) ?? guarded(chapter.source.display, 'parsing this chapter', [], () => this.parsePage(chapter.source), () => parseChapter({ ...chapter.source, text: '' }))
    return parsed.tree
  }

  /**
   * Resolve and render every chapter collected. With `emit`, pages are handed over in batches as they are made and
   * not kept (a worker thread then holds a few pages at a time, not its whole share), and the result is empty.
   */
  finish(input: FinishInput, emit?: (pages: FinishedPage[]) => void): FinishedPage[] {
    const { context } = input
    const engine = createEngine(input.templates)
    const contentFiles = new Set(input.contentFiles)
    const refusedFiles = new Map(input.refusedFiles)
    const myst = this.dialect === 'myst'
    // MyST matches labels without regard to case, and by their html ids too (site/labels.ts).
    const aliases = myst ? labelAliases(context.index, input.targets) : undefined
    // What pages share, by the names their reads are recorded under.
    const shared = {
      ...{ index: context.index, chapters: context.chapters, inReport: context.inReport, targets: input.targets, embeds: input.embeds, citations: input.citations },
      ...{ contents: input.contents, contentFiles, refusedFiles, aliases: aliases ?? new Map<string, string>(), references: input.references ?? {}, abstract: input.abstract ?? null },
    }
    const records = this.records && input.renderBasis !== undefined ? { store: this.records, basis: input.renderBasis, values: new ReadValues(shared) } : undefined
    const finishPage = ([i, { chapter, tree: kept, facts, key }]: [number, Collected]): FinishedPage => {
      // A page whose own inputs (and the files it includes) are unchanged, and all it read of the shared data is
      // unchanged too, is the page it was. (A MyST page, whose includes may have changed, keeps its tree.)
      const record = key === undefined || !records || kept !== undefined ? undefined : readFrom<PageRecord>(records.store, `p-${key}`)
      if (record && record.basis === records!.basis && (input.trusted?.has(key!) || records!.values.unchanged(record.reads))) return { ...record.page, i }

      const tree = typeof kept === 'string' ? (JSON.parse(kept) as Root) : (kept ?? this.treeOf(chapter))
      const reads: Reads | undefined = key !== undefined && records ? new Set() : undefined
      const see = <K extends keyof typeof shared>(name: K): (typeof shared)[K] => (reads ? tracked(shared[name], name, reads) : shared[name])
      const pageContext: PageContext = reads ? { ...context, index: see('index'), chapters: see('chapters'), inReport: see('inReport') } : context
      const { targets, embeds, citations, contents } = { targets: see('targets'), embeds: see('embeds'), citations: see('citations'), contents: see('contents') }
      const messages: Message[] = []
      let assets: string[] = []
      // The landing page shows another page's abstract when it has none (and the copy must be of the data, not a view of it).
      if (facts.slug === '') reads?.add('abstract')
      if (facts.slug === '' && input.abstract && !abstractOf(tree)) tree.children.unshift(structuredClone(input.abstract))
      guarded(facts.file, 'resolving this chapter', messages, () => {
        // Links are put in the form the resolvers look up first: other sites' addresses, labels as written,
        // and `@label` citations as links to their labels.
        if (myst) messages.push(...resolveExternalLinks(tree, facts, see('references')))
        if (aliases) matchLabels(tree, facts, pageContext.index, targets, see('aliases'))
        resolveEmbeds(tree, facts, embeds, targets)
        resolveCitations(tree, i, citations)
        resolveTargets(tree, facts, targets, pageContext.index, { myst })
        resolveContents(tree, contents, pageContext.index)
        messages.push(...resolvePage(tree, facts, pageContext.index, { myst }))
        const files = resolveAssets(tree, facts, see('contentFiles'), see('refusedFiles'), { rootRelative: myst })
        messages.push(...files.messages)
        assets = files.used
      }, () => undefined)
      const page = renderChapter(pageContext, engine, { facts, tree, updated: chapter.source.updated, text: chapter.source.text }, i, this.plugins.rehype)
      const items = excerptItems([{ slug: facts.slug, title: facts.title, tree }], pageContext.index)
      const finished: FinishedPage = { ...page, i, items, assets, messages: [...messages, ...page.messages] }
      if (reads && key !== undefined && records) {
        const { i: _, ...rest } = finished
        writeTo(records.store, `p-${key}`, { basis: records.basis, reads: records.values.record(reads), page: rest } satisfies PageRecord)
      }
      // Its tree is not needed again: dropped, so that memory does not grow with the report.
      this.pages.delete(i)
      return finished
    }
    const made: FinishedPage[] = []
    for (const entry of [...this.pages]) {
      const page = finishPage(entry)
      made.push(this.pagesAsBytes ? inBytes(page) : page)
      if (emit && made.length >= emitEvery) emit(made.splice(0))
    }
    settleEntries()
    if (!emit) return made
    if (made.length > 0) emit(made.splice(0))
    return []
  }
}
