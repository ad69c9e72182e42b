// The pipeline, in order: load, parse, collect, resolve, render, write.
// Everything between load and write works on values, so `check` is the same
// run without the last step, and the dev server can run it again and again.

import path from 'node:path'
import { readParticipants, type ParticipantRegistry } from './config/participants.js'
import { formatCitations } from './cite/format.js'
import { readBibliography } from './cite/bibtex.js'
import { readMystConfig } from './config/myst.js'
import { readReportConfig, type ReportConfig } from './config/report.js'
import { internalError } from './guard.js'
import { packageRoot } from './root.js'
import { loadAssets, loadSources, type ProjectSources, type SourceFile } from './load/files.js'
import { findOutsideLinks } from './load/links.js'
import { readStaticFiles } from './load/static.js'
import { loadTemplates } from './load/templates.js'
import { planContents } from './load/toc.js'
import { applyStrict, createMessage, isFailing, sortMessages, type Message } from './messages.js'
import { scanOutput } from './privacy/output.js'
import { loadRoster, type Roster } from './privacy/roster.js'
import { scanContent } from './privacy/scan.js'
import { editBase } from './render/history.js'
import { machineFiles, pdfFileName } from './render/metadata.js'
import type { ParsedChapter } from './markdown/parse.js'
import { buildSiteModel, type SiteModel } from './render/model.js'
import { renderSitePages, type PageContext } from './render/pages.js'
import type { ItemExcerpt } from './render/previews.js'
import { createEngine, type TemplateFiles } from './render/templates.js'
import { startPool, threadsFor } from './parallel/pool.js'
import { PageWork, type CollectedPage, type CollectInput, type FinishedPage, type FinishInput } from './parallel/work.js'
import { indexTargets } from './site/targets.js'
import { configuredFiles } from './site/configured.js'
import { checkEvidence } from './site/evidence.js'
import { indexSite, type SiteIndex } from './site/index.js'
import { checkIds, checkPagePaths } from './site/names.js'
import { lockedMessage, OutputLockedError, writeSite } from './write/output.js'
import { sourceDate, stampPdf } from './write/reproducible.js'
import { indexSearch } from './write/search.js'

export { packageRoot }

export interface BuildOptions {
  /** Folder holding report.yml, participants.yml and the chapters. Default: `content`. */
  contentDir?: string
  /** Folder the site is written to, replaced as a whole. Default: `dist`. */
  outDir?: string
  /** Page templates. Default: the generator's own `templates/`. */
  templatesDir?: string
  /** Static files copied as they are. Default: the generator's own `public/`. */
  publicDir?: string
  /** Write the site (`build`) or only report problems (`check`). Default: true. */
  write?: boolean
  /** Treat warnings as errors, and sanitized HTML too (`html-sanitized`). Default: false. */
  strict?: boolean
  /** How long to wait for another build writing the same output folder, in milliseconds. Default: 30 000. */
  lockWait?: number
  /** A private roster of participants' real names to keep out of the content. Default: none. */
  privateRoster?: string
  /** Also print the full report to `report.pdf` with Chromium, and offer it on the landing page. Default: false. */
  pdf?: boolean
  /** Threads for the per-chapter work (1: this thread only). Default: chosen from the report's length and the machine's cores. */
  threads?: number
}

export interface BuildResult {
  messages: Message[]
  /** Output paths of the pages, whether or not they were written. */
  pages: string[]
  written: boolean
}

export interface SiteBuild {
  files: Map<string, string>
  /** Content files the pages use (images, downloads): output path → content path. */
  assets: Map<string, string>
  messages: Message[]
  /** Every page's facts, merged. */
  index: SiteIndex
  /** The report as templates saw it. */
  model: SiteModel
  /** Every finding and recommendation as text, for the search index. */
  items: ItemExcerpt[]
}

