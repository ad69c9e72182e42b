// The work done for each chapter on its own, in two rounds around the site
// index: first parse it and collect its facts, then resolve it against the
// index and render it. A PageWork keeps the trees of its chapters between the
// rounds, so a tree never leaves the thread that parsed it: only plain facts go
// out, and only plain data (the index) comes in. One PageWork runs in-process
// for short reports; for long ones each worker thread runs one for its share.

import { createHash } from 'node:crypto'
import type { Root } from 'mdast'
import { readEntry, writeEntry } from '../cache/store.js'
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
  /** The chapters this PageWork owns, with their places in reading order. */
  chapters: { chapter: Chapter; i: number }[]
  /** Every markdown file of the project: MyST pages may include one another. */
  markdown: readonly SourceFile[]
  /** Paths that are links pointing out of the content folder (see load/links.ts). */
  outsideLinks: readonly string[]
  /** Earlier parses of chapters whose text has not changed since, as JSON, by chapter path (our dialect only). Default: none. */
  parsed?: ReadonlyMap<string, string> | undefined
  /** Return each chapter parsed afresh as JSON, for the build cache. Default: false. */
  keepParses?: boolean
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
  /** The chapter's parse as JSON, when it was parsed afresh and `keepParses` asked for it. */
  parse?: string
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
  private readonly pages = new Map<number, { chapter: Chapter; tree: Root; facts: PageFacts }>()
  /** The dialect of the chapters collected, which decides how their links are read. */
  private dialect: CollectInput['dialect'] = 'report'

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
    const myst = input.dialect === 'myst'
    return input.chapters.map(({ chapter, i }) => {
      const { source } = chapter
      const messages: Message[] = []
      const cached = input.dialect === 'report' ? input.parsed?.get(source.path) : undefined
      // A parse read back from JSON is a fresh copy, which resolving may write into.
      const reused = cached === undefined ? undefined : readBack<ParsedChapter>(cached)
      const parsed = reused ?? guarded(source.display, 'parsing this chapter', messages, () => parse(source), () => parseChapter({ ...source, text: '' }))
      const fresh = reused === undefined && input.keepParses && input.dialect === 'report' && messages.length === 0 ? JSON.stringify(parsed) : undefined
      messages.push(...parsed.messages)
      // Images and links must stay inside the content folder; a reference should not point to where it stands.
      messages.push(...checkPaths(parsed.tree, { path: source.path, file: source.display, outsideLinks, rootRelative: myst }))
      messages.push(...checkSelfReferences(parsed.tree, source.display))
      const facts = collectPage(chapter, parsed)
      this.pages.set(i, { chapter, tree: parsed.tree, facts })
      const abstract = input.dialect === 'myst' ? abstractOf(parsed.tree) : undefined
      const embeds = input.dialect === 'myst' ? collectEmbeds(parsed.tree) : { wanted: [], blocks: [] }
      return { i, facts, targets: collectTargets(parsed.tree), citations: collectCitations(parsed.tree), embeds, abstract, outputs: parsed.outputs ?? [], messages, ...(fresh === undefined ? {} : { parse: fresh }) }
    })
  }

  finish(input: FinishInput): FinishedPage[] {
    const { context } = input
    const engine = createEngine(input.templates)
    const contentFiles = new Set(input.contentFiles)
    const refusedFiles = new Map(input.refusedFiles)
    const myst = this.dialect === 'myst'
    // MyST matches labels without regard to case, and by their html ids too (site/labels.ts).
    const aliases = myst ? labelAliases(context.index, input.targets) : undefined
    return [...this.pages].map(([i, { chapter, tree, facts }]) => {
      const messages: Message[] = []
      let assets: string[] = []
      if (facts.slug === '' && input.abstract && !abstractOf(tree)) tree.children.unshift(structuredClone(input.abstract))
      guarded(facts.file, 'resolving this chapter', messages, () => {
        // Links are put in the form the resolvers look up first: other sites' addresses, labels as written,
        // and `@label` citations as links to their labels.
        if (myst) messages.push(...resolveExternalLinks(tree, facts, input.references ?? {}))
        if (aliases) matchLabels(tree, facts, context.index, input.targets, aliases)
        resolveEmbeds(tree, facts, input.embeds, input.targets)
        resolveCitations(tree, i, input.citations)
        resolveTargets(tree, facts, input.targets, context.index, { myst })
        resolveContents(tree, input.contents, context.index)
        messages.push(...resolvePage(tree, facts, context.index, { myst }))
        const files = resolveAssets(tree, facts, contentFiles, refusedFiles, { rootRelative: myst })
        messages.push(...files.messages)
        assets = files.used
      }, () => undefined)
      const rendered = { facts, tree, updated: chapter.source.updated, text: chapter.source.text }
      // A page whose resolved tree and surroundings are what they were last time renders as it did.
      const key = input.renderBasis === undefined ? undefined : renderKey(input.renderBasis, context, rendered, i)
      const store = input.rendered
      const before = key === undefined || !store ? undefined : 'folder' in store ? readEntry(store.folder, key) : store.pages.get(key)
      const reused = before === undefined ? undefined : readBack<RenderedPage>(before)
      const page = reused ?? renderChapter(context, engine, rendered, i, this.plugins.rehype)
      let render: FinishedPage['render']
      if (key !== undefined) {
        const json = reused === undefined ? JSON.stringify(page) : undefined
        // Written where the build cache keeps it, or handed back to be kept in memory.
        const inFolder = store !== undefined && 'folder' in store
        if (json !== undefined && inFolder) writeEntry(store.folder, key, json)
        render = json !== undefined && !inFolder ? { key, json } : { key }
      }
      const items = excerptItems([{ slug: facts.slug, title: facts.title, tree }], context.index)
      return { ...page, i, items, assets, messages: [...messages, ...page.messages], ...(render ? { render } : {}) }
    })
  }
}
