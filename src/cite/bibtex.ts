// Read the project's BibTeX files into CSL items with citation-js, and its
// citation style. Pure: the loader has read the files; here we only parse
// what it read. `references.bib` is used when the configuration names no
// files; a named file that is missing is an error at the configuration line.

import type { CslItem } from '@citation-js/core'
import { boundedSearch, valuePlaces } from '../config/yaml.js'
import type { SourceFile } from '../load/files.js'
import { createMessage, type Message, type Place } from '../messages.js'
import { hintFor, suggestionsFrom, type Suggestions } from '../suggest.js'
import { citationJs } from './citationjs.js'

export interface BibEntry {
  key: string
  item: CslItem
  /** The file it comes from, as shown in messages, and where its key is written. */
  file: string
  place: Place
}

export interface Bibliography {
  entries: Map<string, BibEntry>
  /** Name of the citation style registered with citation-js. */
  style: string
  /** CSL locale, such as `en-US`. */
  locale: string
  messages: Message[]
}

export interface BibliographyInput {
  /** Every .bib and .csl file of the project. */
  files: readonly SourceFile[]
  /** Files named in the configuration; default: `references.bib` when there is one. */
  names: string[] | undefined
  /** A CSL style file named in the configuration; default: APA. */
  style: string | undefined
  /** The report's language, such as `en` or `en-GB`; default: en-US. */
  language: string | undefined
  /** The configuration file, for the place of a name that cannot be found. */
  config: SourceFile | undefined
}

