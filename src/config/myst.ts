// myst.yml: a Jupyter Book 2 / MyST project's configuration, read into the
// same ReportConfig that report.yml gives, so the rest of the build does not
// know which file it came from. With the files it extends (layers.ts), and
// Jupyter Book's `_toc.yml` and `_config.yml` (jupyterbook.ts). The file is
// shared with MyST's own build, so nothing in it is an error except broken
// YAML and broken `extends`: a key we do not use, or a value we cannot use, is
// info at its line. What MyST reads that a report has no place for (macros,
// abbreviations, excluded files) is returned beside it.

import type { SourceFile } from '../load/files.js'
import { createMessage, type Message } from '../messages.js'
import { jupyterBookLayer, readLegacyToc } from './jupyterbook.js'
import { asRecord, mergeLayers, readLayers, type ConfigLayer, type KeyPath } from './layers.js'
import { reportSchema, type ReportConfig, type TocEntry } from './report.js'

const used = {
  top: ['version', 'project', 'site', 'extends', 'extend'],
  project: [
    'title',
    'subtitle',
    'short_title',
    'description',
    'date',
    'authors',
    'affiliations',
    'license',
    'funding',
    'github',
    'doi',
    'keywords',
    'thumbnail',
    'bibliography',
    'downloads',
    'exports',
    'toc',
    'language',
    'math',
    'abbreviations',
    'exclude',
    'references',
  ],
  site: ['options', 'title'],
  options: ['logo', 'logo_dark', 'favicon'],
}

export interface MystConfigOptions {
  /** Where myst.yml is in the content folder, which its `extends` paths start from. Default: `myst.yml`. */
  path?: string
  /** The project's other YAML files by content path: those myst.yml extends, and Jupyter Book's `_toc.yml`. Default: none. */
  files?: ReadonlyMap<string, SourceFile>
}

/** What MyST reads from its configuration that a report's has no place for; passed to the pages' parser and the contents plan. */
export interface MystProject {
  /** TeX macros for every page (`project.math`), by name with its backslash. */
  math: Record<string, string>
  /** Abbreviations for every page (`project.abbreviations`), each with its expansion. */
  abbreviations: Record<string, string>
  /** Patterns of files left out of the implicit toc and of toc patterns (`project.exclude`). */
  exclude: string[]
  /** `project.references`: other projects that `xref:` links name, by name, with their addresses. */
  references: Record<string, string>
}

export interface MystConfig {
  value: ReportConfig
  messages: Message[]
  project: MystProject
  /** The file the toc is written in (myst.yml, a file it extends, or `_toc.yml`), where messages about its entries point. */
  tocFile: SourceFile | undefined
}

export function readMystConfig(file: string, source: string, options: MystConfigOptions = {}): MystConfig {
  const main: SourceFile = { path: options.path ?? 'myst.yml', display: file, text: source }
  const files = options.files ?? new Map()
  const { layers, messages } = readLayers(main, files)
  if (layers[0]?.file !== main) return { value: {}, messages, project: { math: {}, abbreviations: {}, exclude: [], references: {} }, tocFile: undefined }
  for (const layer of layers) messages.push(...checkKeys(layer))
  return readConfig(layers, messages, files)
}

/** A Jupyter Book 1 project with no myst.yml: `_config.yml` read as myst.yml, as `myst init` would write it, and its `_toc.yml`. */
export function readJupyterBookConfig(config: SourceFile, files: ReadonlyMap<string, SourceFile>): MystConfig {
  const { layer, messages } = jupyterBookLayer(config)
  if (!layer) return { value: {}, messages, project: { math: {}, abbreviations: {}, exclude: [], references: {} }, tocFile: undefined }
  return readConfig([layer], messages, files)
}

