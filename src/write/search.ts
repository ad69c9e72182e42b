// The search index, made with Pagefind's Node API from the pages in memory,
// so it is written with the rest of the site and matches it exactly. Chapters
// and the participants page are indexed as pages; every finding and
// recommendation is also a result of its own, under its number and title.
//
// The index is made in shards (write/shards.ts), each a complete Pagefind
// bundle in `pagefind/<hash>/`, listed in `pagefind/shards.json`; the search
// page loads the first and merges the others. A shard the site being replaced
// already has, or the preview holds in memory, is taken as it is: after an
// edit to one chapter, Pagefind indexes that chapter's shard only.

import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { PagefindServiceConfig } from 'pagefind'
import { createMessage, type Message } from '../messages.js'
import type { ItemExcerpt } from '../render/previews.js'
import { textOf } from '../parallel/text.js'
import { outputPath } from '../render/urls.js'
import { packageRoot } from '../root.js'
import { planShards, type Shard, type ShardPage, type ShardRecord } from './shards.js'

export interface SearchInput {
  /** The site's pages, by output path (`themes/learners/index.html`). */
  files: ReadonlyMap<string, string | Uint8Array>
  items: readonly ItemExcerpt[]
  /** The report's language tag; the index is made for this one language. Default: `en`. */
  language?: string
  /** Generated pages that hold a chapter's text: indexed for that text, without their generated part. Default: none. */
  authored?: ReadonlySet<string>
  /** The chapters in reading order (the site index's pages), indexed in shards of consecutive chapters. Default: none, so every page is in one shard. */
  chapters?: readonly { slug: string }[]
  /** The folder of the published site this one replaces: its shards that are still current are read back rather than made again. Default: none. */
  previous?: string
  /** Shards made before, by hash, each with its files by output path (the preview keeps them in memory). Default: none. */
  made?: ReadonlyMap<string, ReadonlyMap<string, Uint8Array>>
  /** About how many chapter pages a shard holds. For tests; not a setting. Default: `shardSize`. */
  shardSize?: number
  /**
   * Given each shard's files, by output path, as soon as Pagefind has made them (they are in the output too). What it
   * returns is waited for before the next shard is begun: a writer that is behind holds Pagefind back. Default: none.
   */
  onIndexed?: (files: ReadonlyMap<string, Uint8Array>) => void | Promise<void>
  /**
   * Told, before any shard is made, where the site in `previous` may hold each file of a shard to be made under
   * another name: in the shard that had its place in the list. Pagefind names most of a shard's files by what they
   * hold, so after an edit most files of a shard made again are the same as the replaced shard's (write/place.ts
   * links them). Default: none.
   */
  onPlanned?: (alike: (relative: string) => string | undefined) => void
  /**
   * Send Pagefind a shard's pages one at a time, each once the one before is indexed, rather than a few ahead: for an
   * index made in the background (the preview's), which then leaves this process and the machine free between pages
   * for the next build. Default: false.
   */
  background?: boolean
}

export interface SearchShard {
  hash: string
  /** Its files, by output path (`pagefind/<hash>/pagefind.js`). */
  files: Map<string, Uint8Array>
  /** Whether Pagefind made it in this run, rather than it being taken from `made` or `previous`. */
  indexed: boolean
}

export interface SearchOutput {
  /** Pagefind's files and the list of shards, by output path under `pagefind/`. */
  files: Map<string, Uint8Array>
  /** The shards, in the order the list has them; only those made or read whole. */
  shards: SearchShard[]
  messages: Message[]
}

/**
 * About how many chapter pages a shard holds; a site with no more indexed pages has one shard, and
 * searches as an index made whole. Measured on a report of 1,000 chapters (docs/performance.md):
 * at 128, Pagefind indexes a shard again in about a tenth of the time the whole index takes; smaller
 * shards save little more time, and each makes results differ more from one whole index's, since
 * Pagefind ranks and matches in each shard by its own words and statistics (docs/site.md).
 */
export const shardSize = 128

/** The list of shards the search page reads; the first is loaded, the others merged into it. */
export const shardList = 'pagefind/shards.json'

