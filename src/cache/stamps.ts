// A build's inputs by their stamps, so that the command can tell that nothing
// changed without reading the report or loading the pipeline. A build that
// published its site, or found it already published, keeps beside its record
// the stamp of every entry of the folders it reads (content, templates, static
// files), of the private roster, of the project's workflows and of the git
// history it dates pages from. The next run of the same command stats them
// again; when every stamp is as it was and the site is still in place, what
// that build found is the answer. Whatever this cannot vouch for goes to the
// build itself, which compares the inputs' contents (key.ts).
//
// A stamp is a file's device, inode, size, modification and change times. No
// program can set a change time, so any write, rename or copy over the file
// changes it, unless it lands within the file system's clock tick of the stamp
// being taken: stamps are kept only when every file is older than that.

import { lstatSync, mkdirSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, writeFileSync, type Dirent } from 'node:fs'
import path from 'node:path'
import type { BuildOptions, BuildResult } from '../build.js'
import { findCheckout, isSkipped, settledMs, stampOf } from '../load/folders.js'
import { applyStrict, isFailing, sortMessages, type Message } from '../messages.js'
import { packageRoot } from '../root.js'
import { linkedSite, mayBeSpare, siblingNames } from '../write/output.js'
import { BuildCache, defaultCacheDir, generatorVersion } from './store.js'

/** What the build that published a site saw of its inputs, and what it found. */
interface StampRecord {
  /** The command's options as they bear on the site (see `settingsOf`). */
  settings: string
  /** Every entry the inputs come from, by path. */
  stamps: Record<string, string>
  /** The site folder the output folder linked to; none for `check`. */
  site?: string | undefined
  /** Messages before --strict is applied. */
  messages: Message[]
  pages: string[]
}

/** The inputs' stamps, and when the newest of them last changed; undefined when one of them cannot be vouched for by stamps. */
interface Stamped {
  stamps: Map<string, string>
  newest: number
}

/**
 * The result of the last build with these options, when every input's stamp is as that build left it and, for
 * `build`, the output folder still links to the site it published with nothing left beside it; otherwise
 * undefined, and the build itself decides. Never throws: anything unexpected is a reason to build.
 */
export async function unchangedByStamps(options: BuildOptions): Promise<BuildResult | undefined> {
  try {
    if (options.cache === false) return undefined
    const write = options.write !== false
    const file = recordFile(options)
    const record = JSON.parse(readFileSync(file, 'utf8')) as StampRecord
    if (record.settings !== (await settingsOf(options))) return undefined
    const stamped = inputStamps(options)
    if (!stamped || stamped.stamps.size !== Object.keys(record.stamps).length) return undefined
    for (const [name, stamp] of stamped.stamps) if (record.stamps[name] !== stamp) return undefined
    const strict = options.strict ?? false
    const messages = sortMessages(applyStrict(record.messages, strict))
    // A failing build (under --strict, say) is left to the build, which says what was not written and why.
    if (write && isFailing(messages, strict)) return undefined
    if (write && (record.site === undefined || !(await onlySite(path.resolve(options.outDir ?? 'dist'), record.site)))) return undefined
    return { messages, pages: record.pages, written: write, unchanged: write }
  } catch {
    return undefined
  }
}

/** When the build began reading, and whether the report names plugins: their code lies outside the folders stamped. */
export interface StampedRun {
  startedAt: number
  plugins: boolean
}

/**
 * Keep the stamps of this build's inputs for the next run of the same command, unless one of them changed within
 * `settledMs` of `startedAt` or since (its stamp could then be the same after another change), or the report names
 * plugins. Like the rest of the cache, it never fails the build.
 */
export async function rememberStamps(options: BuildOptions, run: StampedRun, result: { messages: Message[]; pages: string[]; site: string | undefined }): Promise<void> {
  const file = recordFile(options)
  try {
    const stamped = run.plugins ? undefined : inputStamps(options)
    if (!stamped || stamped.newest > run.startedAt - settledMs) {
      forgetStamps(file)
      return
    }
    const record: StampRecord = { settings: await settingsOf(options), stamps: Object.fromEntries(stamped.stamps), ...result }
    mkdirSync(path.dirname(file), { recursive: true })
    const temporary = `${file}.${process.pid}.tmp`
    writeFileSync(temporary, JSON.stringify(record))
    renameSync(temporary, file)
  } catch {
    forgetStamps(file)
  }
}

function forgetStamps(file: string): void {
  try {
    rmSync(file, { force: true })
  } catch {
    // A read-only cache: its record cannot be written either, so the one there is as old as its stamps say.
  }
}

/** Beside the project's build record: one for `build`, one for `check`. */
function recordFile(options: BuildOptions): string {
  const cache = new BuildCache(options.cache || defaultCacheDir(), { contentDir: path.resolve(options.contentDir ?? 'content'), outDir: path.resolve(options.outDir ?? 'dist') })
  return cache.file(options.write === false ? 'stamps-check.json' : 'stamps-build.json')
}