/** Note each key of a layer this generator does not use, at its line in that layer's file. */
function checkKeys(layer: ConfigLayer): Message[] {
  const messages: Message[] = []
  const note = (path: KeyPath) => messages.push(noteAt(layer, path, 'is not used by this generator'))
  const data = layer.data
  const project = asRecord(data['project'])
  const site = asRecord(data['site'])
  for (const key of Object.keys(data)) if (!used.top.includes(key)) note([key])
  // MyST plugins extend MyST's own engine, not unified: each JavaScript one is named and left out (docs/plugins.md).
  const scripts = mystScriptPlugins(project['plugins'])
  for (const [i, name] of scripts) {
    messages.push(
      createMessage(
        'myst-plugin-supported',
        layer.file.display,
        layer.at(['project', 'plugins', i]),
        `The MyST plugin \`${name}\` is not run: MyST plugins extend MyST's own engine, and fieldnotes builds MyST projects without it`,
        'The site is built without what the plugin adds; its directives and roles are reported as unknown. For a unified plugin, see docs/plugins.md.',
      ),
    )
  }
  for (const key of Object.keys(project)) if (!used.project.includes(key) && !(key === 'plugins' && scripts.length > 0)) note(['project', key])
  for (const key of Object.keys(site)) if (!used.site.includes(key)) note(['site', key])
  for (const key of Object.keys(asRecord(site['options']))) if (!used.options.includes(key)) note(['site', 'options', key])
  return messages
}

function noteAt(layer: ConfigLayer, path: KeyPath, why: string): Message {
  return createMessage(
    'myst-key-supported',
    layer.file.display,
    layer.at(path),
    `\`${path.join('.')}\` in ${layer.file.path} ${why}`,
    'MyST\'s own build still reads it; this generator goes on without it.',
  )
}