/** How many of a shard's pages and records a lane sends Pagefind before the first of them is answered. */
const sentAhead = 16

/** Pages that only repeat what the chapters say, or are not content, unless a chapter's text is on them (`authored`). */
const skipped = new Set(
  ['findings', 'recommendations', 'evidence', 'full-report', 'search'].map((slug) => `${slug}/index.html`).concat('404.html'),
)

/** Pagefind's ready-made interfaces: the site has its own search page. */
const unusedBundle = /^pagefind-(ui|modular-ui|component-ui|highlight)\b/

/** The file every Pagefind bundle has, which a shard read back must have too. */
const entryFile = 'pagefind-entry.json'

/** The configuration files Pagefind's binary looks for in its working folder. */
const pagefindConfigs = ['pagefind.json', 'pagefind.yml', 'pagefind.yaml', 'pagefind.toml']

/** What Pagefind is told, beside the language. */
const settings = {
  // Pagefind is given each page's main element alone (searchedPart, below).
  rootSelector: 'main',
  // Findings and recommendations are results of their own; page furniture is not content.
  // A generated page's own part (its tables, the full report's sections) repeats the chapters.
  excludeSelectors: ['section.finding', 'section.recommendation', 'nav', '.pager', '.outline', '.skip-link', '.generated-part'],
} satisfies PagefindServiceConfig

// The process's Pagefind services are shared; builds take turns using them.
let queue: Promise<unknown> = Promise.resolve()

