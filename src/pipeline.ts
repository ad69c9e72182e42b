// The pure part of the pipeline: from the loaded sources to the pages in
// memory, with every message. Cross-page work runs here, on plain data; the
// per-chapter work is handed out in two rounds (parallel/work.ts), so the same
// steps run in one thread or on worker threads.

import { createHash, hash } from 'node:crypto'
import { hasEntry, settleEntries } from './cache/store.js'
import { readBibliography } from './cite/bibtex.js'
import { formatCitations, type CitationIndex } from './cite/format.js'
import { splitCitations } from './cite/labels.js'
import { readJupyterBookConfig, readMystConfig, type MystProject } from './config/myst.js'
import { readParticipants, type ParticipantRegistry } from './config/participants.js'
import { checkPagesAddress } from './config/publishing.js'
import { readReportConfig, type ReportConfig } from './config/report.js'
import { byPath, type ProjectSources, type SourceFile } from './load/files.js'
import { planContents, type Chapter } from './load/toc.js'
import type { ParsedChapter } from './markdown/parse.js'
import { createMessage, inDialect, type Message } from './messages.js'
import { startPool, threadsFor } from './parallel/pool.js'
import { exposedGc } from './parallel/gc.js'
import { Spool } from './parallel/spool.js'
import type { LoadedPlugins } from './plugins/load.js'
import type { PluginSpec } from './plugins/resolve.js'
import { TextFiles, type PageText } from './parallel/text.js'
import { PageWork, readFrom, writeTo, type CollectedPage, type CollectInput, type Entries, type FinishedPage, type FinishInput, type ParseStore } from './parallel/work.js'
import { scanOutput } from './privacy/output.js'
import type { Roster } from './privacy/roster.js'
import { scanContent } from './privacy/scan.js'
import type { PageFeatures } from './render/features.js'
import { editBase } from './render/history.js'
import { machineFiles } from './render/metadata.js'
import { buildSiteModel, type SiteModel } from './render/model.js'
import { renderSitePages, type AuthoredPart, type PageContext, type PageMemo, type RenderedPage } from './render/pages.js'
import { cleanSvg } from './render/svg.js'
import { outputPath } from './render/urls.js'
import type { ItemExcerpt, PreviewsMemo } from './render/previews.js'
import { createEngine, type TemplateFiles } from './render/templates.js'
import { publishProblem, type PublishProblem } from './reserved.js'
import { configuredFiles } from './site/configured.js'
import { checkEvidence } from './site/evidence.js'
import type { PageFacts } from './site/collect.js'
import { indexSite, type SiteIndex } from './site/index.js'
import { findLabel, labelAliases } from './site/labels.js'
import { checkIds, checkPagePaths } from './site/names.js'
import { indexTargets } from './site/targets.js'
import { indexEmbeds } from './site/embeds.js'
import { themeFiles } from './theme/files.js'
import { checkOverriddenPages } from './theme/guard.js'

export interface SiteBuild {
  /** The site's text files by output path; pages made on worker threads are kept as bytes (parallel/text.ts). */
  files: TextFiles
  /** Content files the pages use (images, downloads): output path → content path. */
  assets: Map<string, string>
  messages: Message[]
  /** Every page's facts, merged. */
  index: SiteIndex
  /** The report as templates saw it. */
  model: SiteModel
  /** Whether the site offers a PDF of the full report, which the build then prints. */
  pdf: boolean
  /** Whether the site offers the full report as a Word document, which the build then makes. */
  docx: boolean
  /** Every finding and recommendation as text, for the search index. */
  items: ItemExcerpt[]
  /** The record keys (`records`) this build used: the entries to keep, for the cache to forget the others. */
  records: Set<string>
  /** Output paths of the generated pages that hold a chapter's text (`findings/index.html` for a `findings.md`). */
  authored: Set<string>
  /** Binary files the build makes (a notebook's output images), by output path. */
  binaries: Map<string, Uint8Array>
  /** Whether some page has a diagram, so that the site ships Mermaid (load/vendor.ts). */
  diagrams: boolean
  /**
   * With `laterFullReport`, the full report, left out of `files`: `make` renders it and runs on it the checks every page
   * has (its template, the overrides' safety, the privacy guard), with their messages. Default: none.
   */
  later?: { file: string; make(): { html: string; messages: Message[] } }
  /** With `session`, whether the data pages share was made from what the last build's was (SessionMemo). */
  sameShared: boolean
}