/** Merge the layers and read them into our configuration; MyST's own settings go into `project`. */
function readConfig(layers: ConfigLayer[], messages: Message[], files: ReadonlyMap<string, SourceFile>): MystConfig {
  const merged = mergeLayers(layers)
  const { project, site, options } = merged
  // A note about a merged key points at the file that wrote it.
  const layerOf = (path: KeyPath) => merged.origin.get(path.slice(0, path[0] === 'site' && path[1] === 'options' ? 3 : 2).join('.')) ?? layers[0]!
  const note = (path: KeyPath, why: string) => messages.push(noteAt(layerOf(path), path, why))

  const config: Record<string, unknown> = {}
  const put = (key: string, value: unknown) => {
    if (value !== undefined) config[key] = value
  }
  put('title', text(project['title']) ?? text(site['title']))
  put('subtitle', text(project['subtitle']))
  put('description', text(project['description']))
  put('date', dateOf(project['date']))
  put('authors', authorsOf(project['authors'], project['affiliations']))
  put('license', licenseOf(project['license']))
  put('funder', fundingOf(project['funding']))
  put('repository', githubOf(project['github']))
  put('doi', text(project['doi'])?.replace(/^https?:\/\/(dx\.)?doi\.org\//, ''))
  put('keywords', list(project['keywords']))
  put('thumbnail', text(project['thumbnail']))
  put('bibliography', list(project['bibliography']))
  put('downloads', downloadsOf(project['downloads']))
  put('full_report', articlesOf(project['exports']))
  put('language', text(project['language']))
  put('logo', text(options['logo']))
  put('logo_dark', text(options['logo_dark']))
  put('favicon', text(options['favicon']))

  // The toc: myst.yml's (or a file it extends), else Jupyter Book's `_toc.yml`, as MyST reads them.
  const legacy = files.get('_toc.yml')
  let tocFile: SourceFile | undefined
  if (project['toc'] !== undefined) {
    put('toc', tocOf(project['toc'], ['project', 'toc'], note))
    tocFile = layerOf(['project', 'toc']).file
    if (legacy) {
      messages.push(
        createMessage(
          'toc-defined-once',
          legacy.display,
          { line: 1, column: 1 },
          `This Jupyter Book table of contents is not read: ${tocFile.path} has a \`toc\`, which MyST uses instead`,
          'Delete _toc.yml, or move its entries into the `toc` of myst.yml.',
        ),
      )
    }
  } else if (legacy) {
    const read = readLegacyToc(legacy)
    messages.push(...read.messages)
    if (read.toc) {
      put('toc', read.toc)
      tocFile = legacy
    }
  }

  const mystProject: MystProject = {
    math: stringMap(project['math'], ['project', 'math'], note, (v) => text(v) ?? text(asRecord(v)['macro'])),
    abbreviations: stringMap(project['abbreviations'], ['project', 'abbreviations'], note, (v) => (v === null ? null : text(v))),
    exclude: list(project['exclude']) ?? [],
    references: referencesOf(project['references'], note),
  }

  // What does not fit our schema is left out, each with a note at its line.
  for (let attempt = 0; attempt < 20; attempt++) {
    const result = reportSchema.safeParse(config)
    if (result.success) return { value: result.data, messages, project: mystProject, tocFile }
    const issue = result.error.issues[0]!
    const key = String(issue.path[0] ?? '')
    const source = keyFor(key)
    note(source, `cannot be used (${issue.message}), so it is left out`)
    delete config[key]
  }
  return { value: {}, messages, project: mystProject, tocFile }
}

/** A map of names to text (`project.math`, `project.abbreviations`); an entry that is not one is noted and left out, and `null` leaves a name out quietly. */
function stringMap(
  value: unknown,
  path: KeyPath,
  note: (path: KeyPath, why: string) => void,
  read: (value: unknown) => string | null | undefined,
): Record<string, string> {
  if (value === undefined) return {}
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    note(path, 'is not a map of names to their text, so it is left out')
    return {}
  }
  const map: Record<string, string> = {}
  for (const [name, raw] of Object.entries(value)) {
    const written = read(raw)
    if (typeof written === 'string') map[name] = written
    else if (written === undefined) note([...path, name], 'is not text, so it is left out')
  }
  return map
}

/** Where each ReportConfig key comes from in myst.yml, for messages. */
function keyFor(key: string): string[] {
  const sources: Record<string, string[]> = {
    funder: ['project', 'funding'],
    repository: ['project', 'github'],
    full_report: ['project', 'exports'],
    logo: ['site', 'options', 'logo'],
    logo_dark: ['site', 'options', 'logo_dark'],
    favicon: ['site', 'options', 'favicon'],
  }
  return sources[key] ?? ['project', key]
}

function tocOf(value: unknown, path: KeyPath, note: (path: KeyPath, why: string) => void): TocEntry[] {
  if (!Array.isArray(value)) {
    note(path, 'is not a list of entries, so the files are published in path order')
    return []
  }
  const entries: TocEntry[] = []
  value.forEach((raw, i) => {
    const entry = asRecord(raw)
    const title = text(entry['title'])
    const children = entry['children'] === undefined ? undefined : tocOf(entry['children'], [...path, i, 'children'], note)
    const file = text(entry['file'])
    const url = text(entry['url'])
    const pattern = text(entry['pattern'])
    if (file) entries.push({ file, ...(title && { title }), ...(children && children.length > 0 && { children }) })
    else if (url) entries.push({ url, ...(title && { title }) })
    else if (pattern) entries.push({ pattern })
    else if (title && children) entries.push({ title, children })
    else note([...path, i], 'is neither a file, a url, a pattern nor a titled part with children, so it is skipped')
  })
  return entries
}

/** `name: https://…` or `name: {url: https://…, kind: …}`, as MyST reads them; the address without its last slash. */
function referencesOf(value: unknown, note: (path: (string | number)[], why: string) => void): Record<string, string> {
  const references: Record<string, string> = {}
  if (value === undefined) return references
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    note(['project', 'references'], 'is not a mapping of names to addresses, so `xref:` links name no project')
    return references
  }
  for (const [name, raw] of Object.entries(value)) {
    const url = text(raw) ?? text(asRecord(raw)['url'])
    if (!/^[A-Za-z0-9_-]+$/.test(name)) note(['project', 'references', name], 'is not a name of letters, digits, `-` and `_`, so it is left out')
    else if (url === undefined || !/^https?:\/\/[^/]/i.test(url) || !URL.canParse(url)) note(['project', 'references', name], 'is not a full http(s) address, so it is left out')
    else references[name] = url.replace(/\/+$/, '')
  }
  return references
}

function authorsOf(value: unknown, affiliations: unknown): unknown {
  const names = new Map<string, string>()
  for (const raw of Array.isArray(affiliations) ? affiliations : []) {
    const a = asRecord(raw)
    const id = text(a['id'])
    const name = text(a['name']) ?? text(a['institution'])
    if (id && name) names.set(id, name)
  }
  const people = typeof value === 'string' ? [value] : Array.isArray(value) ? value : []
  if (people.length === 0) return undefined
  return people.map((raw) => {
    if (typeof raw === 'string') return { name: raw }
    const person = asRecord(raw)
    const nameField = person['name']
    const nameParts = asRecord(nameField)
    const name =
      text(nameField) ?? text(nameParts['literal']) ?? ([text(nameParts['given']), text(nameParts['family'])].filter(Boolean).join(' ') || undefined)
    const affiliationList = (typeof person['affiliations'] === 'string' ? [person['affiliations']] : Array.isArray(person['affiliations']) ? person['affiliations'] : [])
      .map((a: unknown) => (typeof a === 'string' ? (names.get(a) ?? a) : (text(asRecord(a)['name']) ?? text(asRecord(a)['institution']))))
      .filter((a): a is string => a !== undefined)
    const orcid = text(person['orcid'])?.replace(/^https?:\/\/orcid\.org\//, '')
    return {
      name,
      ...(orcid && { orcid }),
      ...(affiliationList.length > 0 && { affiliations: affiliationList }),
      ...(text(person['email']) && { email: text(person['email']) }),
      ...(text(person['url']) && { url: text(person['url']) }),
    }
  })
}

function licenseOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined
  const content = asRecord(value)['content']
  return text(content) ?? text(asRecord(content)['id'])
}