export function readBibliography(input: BibliographyInput): Bibliography {
  const messages: Message[] = []
  const byPath = new Map(input.files.map((f) => [f.path, f]))
  // Found once for all the names: the configuration may name thousands of files.
  let places: Map<string, Place> | undefined
  let suggestions: Suggestions | undefined
  const search = input.config ? boundedSearch(input.config.text) : undefined
  const missing = (name: string, what: string) =>
    messages.push(
      createMessage(
        'bibliography-file-exists',
        input.config?.display ?? name,
        input.config ? ((places ??= valuePlaces(input.config.text)).get(name) ?? search!(name)) : undefined,
        `The ${what} \`${name}\` is not in the content folder`,
        hintFor(name, (suggestions ??= suggestionsFrom(byPath.keys())), 'Paths are relative to the content folder.'),
      ),
    )

  const names = input.names ?? (byPath.has('references.bib') ? ['references.bib'] : [])
  const entries = new Map<string, BibEntry>()
  for (const name of names) {
    const file = byPath.get(name.replace(/^\.\//, ''))
    if (!file) {
      missing(name, 'bibliography file')
      continue
    }
    for (const entry of parseBibtex(file, messages)) {
      const earlier = entries.get(entry.key)
      if (earlier) {
        messages.push(
          createMessage(
            'bibliography-key-unique',
            entry.file,
            entry.place,
            `The key \`${entry.key}\` is already used at ${earlier.file}:${earlier.place.line}:${earlier.place.column}; this entry is ignored`,
            'Give each entry its own key, or delete the repeated one.',
          ),
        )
        continue
      }
      entries.set(entry.key, entry)
    }
  }

  let style = 'apa'
  if (input.style !== undefined) {
    const file = byPath.get(input.style.replace(/^\.\//, ''))
    if (!file) missing(input.style, 'citation style')
    else style = registerStyle(file, messages) ?? style
  }
  // Without entries there is nothing to format, and citation-js need not even be loaded.
  return { entries, style, locale: entries.size > 0 ? localeFor(input.language) : 'en-US', messages }
}

/** Characters a .bib file may have: a large bibliography with abstracts. */
export const maxBibLength = 8 * 1024 * 1024

/** Characters a .bib file's fields may have with `@string` macros expanded: twice the file, and this many more. */
export const macroAllowance = 64 * 1024

interface BibtexEntry {
  label: string
  properties: Record<string, unknown>
  annotations?: Record<string, Record<string, unknown>>
}

function parseBibtex(file: SourceFile, messages: Message[]): BibEntry[] {
  if (file.text.length > maxBibLength) {
    messages.push(
      createMessage(
        'content-size-within-limit',
        file.display,
        placeAt(file.text, maxBibLength),
        `This BibTeX file has ${millions(file.text.length)}; fieldnotes reads at most ${millions(maxBibLength)}, and this line is past the limit`,
        'Keep only the entries the report cites, or split the file and name the parts under `bibliography`.',
      ),
    )
    return []
  }
  const { Cite, logger, plugins } = citationJs()
  let items: CslItem[]
  try {
    // Read the file into entries first: `@string` macros are expanded there, and a macro
    // that repeats another (`@string{b = a # a}`) doubles at each step. Measuring the
    // expanded fields costs nothing, since joined strings are not copied until used.
    const entries = plugins.input.data(file.text, '@biblatex/text') as BibtexEntry[]
    const over = expandedPast(entries, 2 * file.text.length + macroAllowance)
    if (over !== undefined) {
      messages.push(expansionMessage(file, over))
      return []
    }
    items = new Cite(entries, { forceType: '@biblatex/entries+list' }).data
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error)
    // A macro expanded past the longest string JavaScript can hold.
    if (error instanceof RangeError && /string length/i.test(text)) {
      messages.push(expansionMessage(file, undefined))
      return []
    }
    const at = /at line (\d+) col (\d+)/.exec(text)
    messages.push(
      createMessage(
        'bibtex-valid',
        file.display,
        at ? { line: Number(at[1]), column: Number(at[2]) } : undefined,
        `This BibTeX file cannot be read: ${text.split('\n')[0]}`,
        'Check the entry before this place: every `{` needs its `}`, and fields are separated by commas.',
      ),
    )
    return []
  } finally {
    // citation-js keeps a log of everything it parsed; a long dev session would keep it forever.
    logger._log.length = 0
  }
  const places = keyPlaces(file.text)
  return items.map((item) => {
    const key = String(item['citation-key'] ?? item.id)
    const cleaned: CslItem = { ...item, id: key }
    delete cleaned['_graph']
    // biblatex writes kinds of report and thesis as localisation keys (`techreport`); styles print words.
    const genre = typeof cleaned['genre'] === 'string' ? genres[cleaned['genre'].toLowerCase()] : undefined
    if (genre) cleaned['genre'] = genre
    return { key, item: cleaned, file: file.display, place: places.get(key) ?? { line: 1, column: 1 } }
  })
}

/** The first entry at which the fields, macros expanded, pass `limit` characters in all, and their length there. */
function expandedPast(entries: BibtexEntry[], limit: number): { label: string; length: number } | undefined {
  let total = 0
  const add = (value: unknown) => {
    if (typeof value === 'string') total += value.length
    else if (value && typeof value === 'object') for (const inner of Object.values(value)) add(inner)
  }
  for (const entry of entries) {
    add(entry.properties)
    add(entry.annotations)
    if (total > limit) return { label: entry.label, length: total }
  }
  return undefined
}

function expansionMessage(file: SourceFile, over: { label: string; length: number } | undefined): Message {
  const limit = 2 * file.text.length + macroAllowance
  return createMessage(
    'content-size-within-limit',
    file.display,
    over === undefined ? undefined : keyPlaces(file.text).get(over.label),
    over === undefined
      ? `The \`@string\` macros of this BibTeX file expand past the longest text fieldnotes can hold`
      : `With its \`@string\` macros expanded, this BibTeX file's fields come to ${over.length.toLocaleString('en')} characters by the entry \`${over.label}\`; macros may make them at most ${limit.toLocaleString('en')} (twice the file, and ${macroAllowance.toLocaleString('en')} more)`,
    'Write the text out instead of building it from macros that repeat other macros (`@string{b = a # a}` doubles `a`).',
  )
}

const genres: Record<string, string> = {
  techreport: 'Technical report',
  resreport: 'Research report',
  mathesis: "Master's thesis",
  phdthesis: 'Doctoral dissertation',
  candthesis: 'Candidate thesis',
}

/** Where each entry's key is written, found in one pass over the file (the first entry of a key wins). */
function keyPlaces(text: string): Map<string, Place> {
  const places = new Map<string, Place>()
  let line = 1
  let lineStart = 0
  let counted = 0
  for (const match of text.matchAll(/@\w+[ \t\r\n]*[{(][ \t\r\n]*([^,\s]+)[ \t\r\n]*,/g)) {
    for (let i = text.indexOf('\n', counted); i >= 0 && i < match.index; i = text.indexOf('\n', i + 1)) {
      line++
      lineStart = i + 1
    }
    counted = match.index
    if (!places.has(match[1]!)) places.set(match[1]!, { line, column: match.index - lineStart + 1 })
  }
  return places
}

function placeAt(text: string, offset: number): Place {
  let line = 1
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++
  return { line, column: 1 }
}

function millions(length: number): string {
  return `${(length / 1_000_000).toFixed(1)} million characters`
}

/** Characters a CSL style may have; the longest in the Zotero repository have a few hundred thousand. */
export const maxStyleLength = 1024 * 1024

/** Whether each pattern is found after the one before it: one pass, where `a[\\s\\S]*b` would backtrack. */
function inOrder(text: string, patterns: RegExp[]): boolean {
  let from = 0
  for (const pattern of patterns) {
    pattern.lastIndex = from
    const match = pattern.exec(text)
    if (!match) return false
    from = match.index + match[0].length
  }
  return true
}

const registered = new Map<string, string>()

/** Register a CSL style under a name made from its text, so an edited style is never taken from citation-js's cache. */
function registerStyle(file: SourceFile, messages: Message[]): string | undefined {
  if (file.text.length > maxStyleLength) {
    messages.push(
      createMessage(
        'content-size-within-limit',
        file.display,
        placeAt(file.text, maxStyleLength),
        `This citation style has ${millions(file.text.length)}; fieldnotes reads styles of at most ${millions(maxStyleLength)}, so APA is used`,
        'Download the style again from the Zotero style repository; no style is this long.',
      ),
    )
    return undefined
  }
  if (!inOrder(file.text, [/<style[\s>]/g, /<citation[\s>]/g, /<bibliography[\s>]/g])) {
    messages.push(
      createMessage(
        'citation-style-valid',
        file.display,
        undefined,
        'This file is not a CSL style with a citation and a bibliography layout, so APA is used',
        'Download the style from the Zotero style repository, or remove `citation_style` to use APA.',
      ),
    )
    return undefined
  }
  const known = registered.get(file.text)
  if (known) return known
  const name = `fieldnotes-style-${hash(file.text)}`
  const { styles } = citationJs().plugins.config.get('@csl')
  if (!styles.has(name)) styles.add(name, file.text)
  registered.set(file.text, name)
  return name
}

function localeFor(language: string | undefined): string {
  if (!language) return 'en-US'
  const { locales } = citationJs().plugins.config.get('@csl')
  if (locales.has(language)) return language
  const prefix = language.split('-')[0]!.toLowerCase()
  return locales.list().find((l) => l.toLowerCase().startsWith(`${prefix}-`)) ?? 'en-US'
}

function hash(text: string): string {
  let h = 2166136261
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619)
  return (h >>> 0).toString(36)
}
