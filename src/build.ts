// The pipeline, in order: load, parse, collect, resolve, render, write.
// Everything between load and write works on values (pipeline.ts), so `check`
// is the same run without the last step, and the dev server can run it again
// and again. The build cache sits at the edges: its key is made from what was
// loaded, and what it keeps is written with the site.

import path from 'node:path'
import { buildKey, parseKey, withPlugins } from './cache/key.js'
import { rememberStamps } from './cache/stamps.js'
import { BuildCache, defaultCacheDir, fileStamps, generatorVersion } from './cache/store.js'
import { internalError } from './guard.js'
import { loadAssets, loadSources } from './load/files.js'
import { findOutsideLinks } from './load/links.js'
import { readStaticFiles } from './load/static.js'
import { loadDiagramFiles } from './load/vendor.js'
import { loadTemplateOverrides, loadTemplates, withOverrides } from './load/templates.js'
import { loadWorkflows } from './load/workflows.js'
import { applyStrict, createMessage, isFailing, sortMessages, type Message } from './messages.js'
import { packageRoot } from './root.js'
import { linkedSite, lockedMessage, OutputLockedError, tidyOutput, writeSite } from './write/output.js'
import { Parts } from './write/parts.js'
import { sourceDate, stampPdf } from './write/reproducible.js'
import { indexSearch } from './write/search.js'
import type { SiteBuild } from './pipeline.js'
import type { ResolvedPlugins } from './plugins/resolve.js'

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
  /** Also print the full report to `report.pdf` with Chromium, and offer it on the landing page. Default: report.yml's `pdf`, else false. */
  pdf?: boolean
  /** Also write the full report as a Word document, `report.docx`, and offer it on the landing page. Default: report.yml's `docx`, else false. */
  docx?: boolean
  /** Threads for the per-chapter work (1: this thread only). Default: chosen from the report's length and the machine's cores. */
  threads?: number
  /** The site's address, used when report.yml has no `site_url`, such as the `base_url` that actions/configure-pages gives. Default: none. */
  siteUrl?: string
  /** Folder of the build cache, or false for none. Default: node_modules/.cache/fieldnotes in the working folder (.cache/fieldnotes where there is no node_modules). */
  cache?: string | false
}

export interface BuildResult {
  messages: Message[]
  /** Output paths of the pages, whether or not they were written. */
  pages: string[]
  written: boolean
  /** True when the output folder already held this very site, from a build with the same inputs: nothing was redone. */
  unchanged?: boolean
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

  // Load: the only reads. Inputs changed since this moment may not be in the site, so their stamps are not kept (stamps.ts).
  const startedAt = Date.now()
  const sources = await loadSources({ contentDir })
  // The report's own templates (content/templates/) replace built-in ones of the same name.
  const overrides = await loadTemplateOverrides(contentDir)
  const templates = withOverrides(await loadTemplates(templatesDir), overrides)
  const roster = options.privateRoster === undefined ? undefined : await (await import('./privacy/roster.js')).loadRoster(options.privateRoster)
  const publicLinks = await findOutsideLinks(publicDir, path.relative(process.cwd(), publicDir) || '.')
  const workflows = await loadWorkflows(contentDir)
  // The report's plugins are found before the cache key is made: their versions and options are part of it.
  const plugins = await findPlugins(sources.report, contentDir)
  const run = { startedAt, plugins: plugins.specs.length > 0 || plugins.messages.length > 0 }

  // A build with the same inputs as the last one, whose site is still in place, has nothing to do.
  const cache = options.cache === false ? undefined : new BuildCache(options.cache ?? defaultCacheDir(), { contentDir, outDir })
  const generatorCode = cache ? await generatorVersion() : ''
  const generator = withPlugins(generatorCode, plugins.specs)
  const key = cache
    ? buildKey({
        generator,
        sources,
        templates,
        files: [...(await fileStamps(contentDir, (sources.assets ?? []).map((a) => a.path))), ...(await fileStamps(publicDir))],
        settings: { overrides: overrides.shown, pdf: options.pdf ?? null, docx: options.docx ?? null, roster: roster ?? null, publicLinks, templatesDir, publicDir, date: process.env['SOURCE_DATE_EPOCH'] ?? null, siteUrl: options.siteUrl ?? null, workflows: workflows.map((w) => [w.display, w.text]) },
      })
    : undefined
  const strict = options.strict ?? false
  const last = await cache?.last()
  if (last && last.key === key && (options.write === false || (last.site !== undefined && last.site === (await linkedSite(outDir))))) {
    const messages = sortMessages(applyStrict(last.messages, strict))
    const written = options.write !== false && !isFailing(messages, strict)
    // Even with nothing to write, what a killed build left beside the site goes.
    // Another build holding the output folder tidies it itself.
    if (written) await tidyOutput(outDir, options.lockWait).catch((error: unknown) => {
      if (!(error instanceof OutputLockedError)) throw error
    })
    if (options.write === false || written) {
      await rememberStamps(options, run, { messages: last.messages, pages: last.pages, site: written ? last.site : undefined })
      return { messages, pages: last.pages, written, unchanged: written }
    }
  }