export async function indexSearch(input: SearchInput): Promise<SearchOutput> {
  const language = (input.language ?? 'en').split('-')[0]!.toLowerCase()
  const messages: Message[] = []
  const none = () => ({ files: new Map<string, Uint8Array>(), shards: [], messages })
  // Pagefind's binary reads a configuration file from the working folder before it starts, and
  // acts on some of it even as a service (`logfile` creates a file anywhere). When the build runs
  // in the content folder, that file could come from a pull request: so none may be there.
  // Refused even when every shard is reused, so that whether it is depends on the file alone.
  const config = pagefindConfigs.find((name) => existsSync(path.join(process.cwd(), name)))
  if (config !== undefined) {
    messages.push(
      createMessage(
        'search-index-builds',
        config,
        undefined,
        `Pagefind would read ${config} in the folder the build runs in, and fieldnotes configures Pagefind itself`,
        'Delete the file, or run the build from another folder: the search index takes no settings of its own.',
      ),
    )
    return none()
  }
  const shards = planShards({
    pages: indexedPages(input),
    // A chapter at a generated page's address changes with the whole report, as that page does: it goes with the other pages.
    chapters: (input.chapters ?? []).map((chapter) => outputPath(chapter.slug)).filter((page) => !input.authored?.has(page)),
    records: input.items.map((item) => ({ page: outputPath(item.url.replace(/#.*$/, '').replace(/\/$/, '')), record: itemRecord(item, language) })),
    size: input.shardSize ?? shardSize,
    basis: JSON.stringify({ pagefind: await pagefindVersion(), settings, language, unused: unusedBundle.source, binaries: [process.env['PAGEFIND_EXTENDED_BINARY_PATH'] ?? null, process.env['PAGEFIND_BINARY_PATH'] ?? null] }),
  })
  const kept = new Map<string, Map<string, Uint8Array>>()
  for (const shard of shards) {
    const files = input.made?.get(shard.hash)
    if (files) kept.set(shard.hash, new Map(files))
  }
  const previous = input.previous
  // Shards the replaced site holds are read back while Pagefind makes the others: reading a few thousand small
  // files takes longer than making one shard.
  const published = previous === undefined ? [] : shards.filter((shard) => !kept.has(shard.hash) && existsSync(path.join(previous, 'pagefind', shard.hash, entryFile)))
  const missing = shards.filter((shard) => !kept.has(shard.hash) && !published.includes(shard))
  if (input.onPlanned && previous !== undefined) {
    const replaced = await replacedShards(previous, shards.map((shard) => shard.hash))
    input.onPlanned((relative) => {
      const [top, hash, ...rest] = relative.split('/')
      const old = top === 'pagefind' && hash !== undefined ? replaced.get(hash) : undefined
      return old === undefined ? undefined : ['pagefind', old, ...rest].join('/')
    })
  }
  // Pagefind is started only when some shard has to be made.
  const make = (some: readonly Shard[]) =>
    some.length === 0 ? Promise.resolve({ files: new Map<string, Map<string, Uint8Array>>(), errors: [] as string[] }) : takeTurn(() => indexShards(some, language, input.onIndexed, input.background ?? false))
  const making = make(missing)
  // Waited for below, once the shards are read: a failure meanwhile is not left unhandled.
  making.catch(() => undefined)
  // One shard at a time, each read in one go, with a turn of the event loop between them for Pagefind's lanes.
  for (const shard of published) {
    await new Promise(setImmediate)
    const files = readShard(previous!, shard.hash)
    if (files) kept.set(shard.hash, new Map(files))
  }
  // A shard that could not be read back whole after all is made too.
  const made = await making
  const more = await make(published.filter((shard) => !kept.has(shard.hash)))
  for (const [hash, files] of more.files) made.files.set(hash, files)
  made.errors.push(...more.errors)
  if (made.errors.length > 0) {
    messages.push(
      createMessage(
        'search-index-builds',
        'pagefind',
        undefined,
        `The search index could not be built: ${[...new Set(made.errors)].join('; ')}`,
        'Run `npm ci` so that Pagefind and its binary for this platform are installed.',
      ),
    )
  }
  const files = new Map<string, Uint8Array>()
  const done: SearchShard[] = []
  for (const shard of shards) {
    const shardFiles = kept.get(shard.hash) ?? made.files.get(shard.hash)
    if (!shardFiles) continue
    done.push({ hash: shard.hash, files: shardFiles, indexed: !kept.has(shard.hash) })
    for (const [name, bytes] of shardFiles) files.set(name, bytes)
  }
  if (done.length > 0) files.set(shardList, new TextEncoder().encode(`${JSON.stringify({ shards: done.map((shard) => shard.hash) })}\n`))
  return { files, shards: done, messages }
}

function takeTurn<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work)
  queue = run.catch(() => undefined)
  return run
}

/** The pages Pagefind indexes, by output path, in the site's order. */
function indexedPages(input: SearchInput): Map<string, ShardPage> {
  const pages = new Map<string, ShardPage>()
  for (const [file, content] of input.files) {
    if (!file.endsWith('.html') || (skipped.has(file) && !input.authored?.has(file))) continue
    // A page kept as bytes is read as text when it is hashed and when it is indexed, not held as text meanwhile.
    pages.set(file, { url: `/${file.replace(/index\.html$/, '')}`, get content() { return searchedPart(textOf(content)) } })
  }
  return pages
}

/** A `<main>` tag, or the start or end of an element whose text is not markup (in which such a tag is not one). */
const tags = /<(\/?)(main|script|style|textarea|title|template|noscript|xmp|iframe|noembed|noframes)[\s/>]/gi

/**
 * The part of a page Pagefind reads. Under `rootSelector: 'main'` it reads nothing outside the page's `<main>`
 * element (its head and contents sidebar are about two fifths of a chapter page), so that element is all it is
 * given, and all a shard's hash covers: Pagefind makes the same files from it, and a change to the sidebar alone
 * leaves the shard as it was. A page whose `<main>` cannot be told from its tags alone (none, more than one, or
 * one that a comment or a script may hold) is given whole.
 */
export function searchedPart(html: string): string {
  let start = -1
  let end = -1
  // The text elements open before `<main>`, which must all be closed again.
  const open = new Map<string, number>()
  for (const tag of html.matchAll(tags)) {
    const name = tag[2]!.toLowerCase()
    const closing = tag[1] === '/'
    if (name === 'main') {
      if (closing ? end >= 0 || start < 0 : start >= 0) return html
      if (closing) end = html.indexOf('>', tag.index) + 1
      else start = tag.index
    } else if (start < 0) open.set(name, (open.get(name) ?? 0) + (closing ? -1 : 1))
  }
  if (end <= start || [...open.values()].some((count) => count !== 0)) return html
  const before = html.lastIndexOf('<!--', start)
  if (before >= 0 && html.indexOf('-->', before) > start) return html
  return `<html><body>${html.slice(start, end)}</body></html>`
}

function itemRecord(item: ItemExcerpt, language: string): ShardRecord {
  const kind = item.kind === 'finding' ? 'Finding' : 'Recommendation'
  return {
    url: `/${item.url}`,
    // Made when it is read (hashed, then indexed), not held for every record of the report while shards are made.
    get content() {
      return `${item.label}: ${item.title}. ${item.text}`
    },
    language,
    meta: { title: `${item.label}: ${item.title}`, kind, chapter: item.chapter },
    filters: { type: [kind] },
  }
}

/** Make each shard's index in one Pagefind service, closed again afterwards. */
async function indexShards(shards: readonly Shard[], language: string, onIndexed: SearchInput['onIndexed'], background: boolean): Promise<{ files: Map<string, Map<string, Uint8Array>>; errors: string[] }> {
  const files = new Map<string, Map<string, Uint8Array>>()
  const errors: string[] = []
  // Loaded when there is something to index: a build that finds nothing changed does without it.
  const services = await pagefindServices(2)
  const indexShard = async (shard: Shard, { createIndex }: PagefindApi) => {
    const created = await createIndex({ ...settings, forceLanguage: language })
    const index = created.index
    errors.push(...created.errors)
    if (!index) {
      if (created.errors.length === 0) errors.push('Pagefind did not start')
      return
    }
    // A service takes its requests one at a time, in the order they were sent: so a shard's pages and records are
    // sent a few ahead, in order, and make the same files as one at a time do, and the service does not wait for
    // this process (writing the site meanwhile) to send the next between one page and the next. Not all at once:
    // what waits to be sent lives long enough to leave V8's young generation, and at 10,000 chapters the garbage it
    // left took 250 MB more before it was collected. An index made in the background goes one at a time.
    const requests = [
      ...shard.pages.map((page) => () => index.addHTMLFile({ url: page.url, content: page.content })),
      ...shard.records.map((record) => () => index.addCustomRecord(record)),
    ]
    const ahead = background ? 1 : sentAhead
    const sent: Promise<{ errors: string[] }>[] = []
    for (const request of requests) {
      sent.push(request())
      if (sent.length >= ahead) errors.push(...(await sent.shift()!).errors)
    }
    for (const result of await Promise.all(sent)) errors.push(...result.errors)
    const written = await index.getFiles()
    errors.push(...written.errors)
    const own = new Map<string, Uint8Array>()
    for (const file of written.files) {
      if (!unusedBundle.test(file.path)) own.set(`pagefind/${shard.hash}/${file.path}`, file.content)
    }
    files.set(shard.hash, own)
    const room = onIndexed?.(own)
    await index.deleteIndex()
    await room
  }
  // Two services, each given two shards at a time: while a service indexes one, this process sends it the
  // other's pages, and the two services index on two cores. Each holds two shards' indexes at most, so
  // memory does not grow with the report. Every shard is done with a service before it is closed: a call
  // after closing would start it again. The largest go first, so that the last to finish are small ones,
  // not one that keeps one lane busy long after the others are done (shards differ in size: shards.ts).
  const size = (shard: Shard) => shard.pages.length + shard.records.length
  const queue = [...shards].sort((a, b) => size(b) - size(a))
  const lane = async (api: PagefindApi) => {
    for (let shard = queue.shift(); shard; shard = queue.shift()) {
      await indexShard(shard, api).catch((error: unknown) => errors.push(error instanceof Error ? error.message : String(error)))
    }
  }
  await Promise.all(services.flatMap((service) => [lane(service), lane(service)]))
  await Promise.all(services.map((service) => service.close().catch(() => undefined)))
  return { files, errors }
}

/** The shard each of `planned` replaces in the list of the site in `folder`, where it is another, by hash: the one at its place. */
async function replacedShards(folder: string, planned: readonly string[]): Promise<Map<string, string>> {
  const replaced = new Map<string, string>()
  try {
    const list: unknown = JSON.parse(await readFile(path.join(folder, shardList), 'utf8'))
    const shards = (list as { shards?: unknown }).shards
    if (!Array.isArray(shards)) return replaced
    planned.forEach((hash, at) => {
      const old: unknown = shards[at]
      if (typeof old === 'string' && /^[0-9a-f]+$/.test(old) && old !== hash) replaced.set(hash, old)
    })
  } catch {
    // No list, or not one of ours: nothing is linked from another shard.
  }
  return replaced
}

/**
 * A shard of the site being replaced, by output path, or undefined when it is not there whole. That
 * site becomes the spare once the next is published, which a later build, perhaps another one
 * meanwhile, makes its own site from: a shard whose files changed while they were read, or that
 * has no entry file, is made again instead.
 */
function readShard(site: string, hash: string): Map<string, Uint8Array> | undefined {
  const folder = path.join(site, 'pagefind', hash)
  try {
    const names = listFiles(folder)
    if (names === undefined || !names.includes(entryFile)) return undefined
    // Read in turn, not through the thread pool: a shard is some 500 files of a few kB, and each read through the
    // pool (open, stat, read, close, and a promise) cost the main thread more than reading the file does. After an
    // edit at 1,000 chapters, reading the six unchanged shards back took about 0.4 s of this thread that way.
    const contents = names.map((name) => readFileSync(path.join(folder, name)))
    if (listFiles(folder)?.join('\n') !== names.join('\n')) return undefined
    return new Map(names.map((name, at) => [`pagefind/${hash}/${name}`, new Uint8Array(contents[at]!)]))
  } catch {
    return undefined
  }
}

/** Every file in `folder` and below, with `/` between folders, sorted; undefined if it holds anything but files and folders. */
function listFiles(folder: string, prefix = ''): string[] | undefined {
  const names: string[] = []
  for (const entry of readdirSync(path.join(folder, prefix), { withFileTypes: true })) {
    const name = `${prefix}${entry.name}`
    if (entry.isFile()) names.push(name)
    else if (!entry.isDirectory()) return undefined
    else {
      const inner = listFiles(folder, `${name}/`)
      if (inner === undefined) return undefined
      names.push(...inner)
    }
  }
  return names.sort()
}

type PagefindApi = typeof import('pagefind')

/** The Pagefind package installed beside this one: found where Node would find it, with its version and entry module. */
interface PagefindPackage {
  version: string
  entry: string
}

let installed: Promise<PagefindPackage | undefined> | undefined

function pagefindPackage(): Promise<PagefindPackage | undefined> {
  installed ??= (async () => {
    // Its package.json is not among what the package exports, so it is looked for in the folders Node searches.
    const require = createRequire(path.join(packageRoot, 'package.json'))
    const folder = require.resolve.paths('pagefind')?.map((dir) => path.join(dir, 'pagefind')).find((dir) => existsSync(path.join(dir, 'package.json')))
    if (folder === undefined) return undefined
    const manifest = JSON.parse(await readFile(path.join(folder, 'package.json'), 'utf8')) as { version?: string; main?: string; exports?: { '.'?: { import?: string } } }
    const entry = manifest.exports?.['.']?.import ?? manifest.main
    return entry === undefined ? undefined : { version: manifest.version ?? '', entry: pathToFileURL(path.join(folder, entry)).href }
  })().catch(() => undefined)
  return installed
}

/** The installed Pagefind's version: a shard made by another is made again. */
export async function pagefindVersion(): Promise<string> {
  return (await pagefindPackage())?.version ?? ''
}

/** The file URL of the installed Pagefind's Node API, or undefined when it cannot be found by file. */
export async function pagefindEntry(): Promise<string | undefined> {
  return (await pagefindPackage())?.entry
}

/**
 * Pagefind's Node API `count` times over, each a module instance of its own and so with a service process of its
 * own: one service handles one request at a time, whichever index it is for. Where the package cannot be found
 * by file (an install Node resolves some other way), one service.
 */
async function pagefindServices(count: number): Promise<PagefindApi[]> {
  const found = await pagefindPackage()
  if (found === undefined) return [await import('pagefind')]
  return Promise.all(Array.from({ length: count }, (_, n) => import(n === 0 ? found.entry : `${found.entry}?service=${n}`) as Promise<PagefindApi>))
}