/** Run the pipeline. It never throws: a failure of fieldnotes itself is an `internal-error` message, and nothing is written. */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  try {
    return await runPipeline(options)
  } catch (error) {
    const contentDir = path.relative(process.cwd(), path.resolve(options.contentDir ?? 'content')) || '.'
    return { messages: [internalError(error, contentDir, 'building the site')], pages: [], written: false }
  }
}

async function runPipeline(options: BuildOptions): Promise<BuildResult> {
  const contentDir = path.resolve(options.contentDir ?? 'content')
  const outDir = path.resolve(options.outDir ?? 'dist')
  const templatesDir = path.resolve(options.templatesDir ?? path.join(packageRoot, 'templates'))
  const publicDir = path.resolve(options.publicDir ?? path.join(packageRoot, 'public'))

  const unsafe = unsafeOutput(outDir, [contentDir, templatesDir, publicDir, process.cwd()])
  if (unsafe) return { messages: [unsafe], pages: [], written: false }

  // Load: the only reads.
  const sources = await loadSources({ contentDir })
  const templates = await loadTemplates(templatesDir)
  const roster = options.privateRoster === undefined ? undefined : await loadRoster(options.privateRoster)
  const publicLinks = await findOutsideLinks(publicDir, path.relative(process.cwd(), publicDir) || '.')

  // Parse, collect, resolve and render: pure.
  const site = await buildSiteInParallel(sources, templates, { pdf: options.pdf ?? false, roster: roster?.roster, threads: options.threads })
  const strict = options.strict ?? false
  const messages = sortMessages(applyStrict([...(roster?.messages ?? []), ...publicLinks.messages, ...site.messages], strict))
  const pages = [...site.files.keys()].filter((file) => file.endsWith('.html')).sort()

  // Write: only a site with nothing wrong in it is published.
  if (options.write === false || isFailing(messages, options.strict ?? false)) {
    return { messages, pages, written: false }
  }

  // Search index and PDF are made from the finished pages, and published with them or not at all.
  const search = await indexSearch({ files: site.files, items: site.items, language: site.model.lang })
  // Chromium's driver takes most of a second to load, so only a build that prints loads it.
  const pdf = options.pdf
    ? await (await import('./write/pdf.js')).renderPdf({ files: site.files, assetDirs: [publicDir], title: site.model.title })
    : undefined
  const late = [...search.messages, ...(pdf?.messages ?? [])]
  if (late.length > 0) return { messages: sortMessages([...messages, ...late]), pages, written: false }
  // The content files the pages use are read now that we know which they are.
  const files = new Map<string, string | Uint8Array>([...(await loadAssets(contentDir, site.assets)), ...site.files, ...search.files])
  // Chromium dates the PDF when it prints it; the report's own date replaces that, so builds repeat exactly.
  if (pdf?.pdf) files.set(pdfFileName, stampPdf(pdf.pdf, sourceDate(site.model.date, process.env['SOURCE_DATE_EPOCH'])))
  // The privacy guard has read the pages; now what they do not show: the search index, the PDF, images and static files.
  const unseen = new Map([...files].filter(([name]) => !site.files.has(name)))
  for (const [name, content] of await readStaticFiles([publicDir])) if (!files.has(name)) unseen.set(name, content)
  const leaks = scanOutput({ files: unseen, participants: site.index.participants.values(), roster: roster?.roster })
  if (leaks.length > 0) return { messages: sortMessages([...messages, ...leaks]), pages, written: false }
  try {
    await writeSite({ outDir, files, assetDirs: [publicDir], ...(options.lockWait === undefined ? {} : { lockWait: options.lockWait }) })
  } catch (error) {
    if (!(error instanceof OutputLockedError)) throw error
    return { messages: sortMessages([...messages, lockedMessage(error, path.relative(process.cwd(), outDir) || outDir)]), pages, written: false }
  }
  return { messages, pages, written: true }
}

