// The only stage that reads: find the content folder's files and read them as
// text. Everything after works on the values returned here.

import { readFileSync, statSync, type Dirent } from 'node:fs'
import { lstat, readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { createMessage, type Message } from '../messages.js'
import { decodeSource } from './decode.js'
import { isSkipped, settledMs, stampOf } from './folders.js'
import { modificationTimes, readHistory, type ContentHistory } from './history.js'
import { findOutsideLinks, type FolderLinks } from './links.js'
import { findRepositories, repositoryMessages } from './repositories.js'

export interface SourceFile {
  /** Path inside the content folder, with forward slashes (`themes/learners.md`). */
  path: string
  /** Path shown to authors in messages (`content/themes/learners.md`). */
  display: string
  text: string
  /** ISO 8601 date of the file's last change: its last commit, or its modification time outside git. */
  updated?: string
}

/** A content file that is not markdown or YAML (an image, a spreadsheet): published only when a chapter refers to it. */
export interface AssetFile {
  /** Path inside the content folder, with forward slashes (`themes/map.png`). */
  path: string
  display: string
}

export interface ProjectSources {
  report: SourceFile | undefined
  participants: SourceFile | undefined
  /** Every markdown file, sorted by path. */
  markdown: SourceFile[]
  /** Jupyter notebooks (`.ipynb`), read as text and sorted by path: pages of a MyST project, and files like any other elsewhere. Default: none. */
  notebooks?: SourceFile[]
  /** Every other content file, sorted by path. Default: none. */
  assets?: AssetFile[]
  /** myst.yml: with no report.yml, the folder is a MyST project. Default: none. */
  myst?: SourceFile | undefined
  /**
   * The other YAML files of a folder with no report.yml, sorted by path: those myst.yml extends, and Jupyter
   * Book's `_toc.yml` and `_config.yml` (with both and no myst.yml, the folder is a MyST project too). Default: none.
   */
  yaml?: SourceFile[]
  /** BibTeX (.bib), CSL style (.csl), SVG image (.svg) and stylesheet (.css) files, read as text, sorted by path. Default: none. */
  resources?: SourceFile[]
  /** Files other than markdown that a MyST page includes (`{literalinclude}`, `{include}`), read as text, sorted by path. Default: none. */
  included?: SourceFile[]
  /** The content folder's path from the root of its git repository, for "Edit this page" links. */
  repositoryPath?: string
  /** Paths of symbolic links that lead outside the content folder (never read). Default: none. */
  outsideLinks?: string[]
  messages: Message[]
}

export interface LoadOptions {
  /** Folder holding report.yml, participants.yml and the chapters. */
  contentDir: string
  /** How the content folder is named in messages. Default: its path relative to the working directory. */
  displayDir?: string
  /** Look up each file's last change in git (or its modification time), or reuse a lookup made before. Default: true. */
  history?: boolean | ContentHistory
  /** Files read by an earlier load, taken again while their stamp is unchanged; this load adds what it reads (the dev server's). Default: none. */
  known?: KnownFiles
  /**
   * Every path in the content folder, relative to it, that changed since the last load with the same `known` (the
   * preview's file watcher tells them). When each is a file that load listed, and is a file still, the folder is not
   * listed again and the files that load kept are taken without a stat: at 10,000 chapters listing the folder and
   * stat-ing every file took about 170 ms of each save. Default: none (the folder is listed and every file stat-ed).
   */
  changed?: ReadonlySet<string>
}

/**
 * Text files as an earlier load read them, by path, with the file's stamp then (inode, size, modification and change
 * times). Taken again only when the stamp is the same and was taken more than `settledMs` after the file last
 * changed: a file changed again within the file system's clock tick keeps its stamp, so a recent one is read again.
 */
export interface KnownFiles {
  files: Map<string, { stamp: string; modified: Date; loaded: { file: SourceFile; messages: Message[] } }>
  /** The content folder as the last load listed it, with what the listing found. */
  listing?: { files: string[]; links: FolderLinks; repositories: Message[] }
}

/** Bytes of a markdown, YAML, BibTeX or style file read at all: well past every limit on what is in it. */
export const maxFileBytes = 64 * 1024 * 1024

export async function loadSources(options: LoadOptions): Promise<ProjectSources> {
  const root = path.resolve(options.contentDir)
  const displayDir = options.displayDir ?? (path.relative(process.cwd(), root) || '.')
  const display = (relative: string) => toPosix(path.join(displayDir, relative))
  const messages: Message[] = []

  // Symbolic links that lead out of the content folder are reported and never read (found once the folder is listed).
  let outside = new Set<string>()
  // When each file read was last modified, for those git does not date.
  const modified = new Map<string, Date>()

  // Whether the files kept by the last load are taken as they were, unless named in `changed`.
  let unchangedSinceListed = false
  const load = async (relative: string): Promise<{ file?: SourceFile; messages: Message[] }> => {
    if (outside.has(relative)) return { messages: [] }
    const known = options.known?.files.get(relative)
    if (known && unchangedSinceListed && !options.changed!.has(relative)) {
      modified.set(relative, known.modified)
      return known.loaded
    }
    try {
      const stats = statSync(path.join(root, relative))
      modified.set(relative, stats.mtime)
      const stamp = stampOf(stats)
      if (known?.stamp === stamp) return known.loaded
      const loaded = readText(relative, stats.size)
      if (options.known && Date.now() - Math.max(stats.mtimeMs, stats.ctimeMs) > settledMs) options.known.files.set(relative, { stamp, modified: stats.mtime, loaded })
      else options.known?.files.delete(relative)
      return loaded
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { messages: [] }
      return { messages: [createMessage('content-readable', display(relative), undefined, `Cannot read this file: ${(error as Error).message}`)] }
    }
  }
  const readText = (relative: string, size: number): { file: SourceFile; messages: Message[] } => {
    // A file far past every limit is not read at all: memory stays bounded whatever a pull request adds.
    if (size > maxFileBytes) {
      const megabytes = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`
      const message = createMessage(
        'content-size-within-limit',
        display(relative),
        undefined,
        `This file has ${megabytes(size)}; fieldnotes reads text files of at most ${megabytes(maxFileBytes)}, so it is read as empty`,
        'Keep data, recordings and transcripts out of the content folder, or give them an extension fieldnotes does not read.',
      )
      return { file: { path: relative, display: display(relative), text: '' }, messages: [message] }
    }
    // Read synchronously: for many small files this is several times faster than going through the thread pool.
    const decoded = decodeSource(readFileSync(path.join(root, relative)), display(relative))
    return { file: { path: relative, display: display(relative), text: decoded.text }, messages: decoded.messages }
  }
  // Messages are kept in path order, so every load reports alike.
  const readAll = async (relatives: string[]): Promise<SourceFile[]> => {
    const files: SourceFile[] = []
    for (const loaded of await Promise.all(relatives.map(load))) {
      messages.push(...loaded.messages)
      if (loaded.file) files.push(loaded.file)
    }
    return files
  }
  const read = async (relative: string): Promise<SourceFile | undefined> => (await readAll([relative]))[0]

  let entries: string[]
  let links: FolderLinks = { outside: [], messages: [] }
  try {
    const last = options.known?.listing
    unchangedSinceListed = last !== undefined && options.changed !== undefined && (await stillListed(root, last.files, options.changed))
    if (last && unchangedSinceListed) {
      entries = last.files
      links = last.links
      messages.push(...links.messages, ...last.repositories)
    } else {
      const listed = await listFiles(root)
      links = await findOutsideLinks(root, displayDir, listed.entries)
      messages.push(...links.messages)
      entries = listed.files
      const listedNow = new Set(entries)
      for (const relative of options.known?.files.keys() ?? []) if (!listedNow.has(relative)) options.known!.files.delete(relative)
      const repositories = repositoryMessages(listed.repositories, displayDir)
      messages.push(...repositories)
      if (options.known) options.known.listing = { files: entries, links, repositories }
    }
    outside = new Set(links.outside)
  } catch (error) {
    messages.push(
      createMessage(
        'content-readable',
        displayDir,
        undefined,
        `Cannot read the content folder: ${(error as Error).message}`,
        'Pass the folder that holds your chapters with --content DIR.',
      ),
    )
    return { report: undefined, participants: undefined, markdown: [], messages }
  }

  const markdownPaths = sortedByPath(entries.filter((entry) => entry.endsWith('.md')))
  const markdown = await readAll(markdownPaths)
  const notebooks = await readAll(sortedByPath(entries.filter((entry) => /\.ipynb$/i.test(entry))))
  const assets = entries
    .filter((entry) => !/\.(md|ya?ml)$/i.test(entry))
    .sort()
    .map((relative): AssetFile => ({ path: relative, display: display(relative) }))
  // SVG images are read as text too: they are published only once sanitized (render/svg.ts).
  // Stylesheets too: the report's custom one is published rewritten (theme/custom.ts).
  const resources = await readAll(entries.filter((entry) => /\.(bib|csl|svg|css)$/i.test(entry)).sort())
  const report = await read('report.yml')
  // A MyST project's configuration may be spread over several YAML files; our own dialect reads report.yml alone.
  const ownYaml = new Set(['report.yml', 'participants.yml', 'myst.yml'])
  const yaml = report ? [] : await readAll(entries.filter((entry) => /\.ya?ml$/i.test(entry) && !ownYaml.has(entry)).sort())
  const included = await readAll(includedFiles(markdown, new Set(entries)))
  const sources: ProjectSources = {
    report,
    participants: await read('participants.yml'),
    markdown,
    notebooks,
    assets,
    myst: await read('myst.yml'),
    yaml,
    resources,
    included,
    outsideLinks: links.outside,
    messages,
  }
  if (options.history !== false) {
    const history = options.history === true || options.history === undefined ? await readHistory(root, markdownPaths) : await refresh(root, options.history, markdownPaths, modified)
    for (const file of markdown) {
      const updated = history.updated.get(file.path)
      if (updated !== undefined) file.updated = updated
    }
    if (history.repositoryPath !== undefined) sources.repositoryPath = history.repositoryPath
  }
  return sources
}

const includeLine = /^[ \t>]*(?:`{3,}|~{3,}|:{3,})\{(?:literal)?include(?:\s[^{}]*)?\}[ \t]+(\S+)/gm

/**
 * The files, other than markdown, that a page names in an include: only those are read, so that a
 * folder of data beside the book costs nothing. Paths are relative to the page, and must be in the
 * content folder (include.ts says so when one is not).
 */
function includedFiles(markdown: readonly SourceFile[], listed: ReadonlySet<string>): string[] {
  const found = new Set<string>()
  for (const file of markdown) {
    for (const relative of namedIncludes(file)) if (listed.has(relative) && !/\.md$/i.test(relative)) found.add(relative)
  }
  return [...found].sort()
}

// The dev server's loader hands over the same file while it is unchanged on disk, and a new one when it changed:
// its includes are found once. The text itself is not kept here.
const includesOf = new WeakMap<SourceFile, string[]>()

/** The paths a page's includes name, from the content folder. */
function namedIncludes(file: SourceFile): string[] {
  let known = includesOf.get(file)
  if (known === undefined) {
    known = file.text.includes('include}') ? [...file.text.matchAll(includeLine)].map((match) => path.posix.normalize(path.posix.join(path.posix.dirname(file.path), match[1]!))) : []
    includesOf.set(file, known)
  }
  return known
}

/** An earlier lookup, brought up to date without asking git again: new and uncommitted files get their modification time. */
async function refresh(root: string, history: ContentHistory, files: readonly string[], modified: ReadonlyMap<string, Date>): Promise<ContentHistory> {
  const updated = new Map([...history.updated].filter(([file]) => history.committed.has(file)))
  const uncommitted = files.filter((f) => !history.committed.has(f))
  for (const file of uncommitted) {
    const date = modified.get(file)
    if (date) updated.set(file, date.toISOString())
  }
  for (const [file, date] of await modificationTimes(root, uncommitted.filter((f) => !modified.has(f)))) updated.set(file, date)
  return { ...history, updated }
}

/** Read the content files the pages use, keyed by where they are published. */
export async function loadAssets(contentDir: string, assets: ReadonlyMap<string, string>): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>()
  for (const [output, relative] of assets) files.set(output, await readFile(path.join(path.resolve(contentDir), relative)))
  return files
}

async function listFiles(root: string): Promise<{ files: string[]; entries: Dirent[]; repositories: ReturnType<typeof findRepositories> }> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true })
  const files: string[] = []
  for (const entry of entries) {
    if (!entry.isFile()) continue
    const relative = toPosix(path.relative(root, path.join(entry.parentPath, entry.name)))
    if (!isSkipped(relative)) files.push(relative)
  }
  return { files, entries, repositories: findRepositories(root, entries, isSkipped) }
}

/** Whether every path in `changed` is among the files of the last listing, and is a file still (not a link or a folder). */
async function stillListed(root: string, files: readonly string[], changed: ReadonlySet<string>): Promise<boolean> {
  const listed = new Set(files)
  for (const relative of changed) {
    if (!listed.has(relative)) return false
    const stats = await lstat(path.join(root, relative)).catch(() => undefined)
    if (!stats?.isFile()) return false
  }
  return true
}

/** Path order, with `index.md` (or a notebook `index.ipynb`) first in its folder. */
export function byPath(a: string, b: string): number {
  return compareKeys(pathKey(a), pathKey(b))
}

/** `paths` sorted in path order, each one's key made once (10,000 chapters are sorted on every preview save). */
function sortedByPath(paths: string[]): string[] {
  const keys = new Map(paths.map((p) => [p, pathKey(p)]))
  return paths.sort((a, b) => compareKeys(keys.get(a)!, keys.get(b)!))
}

function pathKey(p: string): string {
  return p.replace(/(^|\/)index\.md$/, '$1\u0000').replace(/(^|\/)index\.ipynb$/i, '$1\u0001')
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/')
}