/** Everything besides the inputs' files that the site and the messages depend on. */
async function settingsOf(options: BuildOptions): Promise<string> {
  const resolved = (dir: string | undefined) => (dir === undefined ? null : path.resolve(dir))
  return JSON.stringify({
    generator: await generatorVersion(),
    cwd: process.cwd(),
    write: options.write !== false,
    ...folders(options),
    privateRoster: resolved(options.privateRoster),
    pdf: options.pdf ?? null,
    docx: options.docx ?? null,
    siteUrl: options.siteUrl ?? null,
    date: process.env['SOURCE_DATE_EPOCH'] ?? null,
  })
}

function folders(options: BuildOptions) {
  return {
    contentDir: path.resolve(options.contentDir ?? 'content'),
    templatesDir: path.resolve(options.templatesDir ?? path.join(packageRoot, 'templates')),
    publicDir: path.resolve(options.publicDir ?? path.join(packageRoot, 'public')),
  }
}

/**
 * The stamp of everything a build reads: every entry of the content folder (of those in folders the loader skips,
 * such as `.git` and `node_modules`, only where symbolic links lead), of the templates and static files, the
 * workflows of `.github/workflows`, the private roster, and the git history's head.
 */
function inputStamps(options: BuildOptions): Stamped | undefined {
  const { contentDir, templatesDir, publicDir } = folders(options)
  const stamped: Stamped = { stamps: new Map(), newest: 0 }
  stampFolder(stamped, contentDir, true)
  stampFolder(stamped, templatesDir, false)
  stampFolder(stamped, publicDir, false)
  for (const project of [contentDir, path.dirname(contentDir)]) stampFolder(stamped, path.join(project, '.github', 'workflows'), false)
  if (options.privateRoster !== undefined) stampPath(stamped, path.resolve(options.privateRoster))
  return stampHistory(stamped, contentDir) ? stamped : undefined
}

/** Each entry of `dir`, recursively; with `skip`, the loader's own rule for what it never reads. */
function stampFolder(stamped: Stamped, dir: string, skip: boolean): void {
  let entries: Dirent[]
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true })
  } catch {
    stamped.stamps.set(dir, 'absent')
    return
  }
  stamped.stamps.set(dir, 'folder')
  for (const entry of entries) {
    const full = path.join(entry.parentPath, entry.name)
    // A link's messages say whether its target is inside the folder: the real path is its stamp.
    if (entry.isSymbolicLink()) {
      stamped.stamps.set(full, `link:${realTarget(full)}`)
      continue
    }
    const folder = path.relative(dir, entry.parentPath).split(path.sep).join('/')
    if (skip && isSkipped(folder)) continue
    // A skipped folder, or a skipped file beside the chapters, counts only by its name.
    if (skip && isSkipped(entry.name)) stamped.stamps.set(full, entry.isDirectory() ? 'folder' : 'skipped')
    else if (entry.isDirectory()) stamped.stamps.set(full, 'folder')
    else stampPath(stamped, full)
  }
}

function stampPath(stamped: Stamped, file: string): void {
  const stats = lstatSync(file, { throwIfNoEntry: false })
  stamped.stamps.set(file, stats ? stampOf(stats) : 'absent')
  if (stats) stamped.newest = Math.max(stamped.newest, stats.mtimeMs, stats.ctimeMs)
}

function realTarget(link: string): string {
  try {
    return realpathSync(link)
  } catch {
    return ''
  }
}

/**
 * Pages are dated by their last commit: the history's head (HEAD, the branch it names, packed refs and a shallow
 * clone's boundary) is stamped. False for what this does not follow (a worktree's or submodule's `.git` file,
 * replaced commits), which is left to the build.
 */
function stampHistory(stamped: Stamped, contentDir: string): boolean {
  const checkout = findCheckout(contentDir)
  if (!checkout) return true
  if (!lstatSync(checkout.gitDir).isDirectory() || lstatSync(path.join(checkout.gitDir, 'refs', 'replace'), { throwIfNoEntry: false })) return false
  const head = path.join(checkout.gitDir, 'HEAD')
  stampPath(stamped, head)
  const ref = /^ref:\s*(refs\/\S+)/.exec(readFileSync(head, 'utf8'))?.[1]
  for (const name of [...(ref ? [ref] : []), 'packed-refs', 'shallow']) stampPath(stamped, path.join(checkout.gitDir, name))
  return true
}

/** Does `outDir` link to `site`, with nothing beside it that a build would tidy: no lock, and no more than the one spare it keeps? */
async function onlySite(outDir: string, site: string): Promise<boolean> {
  if ((await linkedSite(outDir)) !== site) return false
  const { lock, prefix } = siblingNames(outDir)
  const parent = path.dirname(outDir)
  const others = readdirSync(parent).filter((name) => (name === lock || name.startsWith(prefix)) && name !== site)
  return others.length <= 1 && others.every((name) => mayBeSpare(name, prefix) && lstatSync(path.join(parent, name)).isDirectory())
}