export interface SiteOptions {
  /** Whether the site offers a PDF of the full report. Default: false. */
  pdf?: boolean
  /** Parses one chapter; the dev server passes one that remembers earlier results. Default: parseChapter. */
  parse?: (file: SourceFile) => ParsedChapter
  /** Participants' real names and identifying strings to look for in the content. Default: none. */
  roster?: Roster | undefined
  /** Threads for the per-chapter work (1: this thread only). Default: chosen from the report's length and the machine's cores. */
  threads?: number | undefined
}

/** Parse, collect, resolve and render in this thread. */
export function buildSite(sources: ProjectSources, templates: TemplateFiles, options: SiteOptions = {}): SiteBuild {
  const work = new PageWork(options.parse ? { parse: options.parse } : {})
  const steps = siteSteps(sources, templates, options)
  let step = steps.next()
  while (!step.done) step = steps.next(step.value.round === 'collect' ? work.collect(step.value.input) : work.finish(step.value.input))
  return step.value
}

/** The same, with the per-chapter work shared among worker threads when the report is long enough to gain from them. */
export async function buildSiteInParallel(sources: ProjectSources, templates: TemplateFiles, options: SiteOptions = {}): Promise<SiteBuild> {
  const threads = threadsFor(sources.markdown, options.threads)
  if (threads < 2) return buildSite(sources, templates, options)
  const pool = await startPool(threads)
  try {
    const steps = siteSteps(sources, templates, options)
    let step = steps.next()
    while (!step.done) step = steps.next(step.value.round === 'collect' ? await pool.collect(step.value.input) : await pool.finish(step.value.input))
    return step.value
  } finally {
    await pool.close()
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
  // with myst.yml and no report.yml is a MyST project, read as MyST markdown.
  const myst = sources.report === undefined && sources.myst !== undefined
  const config = myst ? sources.myst : sources.report
  const report = readConfig(sources, messages)
  const registry = readRegistry(sources, messages)
  const plan = planContents(sources.markdown, report.toc, config, { dialect: myst ? 'myst' : 'report' })
  messages.push(...plan.messages, ...checkPagePaths(plan.chapters))

  // The privacy guard reads every file as written, whether or not it is published.
  if (options.roster) messages.push(...scanContent(sources, options.roster, registry))

  // Parse each chapter on its own and collect its facts.
  const collected = (yield {
    round: 'collect',
    input: {
      dialect: myst ? 'myst' : 'report',
      chapters: plan.chapters.map((chapter, i) => ({ chapter, i })),
      markdown: sources.markdown,
      outsideLinks: sources.outsideLinks ?? [],
    },
  }) as CollectedPage[]
  for (const page of collected) messages.push(...page.messages)

  // Merge the facts: numbering needs every page.
  const facts = collected.map((page) => page.facts)
  const { index, messages: indexMessages } = indexSite(facts, registry)
  messages.push(...indexMessages, ...checkIds(facts))
  messages.push(...checkEvidence(facts, registry, sources.participants))
  // Figures, equations and citations are numbered and formatted across the report too.
  const targets = indexTargets(collected.map((page) => ({ facts: page.facts, targets: page.targets })), index)
  const bibliography = readBibliography({
    files: sources.resources ?? [],
    names: report.bibliography,
    style: report.citation_style,
    language: report.language,
    config,
  })
  const citations = formatCitations(collected.map((page) => ({ file: page.facts.file, citations: page.citations })), bibliography)
  messages.push(...targets.messages, ...bibliography.messages, ...citations.messages)
  const contentFiles = (sources.assets ?? []).map((a) => a.path)
  const named = configuredFiles(report, config, new Set(contentFiles))
  messages.push(...named.messages)

  // Resolve each chapter against the whole index, and render it.
  const firstTitle = facts[0]?.title ?? 'Report'
  const site = buildSiteModel(report, index, plan.tree, firstTitle, { pdf: options.pdf ?? false, bibliography: citations.bibliography.length > 0 })
  const printed = report.full_report
    ? report.full_report.map((file) => facts.find((f) => f.path === file.replace(/^\.\//, ''))).filter((f) => f !== undefined)
    : facts
  const context: PageContext = {
    site,
    index,
    basePath: report.site_url ? new URL(report.site_url).pathname.replace(/\/?$/, '/') : '/',
    editBase: editBase(report, sources.repositoryPath),
    chapters: facts.map((f) => ({ slug: f.slug, shortTitle: f.shortTitle })),
    inReport: new Set(printed.map((f) => f.slug)),
  }
  const landingHasAbstract = collected.some((page) => page.facts.slug === '' && page.abstract !== undefined)
  const finished = (yield {
    round: 'finish',
    input: {
      context,
      templates,
      targets: targets.index,
      citations,
      contents: plan.tree,
      contentFiles,
      abstract: landingHasAbstract ? undefined : collected.find((page) => page.abstract !== undefined)?.abstract,
    },
  }) as FinishedPage[]

  // Then the pages made from the index, and the full report from the chapters' sections.
  const files = new Map<string, string>()
  const assets = new Map<string, string>()
  const sections = new Map<string, string>()
  for (const page of finished) {
    messages.push(...page.messages)
    for (const used of page.assets) assets.set(used, used)
    if (page.html !== '') files.set(page.file, page.html)
    if (page.section !== undefined) sections.set(facts[page.i]!.slug, page.section)
  }
  for (const used of named.used) assets.set(used, used)
  const generated = renderSitePages(context, createEngine(templates), {
    sections: printed.map((f) => ({ facts: f, section: sections.get(f.slug) ?? '' })),
    bibliography: citations.bibliography,
  })
  for (const page of generated) {
    messages.push(...page.messages)
    if (page.html !== '') files.set(page.file, page.html)
  }

  // Files for machines (previews, citation, sitemap) describe the pages, so they come last.
  const items = finished.flatMap((page) => page.items)
  for (const [file, text] of machineFiles(report, site, items, files.keys())) files.set(file, text)
  // Privacy, last: nothing rendered may name a participant who did not agree to it, or show one who
  // declined to be quoted. Run on an otherwise clean report, so a leak the checks above found is not reported twice.
  if (!messages.some((m) => m.severity === 'error')) {
    messages.push(...scanOutput({ files, participants: index.participants.values(), roster: options.roster }))
  }
  return { files, assets, messages, index, model: site, items }
}

function readConfig(sources: ProjectSources, messages: Message[]): ReportConfig {
  if (!sources.report && sources.myst) {
    const parsed = readMystConfig(sources.myst.display, sources.myst.text)
    messages.push(...parsed.messages)
    return parsed.value
  }
  if (!sources.report) return {}
  const parsed = readReportConfig(sources.report.display, sources.report.text)
  messages.push(...parsed.messages)
  return parsed.value ?? {}
}

function readRegistry(sources: ProjectSources, messages: Message[]): ParticipantRegistry | undefined {
  if (!sources.participants) return undefined
  const parsed = readParticipants(sources.participants.display, sources.participants.text)
  messages.push(...parsed.messages)
  return parsed.registry
}

/** The output folder is replaced whole, so it must never hold the inputs or the working directory. */
export function unsafeOutput(outDir: string, protectedDirs: string[]): Message | undefined {
  const inside = (child: string, parent: string) => child === parent || child.startsWith(parent + path.sep)
  const clash = protectedDirs.find((dir) => inside(dir, outDir))
  if (!clash && path.dirname(outDir) !== outDir) return undefined
  return createMessage(
    'output-safe',
    outDir,
    undefined,
    `Refusing to build into ${outDir}: it holds ${clash ?? 'the whole file system'}, and the output folder is replaced on every build`,
    'Choose an output folder of its own, such as --out dist.',
  )
}