export interface SiteOptions {
  /** Whether the site offers a PDF of the full report. Default: report.yml's `pdf`, else false. */
  pdf?: boolean
  /** Whether the site offers the full report as a Word document. Default: report.yml's `docx`, else false. */
  docx?: boolean
  /** Parses one chapter; the dev server passes one that remembers earlier results. Default: parseChapter. */
  parse?: (file: SourceFile) => ParsedChapter
  /** Participants' real names and identifying strings to look for in the content. Default: none. */
  roster?: Roster | undefined
  /** Threads for the per-chapter work (1: this thread only). Default: chosen from the report's length and the machine's cores. */
  threads?: number | undefined
  /** The most each worker thread's heap may hold, in MB (tests). Default: from its share of the text (parallel/pool.ts). */
  workerHeapMb?: number | undefined
  /** Where the build cache keeps chapters' parses, and each chapter's parse key; unchanged chapters are read back from there. Default: none. */
  parsed?: ParseStore | undefined
  /** Keep the chapters parsed afresh in `parsed`, for the next build. Default: false. */
  keepParses?: boolean
  /**
   * With `generator` set, where each chapter's facts and finished page are kept under a hash of the chapter's own
   * inputs, with what the page read of the shared index; a chapter whose inputs and reads are unchanged is neither
   * parsed, resolved nor rendered again. A memory store works in one thread only. Default: none.
   */
  records?: Entries | undefined
  /** Hash of the generator's code (cache/store.ts), with its plugins; needed for `records`. Default: none. */
  generator?: string | undefined
  /** The site's address when report.yml has no `site_url` (`--site-url`). Default: none. */
  siteUrl?: string | undefined
  /** The project's GitHub Actions workflows (load/workflows.ts), to warn when one publishes to Pages with no site address. Default: none. */
  workflows?: readonly SourceFile[] | undefined
  /** The report's plugins: found (plain data, for worker threads to import) and loaded in this thread. Default: none. */
  plugins?: { specs: readonly PluginSpec[]; loaded: LoadedPlugins } | undefined
  /** Which templates are the report's overrides, as messages name them, by template name (load/templates.ts). Default: none. */
  templateOverrides?: Record<string, string> | undefined
  /**
   * Keep the chapter pages as UTF-8 bytes, half the memory of strings (parallel/text.ts), as a build that writes them
   * does; the preview keeps strings, which it compares and serves. Pages made on worker threads always come as bytes.
   * Default: false.
   */
  pagesAsBytes?: boolean
  /**
   * The caller reads no page's source text after the build (the command's build): once the pages are collected on
   * worker threads their text is emptied, and set aside on disk for the one-thread fallback, not held while the pages
   * are finished and written. Default: false.
   */
  releaseTexts?: boolean
  /** Leave the full report to be made after the other pages (SiteBuild.later), as the preview does: it shows every chapter, so it changes with any edit. Default: false. */
  laterFullReport?: boolean
  /** What the last build of a session left for the next, which this build updates (the dev server's, with `records` in memory). Default: none. */
  session?: SessionMemo | undefined
}

/** What pages share of one another, made from what each collected (see siteSteps), with the messages its making gave. */
interface SharedData {
  index: SiteIndex
  targets: ReturnType<typeof indexTargets>
  embeds: ReturnType<typeof indexEmbeds>
  citations: CitationIndex
  contentFiles: string[]
  refusedFiles: (readonly [string, PublishProblem])[]
  named: ReturnType<typeof configuredFiles>
  theme: ReturnType<typeof themeFiles>
  pdf: boolean
  docx: boolean
  site: SiteModel
  messages: Message[]
}

/**
 * What a session's last build made of the data pages share, for the next to tell that nothing of it changed: an
 * edit to a chapter's text alone changes no page's facts. Then the pages kept with what they read are taken
 * without checking their reads, and the pages made from the index are taken as they were.
 */