  // Parse, collect, resolve and render: pure. Loaded only now, since a build with nothing to do stops above.
  const { buildSiteInParallel } = await import('./pipeline.js')
  // Chapters whose text has not changed since they were last parsed are read back instead of parsed again.
  // A parse depends on the remark plugins only, so a change to a rehype plugin does not parse again.
  const parser = withPlugins(generatorCode, plugins.specs.filter((p) => p.phase === 'remark'))
  const parseKeys = new Map(cache ? sources.markdown.map((file) => [file.path, parseKey(parser, file)]) : [])
  // Plugins are imported only for a build that runs them; each worker thread imports them too.
  const loaded = plugins.specs.length > 0 ? await (await import('./plugins/load.js')).loadPlugins(plugins.specs) : undefined
  const site = await buildSiteInParallel(sources, templates, {
    ...(options.pdf === undefined ? {} : { pdf: options.pdf }),
    ...(options.docx === undefined ? {} : { docx: options.docx }),
    plugins: loaded && { specs: loaded.loaded, loaded: loaded.plugins },
    roster: roster?.roster,
    threads: options.threads,
    siteUrl: options.siteUrl,
    workflows,
    templateOverrides: overrides.shown,
    pagesAsBytes: true,
    // Nothing below reads a chapter's text again: it is let go of once the threads have collected the chapters.
    releaseTexts: true,
    // Chapters unchanged since the last build, and whose pages read nothing that changed, are taken as they were;
    // others are read back from their parse where their text is unchanged. Each thread reads and writes these
    // entries in the cache folder itself.
    ...(cache
      ? { generator, parsed: { folder: cache.folder('parses'), keys: parseKeys }, keepParses: true, records: { folder: cache.folder('pages') } }
      : {}),
  })
  // Entries this build did not use are forgotten.
  const forgetUnused = () => {
    cache?.forgetEntries('parses', new Set(parseKeys.values()))
    cache?.forgetEntries('pages', site.records)
  }
  const found = [...(roster?.messages ?? []), ...publicLinks.messages, ...plugins.messages, ...(loaded?.messages ?? []), ...site.messages]
  const messages = sortMessages(applyStrict(found, strict))
  const pages = [...site.files.keys()].filter((file) => file.endsWith('.html')).sort()
  // The next run of the command can tell from the inputs' stamps alone that nothing changed.
  const remember = async (written: string | undefined) => {
    if (!cache || !key) return
    await cache.remember({ key, messages: found, pages, site: written })
    await rememberStamps(options, run, { messages: found, pages, site: written })
  }

  // Write: only a site with nothing wrong in it is published.
  if (options.write === false || isFailing(messages, strict)) {
    forgetUnused()
    if (options.write === false && last?.key !== key) await remember(undefined)
    return { messages, pages, written: false }
  }