function fundingOf(value: unknown): string | undefined {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value]
  const parts = items.flatMap((raw): string[] => {
    if (typeof raw === 'string') return [raw.trim()]
    const item = asRecord(raw)
    const statement = text(item['statement'])
    if (statement) return [statement]
    const awards = Array.isArray(item['awards']) ? item['awards'] : []
    return awards.flatMap((award: unknown) => {
      const a = asRecord(award)
      const sources = (Array.isArray(a['sources']) ? a['sources'] : [a['source']]).map((s: unknown) => text(s) ?? text(asRecord(s)['name']))
      return [[...sources.filter(Boolean), text(a['name']), text(a['id'])].filter(Boolean).join(', ')].filter((p) => p !== '')
    })
  })
  return parts.length > 0 ? parts.join('; ') : undefined
}

function githubOf(value: unknown): string | undefined {
  const repo = text(value)
  if (!repo) return undefined
  return /^https?:\/\//.test(repo) ? repo : `https://github.com/${repo.replace(/^github\.com\//, '')}`
}

function downloadsOf(value: unknown): unknown {
  if (!Array.isArray(value)) return undefined
  const downloads = value.flatMap((raw): ({ title: string; file: string } | { title: string; url: string })[] => {
    const d = asRecord(raw)
    const file = text(d['file'])
    const url = text(d['url'])
    const title = text(d['title']) ?? (file ?? url)?.split('/').pop()
    if (!title) return []
    return file ? [{ title, file }] : url ? [{ title, url }] : []
  })
  return downloads.length > 0 ? downloads : undefined
}

/** The article list of the first PDF export: the chapters of our full report. */
function articlesOf(value: unknown): string[] | undefined {
  const exports = Array.isArray(value) ? value : value === undefined ? [] : [value]
  const pdf = exports.map(asRecord).find((e) => ['pdf', 'typst', 'tex', 'pdf+tex', 'pdf+typst'].includes(String(e['format'] ?? '')))
  if (!pdf) return undefined
  const raw = pdf['articles'] ?? pdf['article']
  const articles = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw])
    .map((a: unknown) => text(a) ?? text(asRecord(a)['file']))
    .filter((a): a is string => a !== undefined)
  return articles.length > 0 ? articles : undefined
}

function dateOf(value: unknown): string | undefined {
  const written = text(value)
  if (!written) return undefined
  if (/^\d{4}-\d{2}-\d{2}$/.test(written)) return written
  const parsed = new Date(`${written}${/^\d{4}(-\d{2})?$/.test(written) ? '' : ' UTC'}`)
  return Number.isNaN(parsed.getTime()) ? written : parsed.toISOString().slice(0, 10)
}

function list(value: unknown): string[] | undefined {
  const items = (typeof value === 'string' ? [value] : Array.isArray(value) ? value : []).map(text).filter((v): v is string => v !== undefined)
  return items.length > 0 ? items : undefined
}

function text(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value)
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}

/** The JavaScript files among MyST's `project.plugins` (`- plugin.mjs`, or `- {type: javascript, path: plugin.mjs}`), with their places in the list. */
function mystScriptPlugins(value: unknown): [number, string][] {
  if (!Array.isArray(value)) return []
  return value.flatMap((item: unknown, i): [number, string][] => {
    const entry = asRecord(item)
    const name = typeof item === 'string' ? item : typeof entry['path'] === 'string' && (entry['type'] ?? 'javascript') === 'javascript' ? entry['path'] : undefined
    return name !== undefined && /\.(?:m?js|cjs|ts)$/i.test(name) ? [[i, name]] : []
  })
}
