// Read the project's BibTeX files into CSL items with citation-js, and its
// citation style. Pure: the loader has read the files; here we only parse
// what it read. `references.bib` is used when the configuration names no
// files; a named file that is missing is an error at the configuration line.

import type { CslItem } from '@citation-js/core'
import { locateSnippet } from '../config/yaml.js'
import type { SourceFile } from '../load/files.js'
import { createMessage, type Message, type Place } from '../messages.js'
import { hintFor } from '../suggest.js'
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
  const missing = (name: string, what: string) =>
    messages.push(
      createMessage(
        'bibliography-file-exists',
        input.config?.display ?? name,
        input.config ? locateSnippet(input.config.text, name) : undefined,
        `The ${what} \`${name}\` is not in the content folder`,
        hintFor(name, byPath.keys(), 'Paths are relative to the content folder.'),
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

function parseBibtex(file: SourceFile, messages: Message[]): BibEntry[] {
  const { Cite, logger } = citationJs()
  let items: CslItem[]
  try {
    items = new Cite(file.text, { forceType: '@biblatex/text' }).data
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error)
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
  return items.map((item) => {
    const key = String(item['citation-key'] ?? item.id)
    const cleaned: CslItem = { ...item, id: key }
    delete cleaned['_graph']
    // biblatex writes kinds of report and thesis as localisation keys (`techreport`); styles print words.
    const genre = typeof cleaned['genre'] === 'string' ? genres[cleaned['genre'].toLowerCase()] : undefined
    if (genre) cleaned['genre'] = genre
    return { key, item: cleaned, file: file.display, place: keyPlace(file.text, key) }
  })
}

const genres: Record<string, string> = {
  techreport: 'Technical report',
  resreport: 'Research report',
  mathesis: "Master's thesis",
  phdthesis: 'Doctoral dissertation',
  candthesis: 'Candidate thesis',
}

function keyPlace(text: string, key: string): Place {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const match = new RegExp(`@\\w+\\s*[{(]\\s*${escaped}\\s*,`).exec(text)
  if (!match) return { line: 1, column: 1 }
  const before = text.slice(0, match.index).split(/\r\n|\r|\n/)
  return { line: before.length, column: before.at(-1)!.length + 1 }
}

const registered = new Map<string, string>()

/** Register a CSL style under a name made from its text, so an edited style is never taken from citation-js's cache. */
function registerStyle(file: SourceFile, messages: Message[]): string | undefined {
  if (!/<style[\s>][\s\S]*<citation[\s>][\s\S]*<bibliography[\s>]/.test(file.text)) {
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