  // Search index and PDF are made from the finished pages, and published with them or not at all.
  // Pagefind indexes in a process of its own while the pages are written, and each shard it makes is written
  // while it makes the others; the site is published once all are done.
  // Shards of the index that the published site has already are read back from it, not made again.
  const published = await linkedSite(outDir)
  const previous = published === undefined ? {} : { previous: path.join(path.dirname(outDir), published) }
  // Pagefind can make shards faster than their files are made on disk (0.1 to 1 ms a file here, with the file
  // system's state): at most two wait to be written, rather than piling up in memory.
  const indexed = new Parts<ReadonlyMap<string, Uint8Array>>(2)
  // A shard made again holds mostly the same files as the one it replaces, under another folder: linked from there.
  let alike: ((relative: string) => string | undefined) | undefined
  const searching = indexSearch({
    files: new Map(site.files.raw()),
    items: site.items,
    language: site.model.lang,
    authored: site.authored,
    chapters: site.index.pages,
    ...previous,
    onIndexed: (shard) => indexed.push(shard),
    onPlanned: (given) => {
      alike = given
    },
  })
  const endParts = () => indexed.end()
  searching.then(endParts, endParts)
  // Meanwhile the cache forgets what this build did not use (the threads kept what they made).
  forgetUnused()
  // Chromium's driver takes most of a second to load, so only a build that prints loads it.
  const pdf = site.pdf ? await printPdf(site, publicDir) : undefined
  // The content files the pages use are read now that we know which they are.
  const files = new Map<string, string | Uint8Array>([...(await loadAssets(contentDir, site.assets)), ...site.binaries, ...site.files.raw()])
  // Chromium dates the PDF when it prints it; the report's own date replaces that, so builds repeat exactly.
  if (pdf?.pdf) files.set(pdf.fileName, stampPdf(pdf.pdf, sourceDate(site.model.date, process.env['SOURCE_DATE_EPOCH'])))
  // The Word document is made from the full report too, with its images, once their bytes are read.
  const docx = site.docx ? await writeDocx(site, files) : undefined
  if (docx?.docx) files.set(docx.fileName, docx.docx)
  // The privacy guard has read the pages; now what they do not show: the PDF, images, static files and the search index.
  const { scanOutput } = await import('./privacy/output.js')
  const scan = (unseen: ReadonlyMap<string, string | Uint8Array>) => scanOutput({ files: unseen, participants: site.index.participants.values(), roster: roster?.roster })
  const unseen = new Map([...files].filter(([name]) => !site.files.has(name)))
  for (const [name, content] of await readStaticFiles([publicDir])) if (!files.has(name)) unseen.set(name, content)
  const problems = [...(pdf?.messages ?? []), ...(docx?.messages ?? []), ...scan(unseen)]
  // Mermaid is the generator's own code, not content: published beside the pages that draw diagrams, and not scanned.
  if (site.diagrams) for (const [name, bytes] of await loadDiagramFiles()) files.set(name, bytes)
  // The index's files as they come: each shard Pagefind makes, then the rest (the list of shards, the shards
  // read back); scanned part by part, and ending with whether the site may be published.
  async function* searchFiles(): AsyncGenerator<ReadonlyMap<string, string | Uint8Array>, boolean> {
    const given = new Set<string>()
    for await (const shard of indexed) {
      problems.push(...scan(shard))
      for (const name of shard.keys()) given.add(name)
      yield shard
    }
    const search = await searching
    const rest = new Map([...search.files].filter(([name]) => !given.has(name)))
    problems.push(...search.messages, ...scan(rest))
    if (problems.length > 0) return false
    yield rest
    return true
  }
  const failed = () => ({ messages: sortMessages([...messages, ...problems]), pages, written: false })
  if (problems.length > 0) {
    // Pagefind is let finish, so that its process is closed before the build returns; nothing will take its shards.
    indexed.end()
    await searching
    return failed()
  }
  try {
    const written = await writeSite({ outDir, files, later: searchFiles(), alike: (relative) => alike?.(relative), assetDirs: [publicDir], ...(options.lockWait === undefined ? {} : { lockWait: options.lockWait }) }).finally(() => indexed.end())
    if (written === undefined) return failed()
    await remember(written.name)
  } catch (error) {
    if (!(error instanceof OutputLockedError)) throw error
    return { messages: sortMessages([...messages, lockedMessage(error, path.relative(process.cwd(), outDir) || outDir)]), pages, written: false }
  }
  return { messages, pages, written: true }
}

/** The plugins report.yml names, found from the project; the finder is loaded only for a report.yml that has a `plugins:` block. */
export async function findPlugins(report: { display: string; text: string } | undefined, contentDir: string): Promise<ResolvedPlugins> {
  if (!report || !/\bplugins\b/.test(report.text)) return { specs: [], messages: [] }
  return (await import('./plugins/resolve.js')).findPlugins(report, contentDir)
}

async function printPdf(site: SiteBuild, publicDir: string) {
  const [{ renderPdf }, { pdfFileName }] = await Promise.all([import('./write/pdf.js'), import('./render/metadata.js')])
  return { ...(await renderPdf({ files: site.files, assetDirs: [publicDir], title: site.model.title, authors: site.model.authors.map((a) => a.name), description: site.model.description, language: site.model.lang })), fileName: pdfFileName }
}

async function writeDocx(site: SiteBuild, files: ReadonlyMap<string, string | Uint8Array>) {
  const [{ renderDocx }, { docxFileName }] = await Promise.all([import('./write/docx.js'), import('./render/metadata.js')])
  const model = site.model
  const docx = await renderDocx({
    files,
    title: model.title,
    subtitle: model.subtitle,
    authors: model.authors.map((a) => a.name),
    description: model.description,
    keywords: model.keywords,
    language: model.lang,
    date: sourceDate(model.date, process.env['SOURCE_DATE_EPOCH']),
    siteUrl: model.siteUrl,
  })
  return { ...docx, fileName: docxFileName }
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