export interface SessionMemo extends PreviewsMemo {
  /** A hash of everything the shared data is made from (sharedInputs), that data with the messages its making gave, and the record keys of the pages made or checked against it. */
  shared?: { key: string; made: SharedData; pages: ReadonlySet<string> }
  /** The pages made from the index, by template and address, under a hash of all they are made from. */
  generated?: { key: string; made: ReadonlyMap<string, RenderedPage> }
  /** What every chapter page shares (the render basis), with the templates and shared data it was made from. */
  basis?: { templates: TemplateFiles; shared: SharedData; parts: string; value: string }
}

/** Parse, collect, resolve and render in this thread. */
export function buildSite(sources: ProjectSources, templates: TemplateFiles, options: SiteOptions = {}): SiteBuild {
  const work = new PageWork({ ...(options.parse ? { parse: options.parse } : {}), ...(options.plugins ? { plugins: options.plugins.loaded } : {}), pagesAsBytes: options.pagesAsBytes ?? false })
  const steps = siteSteps(sources, templates, options)
  let step = steps.next()
  while (!step.done) step = steps.next(step.value.round === 'collect' ? work.collect(step.value.input) : work.finish(step.value.input))
  // What this thread wrote to the build cache (generated pages) is sealed, and what it saw of it let go.
  settleEntries()
  return step.value
}

/** The same, with the per-chapter work shared among worker threads when the report is long enough to gain from them. */
export async function buildSiteInParallel(sources: ProjectSources, templates: TemplateFiles, options: SiteOptions = {}): Promise<SiteBuild> {
  // Threads pay for themselves by parsing; chapters the cache holds are read back faster in this one.
  const parsed = options.parsed
  const threads = threadsFor(sources.markdown.filter((file) => !inStore(parsed, file.path)), options.threads)
  if (threads < 2) return buildSite(sources, templates, options)
  const bytes = [...sources.markdown, ...(sources.notebooks ?? [])].reduce((sum, file) => sum + file.text.length, 0)
  const pool = await startPool(threads, options.plugins?.specs, bytes, options.workerHeapMb)
  // The chapters' text, once collected, is not read again in this thread: with `releaseTexts` it waits on disk for the
  // one-thread fallback rather than being held beside the threads' heaps and the finished pages.
  const texts = new Spool()
  try {
    const steps = siteSteps(sources, templates, options)
    let step = steps.next()
    while (!step.done) {
      if (step.value.round === 'collect') {
        const collected = await pool.collect(step.value.input)
        if (options.releaseTexts) {
          for (const file of [...sources.markdown, ...(sources.notebooks ?? []), ...(sources.included ?? [])]) texts.setAside(file, ['text'])
          exposedGc()?.()
        }
        step = steps.next(collected)
        continue
      }
      const finished = await pool.finish(step.value.input)
      // The finish round is the last: the threads' memory is given back before the pages made from the index
      // and the full report are rendered, rather than held beside them. Closing puts the pages' text, set aside
      // on disk meanwhile, back in them.
      await pool.close()
      step = steps.next(finished)
    }
    return step.value
  } catch (error) {
    // A worker's heap is held to what its share should need (parallel/pool.ts); one that needed more is
    // not a fault of the report: the work is done again in this thread, which has no such limit.
    if ((error as NodeJS.ErrnoException).code !== 'ERR_WORKER_OUT_OF_MEMORY') throw error
    await pool.close()
    texts.restore()
    return buildSite(sources, templates, options)
  } finally {
    texts.remove()
    await pool.close()
    settleEntries()
  }
}

/** A round of per-chapter work the pipeline hands out, and waits for. */
type Round = { round: 'collect'; input: CollectInput } | { round: 'finish'; input: FinishInput }

/**
 * The pipeline from sources to pages. Cross-page work runs here, on plain
 * data; the per-chapter work is handed out as two rounds (see parallel/work.ts),
 * so the same steps run in one thread or in many.
 */
