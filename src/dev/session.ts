// A build session for the dev server: the same pipeline as `build()`, run
// again after every edit. Parse results are kept per file by the hash of its
// text, and each chapter's facts and finished page are kept in memory with
// what the page read of the shared index (see parallel/work.ts): an edit
// parses only the file that changed, and resolves and renders only the pages
// whose own text, or something they show of other pages, changed. The index
// itself is merged again on every edit. The last site without errors is
// kept to be served while the content is broken: its pages are held in memory,
// and each content file it uses is stamped, so the server can tell at request
// time whether the file on disk is still the one this build saw.

import { createHash } from 'node:crypto'
import path from 'node:path'
import { findPlugins, packageRoot } from '../build.js'
import { buildSite, type SessionMemo, type SiteBuild } from '../pipeline.js'
import { loadSources, type KnownFiles, type SourceFile } from '../load/files.js'
import { readHistory, type ContentHistory } from '../load/history.js'
import { loadTemplateOverrides, loadTemplates, withOverrides, type TemplateOverrides } from '../load/templates.js'
import { chapterParser, parseChapter, type ParsedChapter } from '../markdown/parse.js'
import { isFailing, sortMessages, type Message } from '../messages.js'
import { withPlugins } from '../cache/key.js'
import { generatorVersion } from '../cache/store.js'
import type { LoadedPlugins } from '../plugins/load.js'
import type { PluginSpec } from '../plugins/resolve.js'
import { stampFile, type FileStamp } from './files.js'
import type { SearchSource } from './search.js'
import { scanOutput } from '../privacy/output.js'
import { loadRoster, type Roster } from '../privacy/roster.js'
import type { TemplateFiles } from '../render/templates.js'

export interface SessionOptions {
  /** Folder holding report.yml, participants.yml and the chapters. Default: `content`. */
  contentDir?: string
  /** Page templates. Default: the generator's own `templates/`. */
  templatesDir?: string
  /** Static files served as they are. Default: the generator's own `public/`. */
  publicDir?: string
  /** A private roster of real names to keep out of the content. Default: none. */
  privateRoster?: string
}

export interface SessionUpdate {
  /** False when the build has errors; the previous site is still the one served. */
  ok: boolean
  messages: Message[]
  /** Output paths whose content differs from the site served before (added, changed or removed). */
  changed: string[]
  /** How many chapters were parsed afresh; the others came from the cache. */
  parsed: number
  /** Whether what pages show of one another was as in the last build, so that pages were taken whole without checking what they read. Default: false. */
  sameShared?: boolean
}

/** The site being served: pages in memory, and where the content files it uses live on disk. */
export interface ServedSite {
  files: ReadonlyMap<string, string>
  /** Output path → the content file and how it was when this site was built. Files that were not regular files by then are left out. */
  assets: ReadonlyMap<string, { file: string; stamp: FileStamp }>
  /** Files the build made, such as a notebook's output images, in memory. Default: none. */
  binaries?: ReadonlyMap<string, Uint8Array>
  /** What the search index is made from, as the build makes it. Default: no search index. */
  search?: SearchSource
  /** The page made after the others are served (the full report), until it is made and added to `files`. Default: none. */
  later?: { file: string; make(): { html: string; messages: Message[] } }
}

export class BuildSession {
  readonly contentDir: string
  readonly templatesDir: string
  readonly publicDir: string
  /** The last site built without errors, or undefined before the first one. */
  site: ServedSite | undefined
  /** Messages of the latest build, whether or not it succeeded. */
  messages: Message[] = []

