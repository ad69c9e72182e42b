// The pipeline, in order: load, parse, collect, resolve, render, write.
// Everything between load and write works on values, so `check` is the same
// run without the last step, and the dev server can run it again and again.

import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { readParticipants, type ParticipantRegistry } from './config/participants.js'
import { readReportConfig, type ReportConfig } from './config/report.js'
import { loadSources, type ProjectSources } from './load/files.js'
import { loadTemplates } from './load/templates.js'
import { planContents } from './load/toc.js'
import { parseChapter } from './markdown/parse.js'
import { createMessage, isFailing, sortMessages, type Message } from './messages.js'
import { buildSiteModel } from './render/model.js'
import { renderPages } from './render/pages.js'
import { createEngine, type TemplateFiles } from './render/templates.js'
import { collectPage } from './site/collect.js'
import { indexSite } from './site/index.js'
import { resolvePage } from './site/resolve.js'
import { writeSite } from './write/output.js'

const packageRoot = fileURLToPath(new URL('..', import.meta.url))

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
  /** Treat warnings as errors. Default: false. */
  strict?: boolean
}

export interface BuildResult {
  messages: Message[]
  /** Output paths of the pages, whether or not they were written. */
  pages: string[]
  written: boolean
}

export interface SiteBuild {
  files: Map<string, string>
  messages: Message[]
}

export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const contentDir = path.resolve(options.contentDir ?? 'content')
  const outDir = path.resolve(options.outDir ?? 'dist')
  const templatesDir = path.resolve(options.templatesDir ?? path.join(packageRoot, 'templates'))
  const publicDir = path.resolve(options.publicDir ?? path.join(packageRoot, 'public'))

  const unsafe = unsafeOutput(outDir, [contentDir, templatesDir, publicDir, process.cwd()])
  if (unsafe) return { messages: [unsafe], pages: [], written: false }

  // Load: the only reads.
  const sources = await loadSources({ contentDir })
  const templates = await loadTemplates(templatesDir)

  // Parse, collect, resolve and render: pure.
  const site = buildSite(sources, templates)
  const messages = sortMessages(site.messages)
  const pages = [...site.files.keys()].sort()

  // Write: only a site with nothing wrong in it is published.
  if (options.write === false || isFailing(messages, options.strict ?? false)) {
    return { messages, pages, written: false }
  }
  await writeSite({ outDir, files: site.files, assetDirs: [publicDir] })
  return { messages, pages, written: true }
}

export function buildSite(sources: ProjectSources, templates: TemplateFiles): SiteBuild {
  const messages: Message[] = [...sources.messages]

  // Configuration first: the toc decides which files are chapters.
  const report = readConfig(sources, messages)
  const registry = readRegistry(sources, messages)
  const plan = planContents(sources.markdown, report.toc, sources.report)
  messages.push(...plan.messages)

  // Parse each chapter on its own.
  const parsed = plan.chapters.map((chapter) => parseChapter(chapter.source))
  for (const p of parsed) messages.push(...p.messages)

  // Collect each page's targets, then merge them: numbering needs every page.
  const facts = plan.chapters.map((chapter, i) => collectPage(chapter, parsed[i]!))
  const { index, messages: indexMessages } = indexSite(facts, registry)
  messages.push(...indexMessages)

  // Resolve each page against the whole index.
  facts.forEach((page, i) => messages.push(...resolvePage(parsed[i]!.tree, page, index)))

  // Render.
  const firstTitle = facts[0]?.title ?? 'Report'
  const siteModel = buildSiteModel(report, index, plan.tree, firstTitle)
  const basePath = report.site_url ? new URL(report.site_url).pathname.replace(/\/?$/, '/') : '/'
  const rendered = renderPages({
    site: siteModel,
    index,
    chapters: facts.map((f, i) => ({ facts: f, tree: parsed[i]!.tree })),
    engine: createEngine(templates),
    basePath,
  })
  messages.push(...rendered.messages)
  return { files: rendered.files, messages }
}

function readConfig(sources: ProjectSources, messages: Message[]): ReportConfig {
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
function unsafeOutput(outDir: string, protectedDirs: string[]): Message | undefined {
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