function* siteSteps(sources: ProjectSources, templates: TemplateFiles, options: SiteOptions): Generator<Round, SiteBuild, CollectedPage[] | FinishedPage[]> {
  const messages: Message[] = [...sources.messages]

  // Configuration first: the toc decides which files are chapters. A folder
  // with myst.yml (or Jupyter Book's _config.yml and _toc.yml) and no
  // report.yml is a MyST project, read as MyST markdown.
  const jupyterBook = jupyterBookConfig(sources)
  const myst = sources.report === undefined && (sources.myst !== undefined || jupyterBook !== undefined)
  const dialect = myst ? 'myst' : 'report'
  const config = myst ? (sources.myst ?? jupyterBook) : sources.report
  const read = readConfig(sources, messages)
  const report = withSiteUrl(read.report, options.siteUrl, sources, messages)
  const registry = readRegistry(sources, messages)
  messages.push(
    ...checkPagesAddress({ workflows: options.workflows ?? [], siteUrl: report.site_url, configFile: myst ? undefined : (sources.report?.display ?? 'report.yml'), repository: report.repository }),
  )
  // A MyST project's pages are its markdown files and its notebooks.
  const pages = myst ? [...sources.markdown, ...(sources.notebooks ?? [])].sort((a, b) => byPath(a.path, b.path)) : sources.markdown
  const plan = planContents(pages, report.toc, read.tocFile ?? config, { dialect, exclude: read.myst?.exclude ?? [] })
  messages.push(...plan.messages, ...checkPagePaths(plan.chapters))

  // The privacy guard reads every file as written, whether or not it is published.
  if (options.roster) messages.push(...scanContent(sources, options.roster, registry))

  // Each chapter's own inputs, in one hash: the key its facts and page are kept under from one build to the next.
  // (What a MyST page includes from other files is recorded with it, and checked: see parallel/work.ts.)
  const records = options.records && options.generator !== undefined ? options.records : undefined
  const mystOptions = read.myst && { math: read.myst.math, abbreviations: read.myst.abbreviations }
  const own = createHash('sha256').update(`fieldnotes page 1\0${options.generator}\0${dialect}\0${JSON.stringify([sources.outsideLinks ?? [], mystOptions ?? null])}\0`).digest('hex')
  const recordKey = (chapter: (typeof plan.chapters)[number], i: number) =>
    records ? hash('sha256', `${own}\0${i}\0${JSON.stringify({ ...chapter, source: { ...chapter.source, text: textHash(chapter.source) } })}`, 'hex') : undefined
  const chapters = plan.chapters.map((chapter, i) => ({ chapter, i, key: recordKey(chapter, i) }))

  // Parse each chapter on its own and collect its facts.
  const collected = (yield {
    round: 'collect',
    input: {
      dialect,
      ...(mystOptions && { myst: mystOptions }),
      chapters,
      records,
      // A MyST page may include any of them, and the other text files named in its includes.
      markdown: [...sources.markdown, ...(sources.included ?? [])],
      outsideLinks: sources.outsideLinks ?? [],
      parsed: options.parsed,
      keepParses: options.keepParses ?? false,
    },
  }) as CollectedPage[]
  // What a page's content makes (a notebook's output images) is published beside it; SVG as text, so the
  // privacy guard reads it with the pages.
  const binaries = new Map<string, Uint8Array>()
  const made = new Map<string, string>()
  for (const page of collected) {
    messages.push(...page.messages)
    for (const output of page.outputs) {
      if (typeof output.data === 'string') made.set(output.path, output.data)
      else binaries.set(output.path, output.data)
    }
  }

  // Merge the facts: numbering needs every page.
  const facts = collected.map((page) => page.facts)
  // What pages share of one another, made from what they collected: in a session, the last build's when it was
  // made from the same (sharedInputs), with the messages it had.
  const shareAcrossPages = (): SharedData => {
    const messages: Message[] = []
    const { index, messages: indexMessages } = indexSite(facts, registry)
    messages.push(...indexMessages, ...checkIds(facts))
    messages.push(...checkEvidence(facts, registry, sources.participants))
    // Figures, equations and citations are numbered and formatted across the report too.
    const targets = indexTargets(collected.map((page) => ({ facts: page.facts, targets: page.targets })), index)
    const embeds = indexEmbeds(collected.map((page) => ({ facts: page.facts, embeds: page.embeds })))
    messages.push(...embeds.messages)
    const bibliography = readBibliography({
      files: sources.resources ?? [],
      names: report.bibliography,
      style: report.citation_style,
      language: report.language,
      config,
    })
    const cited = collected.map((page) => ({ file: page.facts.file, citations: page.citations }))
    // In MyST projects `@x` may name a label instead of a work: those items are taken out first, to become links.
    const aliases = myst ? labelAliases(index, targets.index) : undefined
    const split = aliases ? splitCitations(cited, bibliography.entries, (key) => findLabel(key, aliases), new Set(aliases.values())) : undefined
    const citations = { ...formatCitations(split?.pages ?? cited, bibliography), ...(split && { targets: split.targets }) }
    if (split) messages.push(...split.messages)
    messages.push(...targets.messages, ...bibliography.messages, ...citations.messages)
    const contentFiles = (sources.assets ?? []).map((a) => a.path)
    // Content files that may not be published: where the generator writes, what a browser would run, host settings.
    const allowedHostFiles = new Set((report.host_files ?? []).map((name) => name.replace(/^\.?\//, '')))
    const refusedFiles = contentFiles.flatMap((file) => {
      const problem = publishProblem(file, allowedHostFiles)
      return problem ? [[file, problem] as const] : []
    })
    const named = configuredFiles(report, config, new Set(contentFiles), new Map(refusedFiles))
    messages.push(...named.messages)
    // The theme's stylesheet and the report's own, published in the generator's folder and linked from every page.
    const theme = themeFiles(report, config, sources.resources ?? [], new Set(contentFiles), new Map(refusedFiles))
    messages.push(...theme.messages)

    const firstTitle = facts[0]?.title ?? 'Report'
    const pdf = options.pdf ?? report.pdf ?? false
    const docx = options.docx ?? report.docx ?? false
    // A MyST project that is not an interview report has no findings, recommendations or participants pages.
    const interview = dialect === 'report' || index.findings.size > 0 || index.recommendations.size > 0 || index.hasRegistry
    const site = buildSiteModel(report, index, plan.tree, firstTitle, { pdf, docx, bibliography: citations.bibliography.length > 0, stylesheets: [...(myst ? ['assets/myst.css'] : []), ...theme.stylesheets], interview })
    return { index, targets, embeds, citations, contentFiles, refusedFiles, named, theme, pdf, docx, site, messages }
  }
  const sharedKey = options.session && options.generator !== undefined ? sharedInputs(own, collected, sources, plan, options.siteUrl, [options.pdf, options.docx]) : undefined
  const sameShared = sharedKey !== undefined && options.session?.shared?.key === sharedKey
  const shared = sameShared ? options.session!.shared!.made : shareAcrossPages()
  messages.push(...structuredClone(shared.messages))
  const { index, targets, embeds, citations, contentFiles, refusedFiles, named, theme, pdf, docx, site } = shared

  // Resolve each chapter against the whole index, and render it.
  const printed = (
    report.full_report
      ? report.full_report.map((file) => facts.find((f) => f.path === file.replace(/^\.\//, ''))).filter((f) => f !== undefined)
      : facts
  ).filter((f) => f.slug !== 'full-report') // a chapter at /full-report/ is that page's preface, not one of its sections
  const context: PageContext = {
    site,
    index,
    basePath: report.site_url ? new URL(report.site_url).pathname.replace(/\/?$/, '/') : null,
    editBase: editBase(report, sources.repositoryPath),
    chapters: facts.map((f) => ({ slug: f.slug, shortTitle: f.shortTitle })),
    inReport: new Set(printed.map((f) => f.slug)),
    ...(options.templateOverrides ? { overrides: options.templateOverrides } : {}),
  }
  // The records of the last build's pages hold what they read of data that is the same.
  const trusted = sameShared ? options.session!.shared!.pages : undefined
  const landingHasAbstract = collected.some((page) => page.facts.slug === '' && page.abstract !== undefined)
  // What every chapter page shares; with it, a chapter whose own inputs are unchanged is not rendered again.
  // In a session, the last build's basis while the templates and the shared data are the very objects they were: the
  // rest of it (which pages are in the full report, the findings' and recommendations' ids) is made from the same
  // data as the shared data. At 10,000 chapters, writing it as JSON took about 25 ms of each save.
  const basisParts = JSON.stringify([options.generator ?? null, context.editBase ?? null, context.basePath, context.overrides ?? null])
  const lastBasis = options.session?.basis
  const renderBasis =
    options.generator === undefined
      ? undefined
      : lastBasis?.templates === templates && lastBasis.shared === shared && lastBasis.parts === basisParts
        ? lastBasis.value
        : createHash('sha256')
            .update(options.generator)
            .update(JSON.stringify([[...templates].sort(), site, context.editBase ?? null, context.basePath, context.overrides ?? null, [...context.inReport].sort(), [...index.findings.keys()].sort(), [...index.recommendations.keys()].sort()]))
            .digest('hex')
  if (options.session && renderBasis !== undefined) options.session.basis = { templates, shared, parts: basisParts, value: renderBasis }
  const finished = (yield {
    round: 'finish',
    input: {
      context,
      templates,
      targets: targets.index,
      embeds: embeds.blocks,
      citations,
      contents: plan.tree,
      contentFiles,
      refusedFiles,
      abstract: landingHasAbstract ? undefined : collected.find((page) => page.abstract !== undefined)?.abstract,
      references: read.myst?.references ?? {},
      renderBasis,
      ...(trusted && { trusted }),
    },
  }) as FinishedPage[]
  // Every page's record now holds what it read of this build's shared data.
  if (sharedKey !== undefined) options.session!.shared = { key: sharedKey, made: shared, pages: new Set(chapters.flatMap(({ key }) => (key === undefined ? [] : [key]))) }

  // Then the pages made from the index, and the full report from the chapters' sections.
  const files = new TextFiles()
  const assets = new Map<string, string>()
  const sections = new Map<string, PageText>()
  const features = new Map<string, PageFeatures>()
  // Chapters at generated pages' addresses, whose title and text those pages show first.
  const authored = new Map<string, AuthoredPart>()
  for (const page of finished) {
    messages.push(...page.messages)
    if (page.authored !== undefined) authored.set(facts[page.i]!.slug, page.authored)
    for (const used of page.assets) assets.set(used, used)
    if (page.html.length > 0) files.setText(page.file, page.html)
    if (page.section !== undefined) sections.set(facts[page.i]!.slug, page.section)
    if (page.features) features.set(facts[page.i]!.slug, page.features)
  }
  for (const used of [...named.used, ...theme.used]) assets.set(used, used)
  for (const [file, text] of theme.files) files.set(file, text)
  for (const [file, text] of made) files.set(file, text)
  // SVG images are documents that could run script: they are published sanitized, from their text, not copied.
  const resources = new Map((sources.resources ?? []).map((file) => [file.path, file]))
  for (const used of [...assets.keys()].filter((file) => /\.svg$/i.test(file))) {
    assets.delete(used)
    const source = resources.get(used)
    // One that could not be read as text has been reported by the loader.
    if (source === undefined) continue
    const clean = cleanSvg(source)
    messages.push(...clean.messages)
    if (clean.text !== undefined) files.set(used, clean.text)
  }
  // Generated pages too are kept, by a hash of what they show, and made again only when that changed.
  const recordKeys = new Set(chapters.flatMap(({ key }) => (key === undefined ? [] : [`c-${key}`, `p-${key}`])))
  const memo: PageMemo | undefined =
    records && renderBasis !== undefined
      ? {
          basis: renderBasis,
          get: (key) => {
            const page = readFrom<RenderedPage>(records, `g-${key}`)
            if (page) recordKeys.add(`g-${key}`)
            return page
          },
          set: (key, page) => {
            writeTo(records, `g-${key}`, page)
            recordKeys.add(`g-${key}`)
          },
        }
      : undefined
  // The pages made from the index show the shared data, the chapters at their addresses and the bibliography.
  const generatedKey = sharedKey === undefined ? undefined : hash('sha256', JSON.stringify([sharedKey, renderBasis, [...authored], citations.bibliography]), 'hex')
  const lastGenerated = options.session?.generated
  const last = generatedKey === undefined || !lastGenerated ? undefined : { made: lastGenerated.made, unchanged: lastGenerated.key === generatedKey }
  const generated = renderSitePages(context, createEngine(templates), {
    sections: printed.map((f) => ({ facts: f, section: sections.get(f.slug) ?? '', features: features.get(f.slug) })),
    bibliography: citations.bibliography,
    authored,
    memo,
    laterFullReport: options.laterFullReport ?? false,
    last,
  })
  if (generatedKey !== undefined) options.session!.generated = { key: generatedKey, made: generated.made }
  for (const page of generated.pages) {
    messages.push(...page.messages)
    if (page.html.length > 0) files.setText(page.file, page.html)
  }
  // The checks every page has, last: run on an otherwise clean report, so a leak the checks before found is not reported twice.
  const checked = (pages: ReadonlyMap<string, string>, found: Message[]): Message[] => {
    // Overrides come from content: their pages must keep the policy and scripts the built-in templates have.
    if (options.templateOverrides) found.push(...checkOverriddenPages(pages, options.templateOverrides, context.basePath))
    // Every message at its severity in this dialect: a MyST project builds whenever mystmd would (rules.ts).
    const inDialectNow = inDialect(found, dialect)
    // Privacy: nothing rendered may name a participant who did not agree to it, or show one who declined to be quoted.
    if (!inDialectNow.some((m) => m.severity === 'error')) {
      inDialectNow.push(...scanOutput({ files: pages, participants: index.participants.values(), roster: options.roster }))
    }
    return onceEach(inDialectNow)
  }
  const later = generated.later
  const laterFile = outputPath('full-report')

  // Files for machines (previews, citation, sitemap) describe the pages, so they come last.
  const items = finished.flatMap((page) => page.items)
  const authoredPages = new Set([...authored.keys()].map(outputPath))
  for (const [file, text] of machineFiles(report, site, items, later ? [...files.keys(), laterFile] : files.keys(), authoredPages, options.session)) files.set(file, text)
  const found = checked(files, messages)
  // The pages made here (the generated pages, the previews: tens of MB at 10,000 chapters, at two bytes a character
  // as strings) are kept as the chapters' pages are.
  if (options.pagesAsBytes) files.keepAsBytes()
  const diagrams = [...features.values()].some((f) => f.diagrams)
  const built = { files, assets, messages: found, index, model: site, pdf, docx, items, records: recordKeys, authored: authoredPages, binaries, diagrams, sameShared }
  if (!later) return built
  const make = () => {
    const page = later()
    return { html: page.html, messages: checked(new Map(page.html === '' ? [] : [[page.file, page.html]]), [...page.messages]) }
  }
  return { ...built, later: { file: laterFile, make } }
}

/**
 * A hash of everything the data pages share (parallel/work.ts) is made from besides the generator's code: what each
 * page collected (its facts, targets, citations, labelled blocks and abstract), the configuration, participants,
 * bibliography and styles, the content files, and the contents. A chapter's text is not in it: what other pages
 * show of a chapter is in what it collected.
 */
function sharedInputs(own: string, collected: readonly CollectedPage[], sources: ProjectSources, plan: { chapters: readonly Chapter[]; tree: unknown }, siteUrl: string | undefined, offers: unknown): string {
  const pages = collected.map((page) => collectedHash(page))
  const texts = [sources.report, sources.participants, sources.myst, ...(sources.yaml ?? []), ...(sources.resources ?? [])].map((file) => (file ? `${file.path}\0${textHash(file)}` : '-'))
  const chapters = plan.chapters.map(({ source, ...place }) => [source.path, place])
  const files = (sources.assets ?? []).map((file) => file.path)
  return hash('sha256', JSON.stringify([own, pages, texts, chapters, plan.tree, files, siteUrl ?? null, offers]), 'hex')
}

// A page collected in an earlier build and taken from its record is the same object: hashed once.
const collectedHashes = new WeakMap<PageFacts, string>()

function collectedHash(page: CollectedPage): string {
  let known = collectedHashes.get(page.facts)
  if (known === undefined) {
    known = hash('sha256', JSON.stringify([page.facts, page.targets, page.citations, page.embeds, page.abstract ?? null]), 'hex')
    collectedHashes.set(page.facts, known)
  }
  return known
}

// The dev server's loader hands over the same file object while the file is unchanged on disk, and a new one when it
// changed (load/files.ts): a file's text is hashed once. Only the hash is kept, not the text it was made from, so
// that a text let go of (buildSiteInParallel) is not held here.
const textHashes = new WeakMap<SourceFile, string>()

/** The hash of a file's text. */
function textHash(file: SourceFile): string {
  let known = textHashes.get(file)
  if (known === undefined) {
    known = hash('sha256', file.text, 'hex')
    textHashes.set(file, known)
  }
  return known
}

/** Whether the parse cache holds a chapter's parse. */
function inStore(store: ParseStore | undefined, file: string): boolean {
  const key = store?.keys.get(file)
  return key !== undefined && hasEntry(store!.folder, key)
}

function readConfig(sources: ProjectSources, messages: Message[]): { report: ReportConfig; myst?: MystProject; tocFile?: SourceFile } {
  if (!sources.report) {
    const files = new Map((sources.yaml ?? []).map((file) => [file.path, file]))
    const jupyterBook = jupyterBookConfig(sources)
    const parsed = sources.myst
      ? readMystConfig(sources.myst.display, sources.myst.text, { path: sources.myst.path, files })
      : jupyterBook
        ? readJupyterBookConfig(jupyterBook, files)
        : undefined
    if (!parsed) return { report: {} }
    messages.push(...parsed.messages)
    return { report: parsed.value, myst: parsed.project, ...(parsed.tocFile && { tocFile: parsed.tocFile }) }
  }
  const parsed = readReportConfig(sources.report.display, sources.report.text)
  messages.push(...parsed.messages)
  return { report: parsed.value ?? {} }
}

/** A Jupyter Book 1 project's `_config.yml`, when the folder has it and `_toc.yml` but no myst.yml or report.yml. */
function jupyterBookConfig(sources: ProjectSources): SourceFile | undefined {
  if (sources.report || sources.myst) return undefined
  const yaml = sources.yaml ?? []
  return yaml.some((file) => file.path === '_toc.yml') ? yaml.find((file) => file.path === '_config.yml') : undefined
}

/** report.yml's `site_url`, or else the address given to the build; a given one that is not a full http(s) URL is reported and not used. */
function withSiteUrl(report: ReportConfig, siteUrl: string | undefined, sources: ProjectSources, messages: Message[]): ReportConfig {
  if (report.site_url !== undefined || siteUrl === undefined || siteUrl === '') return report
  if (/^https?:\/\/[^/]/i.test(siteUrl) && URL.canParse(siteUrl)) return { ...report, site_url: siteUrl }
  const file = sources.report?.display ?? sources.myst?.display ?? jupyterBookConfig(sources)?.display ?? 'report.yml'
  messages.push(createMessage('value-type-valid', file, undefined, `The site address given to the build, \`${siteUrl}\`, is not a full http(s) URL, so it is not used`, 'Pass the address as it is shown in a browser, such as --site-url https://org.github.io/report/.'))
  return report
}

function readRegistry(sources: ProjectSources, messages: Message[]): ParticipantRegistry | undefined {
  const file = sources.participants
  if (!file) return undefined
  // Read once while the file is the same (the dev server's loader hands over the same file while it is unchanged).
  let known = registries.get(file)
  if (known?.text !== file.text) {
    known = { text: file.text, parsed: readParticipants(file.display, file.text) }
    registries.set(file, known)
  }
  messages.push(...structuredClone(known.parsed.messages))
  return known.parsed.registry
}

const registries = new WeakMap<SourceFile, { text: string; parsed: ReturnType<typeof readParticipants> }>()

/** A template that fails on every page is reported once, at its first failure. */
function onceEach(messages: Message[]): Message[] {
  const seen = new Set<string>()
  return messages.filter((m) => {
    if (m.ruleId !== 'template-valid') return true
    const key = `${m.file}:${m.line}:${m.column}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