  private readonly rosterPath: string | undefined
  private roster: { roster: Roster | undefined; messages: Message[] } | undefined
  private templates: TemplateFiles | undefined
  private history: ContentHistory | undefined
  private readonly parses = new Map<string, { hash: string; parsed: ParsedChapter }>()
  /** The content's text files as last read: one whose stamp is unchanged is not read again. */
  private readonly files: KnownFiles = { files: new Map() }
  private parsedThisBuild = 0
  private generator: string | undefined
  /** Each chapter's facts and finished page, by a hash of its own inputs (see SiteOptions.records). */
  private records = new Map<string, unknown>()
  /** The report's plugins as last found and imported, under their key for the caches. A plugin's code is imported once per session. */
  private plugins: { key: string; specs: PluginSpec[]; loaded: LoadedPlugins; messages: Message[]; parse: (file: SourceFile) => ParsedChapter } | undefined
  /** What the last build made of the data pages share, for the next to tell whether it changed. */
  private readonly memo: SessionMemo = {}
  /** The templates with the report's overrides as the last build had them. */
  private withOverrides: { builtIn: TemplateFiles; key: string; merged: TemplateFiles } | undefined
  /** The page made later as it was last served, to tell whether it changed. */
  private laterServed: string | undefined

  constructor(options: SessionOptions = {}) {
    this.contentDir = path.resolve(options.contentDir ?? 'content')
    this.templatesDir = path.resolve(options.templatesDir ?? path.join(packageRoot, 'templates'))
    this.publicDir = path.resolve(options.publicDir ?? path.join(packageRoot, 'public'))
    this.rosterPath = options.privateRoster
  }

  /**
   * Build again. `templatesChanged` reloads the templates; content files are read again where their stamp changed, and
   * parsed only where their text did. `changed`: every path that changed since the last build began, when a watcher
   * that drops nothing tells them; then the content folder is listed again, and its files stat-ed, only when one of
   * them is not a file that build read (load/files.ts).
   */
  async rebuild(options: { templatesChanged?: boolean; changed?: readonly string[] } = {}): Promise<SessionUpdate> {
    if (!this.templates || options.templatesChanged) this.templates = await loadTemplates(this.templatesDir)
    if (this.rosterPath !== undefined && !this.roster) this.roster = await loadRoster(this.rosterPath)
    // Git is asked once per session; files changed since are dated by their modification time.
    this.history ??= await readHistory(this.contentDir)
    const inContent = options.changed?.flatMap((file) => {
      const relative = path.relative(this.contentDir, path.resolve(file))
      return relative.startsWith('..') || path.isAbsolute(relative) ? [] : [relative.split(path.sep).join('/')]
    })
    const sources = await loadSources({ contentDir: this.contentDir, history: this.history, known: this.files, ...(inContent && { changed: new Set(inContent) }) })
    // The report's overrides are in the content folder, read afresh like the rest of it.
    const overrides = await loadTemplateOverrides(this.contentDir)

    const plugins = await this.findPlugins(sources.report)

    this.parsedThisBuild = 0
    let built: SiteBuild
    // Pages whose inputs did not change are taken from the last build rather than rendered again.
    this.generator ??= await generatorVersion()
    try {
      built = buildSite(sources, this.merged(overrides), {
        templateOverrides: overrides.shown,
        parse: (file) => this.parse(file),
        // The preview never prints the PDF, so it does not offer one, whatever report.yml asks.
        pdf: false,
        docx: false,
        roster: this.roster?.roster,
        generator: withPlugins(this.generator, plugins.specs),
        plugins: { specs: plugins.specs, loaded: plugins.loaded },
        records: { memory: this.records },
        session: this.memo,
        // It shows every chapter, so it changes with every edit; made once the pages that changed are served.
        laterFullReport: true,
      })
    } finally {
      this.forgetRemoved(sources.markdown)
    }
    for (const key of this.records.keys()) if (!built.records.has(key)) this.records.delete(key)
    const messages = sortMessages([...(this.roster?.messages ?? []), ...plugins.messages, ...built.messages])
    this.messages = messages
    if (isFailing(messages, false)) return { ok: false, messages, changed: [], parsed: this.parsedThisBuild }

    const stamped = await Promise.all(
      [...built.assets].map(async ([output, relative]) => {
        const file = path.join(this.contentDir, relative)
        const stamp = await stampFile(file)
        return stamp ? ([[output, { file, stamp }]] as const) : []
      }),
    )
    const assets = new Map(stamped.flat())
    const changed = difference(this.site?.files, built.files, built.later?.file)
    const roster = this.roster?.roster
    const search: SearchSource = {
      files: built.files,
      items: built.items,
      authored: built.authored,
      chapters: built.index.pages,
      language: built.model.lang,
      scan: (files) => scanOutput({ files, participants: built.index.participants.values(), roster }),
    }
    this.site = { files: built.files, assets, binaries: built.binaries, search, ...(built.later && { later: built.later }) }
    return { ok: true, messages, changed, parsed: this.parsedThisBuild, sameShared: built.sameShared }
  }

