// Shared test helpers: write a report to a temporary folder, build it for real,
// and read the output back as hast.

import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import type { Root } from 'hast'
import { fromHtml } from 'hast-util-from-html'
import { select, selectAll } from 'hast-util-select'
import { toString } from 'hast-util-to-string'
import { afterAll } from 'vitest'
import { build, type BuildResult } from '../src/build.js'
import { buildSite, type SiteBuild } from '../src/pipeline.js'
import { loadTemplates } from '../src/load/templates.js'
import type { SourceFile } from '../src/load/files.js'
import { sortMessages, type Message } from '../src/messages.js'

export const repoRoot = path.resolve(import.meta.dirname, '..')

const made: string[] = []
afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })))
})

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'fieldnotes-test-'))
  made.push(dir)
  return dir
}

export async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true })
    await writeFile(path.join(root, name), text)
  }
}

export interface BuiltProject {
  dir: string
  content: string
  out: string
  result: BuildResult
  page(outputPath: string): Promise<Root>
}

/** Write `files` as a content folder, build it into a sibling `dist`, and return both. `roster` is the text of a private roster. */
export async function buildProject(files: Record<string, string>, options: { strict?: boolean; write?: boolean; roster?: string } = {}): Promise<BuiltProject> {
  const dir = await tempDir()
  const content = path.join(dir, 'content')
  const out = path.join(dir, 'dist')
  await writeFiles(content, files)
  const { roster, ...buildOptions } = options
  // The roster is kept beside the content folder, as authors are told to keep it outside the repository.
  const privateRoster = path.join(dir, 'roster.yml')
  if (roster !== undefined) await writeFile(privateRoster, roster)
  const result = await build({ contentDir: content, outDir: out, ...buildOptions, ...(roster === undefined ? {} : { privateRoster }) })
  return {
    dir,
    content,
    out,
    result,
    page: async (outputPath) => fromHtml(await readFile(path.join(out, outputPath), 'utf8')),
  }
}

const templates = await loadTemplates(path.join(repoRoot, 'templates'))

/** Run the pure pipeline on in-memory files; file names in messages are `content/<name>`. `templates` replaces the named default templates. */
export function buildInMemory(
  files: Record<string, string>,
  options: { templates?: Record<string, string> } = {},
): { files: Map<string, string>; messages: Message[]; page(p: string): Root; site: SiteBuild } {
  const source = (name: string): SourceFile | undefined =>
    files[name] === undefined ? undefined : { path: name, display: `content/${name}`, text: files[name]! }
  const markdown = Object.keys(files)
    .filter((name) => name.endsWith('.md'))
    .sort((a, b) => (a.replace(/index\.md$/, '') < b.replace(/index\.md$/, '') ? -1 : 1))
    .map((name) => source(name)!)
  const notebooks = Object.keys(files)
    .filter((name) => name.endsWith('.ipynb'))
    .sort()
    .map((name) => source(name)!)
  // Any other file (an image, a spreadsheet) is an asset; its text is not read.
  const assets = Object.keys(files)
    .filter((name) => !/\.(md|ya?ml)$/.test(name))
    .sort()
    .map((name) => ({ path: name, display: `content/${name}` }))
  // BibTeX files and citation styles are read as text, like the loader does.
  const resources = Object.keys(files)
    .filter((name) => /\.(bib|csl|svg|css)$/.test(name))
    .sort()
    .map((name) => source(name)!)
  // As the loader does: with no report.yml, every other YAML file is read too (what myst.yml extends, `_toc.yml`).
  const yaml = files['report.yml'] === undefined ? Object.keys(files).filter((name) => /\.ya?ml$/.test(name) && !['participants.yml', 'myst.yml'].includes(name)).sort().map((name) => source(name)!) : []
  const site = buildSite(
    { report: source('report.yml'), participants: source('participants.yml'), markdown, notebooks, assets, myst: source('myst.yml'), yaml, resources, messages: [] },
    options.templates ? new Map([...templates, ...Object.entries(options.templates)]) : templates,
  )
  return {
    site,
    files: site.files,
    messages: sortMessages(site.messages),
    page: (p) => {
      const html = site.files.get(p)
      if (html === undefined) throw new Error(`No page ${p}; pages: ${[...site.files.keys()].join(', ')}`)
      return fromHtml(html)
    },
  }
}