  /**
   * Make the page the last build left for later (the full report), with its checks, and serve it; undefined when
   * there is none left. When it has errors, the one served before stays served, and the update is not ok.
   */
  finishLater(): SessionUpdate | undefined {
    const site = this.site
    const later = site?.later
    if (!site || !later) return undefined
    delete site.later
    const made = later.make()
    const files = site.files as Map<string, string>
    if (isFailing(made.messages, false)) {
      if (this.laterServed !== undefined) files.set(later.file, this.laterServed)
      this.messages = sortMessages([...this.messages, ...made.messages])
      return { ok: false, messages: this.messages, changed: [], parsed: 0 }
    }
    if (made.html !== '') files.set(later.file, made.html)
    const changed = made.html === this.laterServed ? [] : [later.file]
    this.laterServed = made.html
    this.messages = sortMessages([...this.messages, ...made.messages])
    return { ok: true, messages: made.messages, changed, parsed: 0 }
  }

  /**
   * The templates with the report's overrides: the same object as in the last build while neither changed, so that
   * the templates are parsed once (render/templates.ts keeps an engine for each).
   */
  private merged(overrides: TemplateOverrides): TemplateFiles {
    const key = JSON.stringify([[...overrides.templates], overrides.shown])
    const builtIn = this.templates!
    let kept = this.withOverrides
    if (kept?.builtIn !== builtIn || kept.key !== key) {
      kept = { builtIn, key, merged: withOverrides(builtIn, overrides) }
      this.withOverrides = kept
    }
    return kept.merged
  }

  /** The report's plugins: found on every build, since report.yml may have changed; imported again only when they did. */
  private async findPlugins(report: SourceFile | undefined): Promise<NonNullable<BuildSession['plugins']>> {
    const found = await findPlugins(report, this.contentDir)
    const key = withPlugins('', found.specs)
    if (this.plugins?.key !== key) {
      const { loadPlugins } = await import('../plugins/load.js')
      const loaded = await loadPlugins(found.specs)
      // Parses made with other remark plugins are not this session's any more.
      this.parses.clear()
      this.plugins = { key, specs: loaded.loaded, loaded: loaded.plugins, messages: loaded.messages, parse: chapterParser(loaded.plugins.remark) }
    }
    return { ...this.plugins, messages: [...found.messages, ...this.plugins.messages] }
  }

  /** parseChapter, remembered by file and content. Each caller gets its own copy, since resolving writes into the tree. */
  private parse(file: SourceFile): ParsedChapter {
    const hash = createHash('sha256').update(file.display).update('\0').update(file.text).digest('hex')
    let entry = this.parses.get(file.path)
    if (entry?.hash !== hash) {
      entry = { hash, parsed: (this.plugins?.parse ?? parseChapter)(file) }
      this.parses.set(file.path, entry)
      this.parsedThisBuild++
    }
    return structuredClone(entry.parsed)
  }

  private forgetRemoved(files: readonly SourceFile[]): void {
    const present = new Set(files.map((f) => f.path))
    for (const key of this.parses.keys()) if (!present.has(key)) this.parses.delete(key)
  }
}

/** Output paths added, changed or removed, but for `later`, which is compared once it is made. */
function difference(before: ReadonlyMap<string, string> | undefined, after: ReadonlyMap<string, string>, later?: string): string[] {
  const changed = new Set<string>()
  for (const [file, text] of after) if (before?.get(file) !== text) changed.add(file)
  for (const file of before?.keys() ?? []) if (!after.has(file)) changed.add(file)
  if (later !== undefined) changed.delete(later)
  return [...changed].sort()
}