/** `file:line:column rule-id`, the form the tests compare. */
export function where(messages: readonly Message[]): string[] {
  return messages.map((m) => `${m.file}:${m.line}:${m.column} ${m.ruleId}`)
}

export function text(tree: Root, selector: string): string {
  const node = select(selector, tree)
  if (!node) throw new Error(`Nothing matches ${selector}`)
  return toString(node).replace(/\s+/g, ' ').trim()
}

export function texts(tree: Root, selector: string): string[] {
  return selectAll(selector, tree).map((node) => toString(node).replace(/\s+/g, ' ').trim())
}

export function attr(tree: Root, selector: string, name: string): string | undefined {
  const node = select(selector, tree)
  if (!node) throw new Error(`Nothing matches ${selector}`)
  const value = node.properties[name]
  return value === undefined ? undefined : Array.isArray(value) ? value.join(' ') : String(value)
}

export { select, selectAll }

/** A page or record in a built site's search index, as Pagefind stores it. */
export interface SearchFragment {
  url: string
  content: string
  meta: Record<string, string>
}

/** Every fragment of the search index in a built site, from each shard that `pagefind/shards.json` lists. */
export async function searchFragments(out: string): Promise<SearchFragment[]> {
  const { shards } = JSON.parse(await readFile(path.join(out, 'pagefind/shards.json'), 'utf8')) as { shards: string[] }
  const fragments: SearchFragment[] = []
  for (const hash of shards) {
    const dir = path.join(out, 'pagefind', hash, 'fragment')
    for (const file of await readdir(dir)) {
      const json = gunzipSync(await readFile(path.join(dir, file))).toString('utf8')
      fragments.push(JSON.parse(json.slice(json.indexOf('{'))) as SearchFragment)
    }
  }
  return fragments
}

/** Every file under `dir`, by its path there, as bytes. */
export async function readSite(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>()
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const full = path.join(entry.parentPath, entry.name)
    files.set(path.relative(dir, full), await readFile(full))
  }
  return files
}

/**
 * How two sites differ: the first file that differs (by path), where and how, and the names of the
 * others; undefined when both hold the same files byte for byte. A site is a folder, or its files as
 * readSite reads them.
 */
export async function siteDifference(a: string | Map<string, Buffer>, b: string | Map<string, Buffer>): Promise<string | undefined> {
  const [left, right] = await Promise.all([typeof a === 'string' ? readSite(a) : a, typeof b === 'string' ? readSite(b) : b])
  const differences: string[] = []
  for (const name of [...new Set([...left.keys(), ...right.keys()])].sort()) {
    const x = left.get(name)
    const y = right.get(name)
    if (x === undefined) differences.push(`${name} is only in the second site`)
    else if (y === undefined) differences.push(`${name} is only in the first site`)
    else if (!x.equals(y)) {
      let at = 0
      while (at < x.length && at < y.length && x[at] === y[at]) at++
      const around = (bytes: Buffer) => JSON.stringify(bytes.subarray(Math.max(0, at - 60), at + 60).toString('utf8'))
      differences.push(`${name} differs from byte ${at}: ${around(x)} against ${around(y)}`)
    }
  }
  if (differences.length === 0) return undefined
  const others = differences.slice(1).map((d) => d.split(' ')[0])
  return others.length === 0 ? differences[0] : `${differences[0]}; and ${others.length} more: ${others.join(', ')}`
}

/** The HTML pages whose bytes differ between two readings of a site, sorted; a page new in `after` counts too. */
export function changedPages(before: Map<string, Buffer>, after: Map<string, Buffer>): string[] {
  return [...after].filter(([name, bytes]) => name.endsWith('.html') && !before.get(name)?.equals(bytes)).map(([name]) => name).sort()
}
