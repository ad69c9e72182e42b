// Jupyter Book 1's configuration, which MyST still reads: `_toc.yml` (formats
// `jb-book` and `jb-article`) when the project has no `toc`, and `_config.yml`
// for a book that has no myst.yml yet. Both become what myst.yml would say, so
// the rest of the build does not know where they came from.

import type { SourceFile } from '../load/files.js'
import { createMessage, type Message } from '../messages.js'
import type { TocEntry } from './report.js'
import { asRecord, yamlLayer, type ConfigLayer, type KeyPath } from './layers.js'

/** A `_toc.yml` as MyST's toc, or the problems that keep it from being one (then the files are listed in path order, as MyST does). */
export function readLegacyToc(file: SourceFile): { toc: TocEntry[] | undefined; messages: Message[] } {
  const read = yamlLayer(file, file.path)
  if (!read.layer) return { toc: undefined, messages: read.messages }
  const { data, at } = read.layer
  const messages: Message[] = []
  const problem = (path: KeyPath, reason: string, hint: string) => messages.push(createMessage('legacy-toc-valid', file.display, at(path), reason, hint))
  const format = data['format']
  if (format !== 'jb-book' && format !== 'jb-article') {
    problem(
      ['format'],
      format === undefined ? 'This table of contents has no `format`, so it is not read' : `The format \`${String(format)}\` is not one MyST reads, so this table of contents is not read`,
      'Start the file with `format: jb-book` (chapters or parts) or `format: jb-article` (sections).',
    )
    return { toc: undefined, messages }
  }
  const root = typeof data['root'] === 'string' && data['root'].trim() !== '' ? data['root'].trim() : undefined
  if (!root) {
    problem(['root'], 'This table of contents has no `root`, the file of its first page, so it is not read', 'Add `root: index` (the first page, without its extension).')
    return { toc: undefined, messages }
  }
  const lists = (['sections', 'chapters', 'parts'] as const).filter((key) => data[key] !== undefined)
  if (lists.length !== 1) {
    problem(
      lists.length > 1 ? [lists[1]!] : ['root'],
      lists.length > 1 ? `This table of contents has both \`${lists[0]}\` and \`${lists[1]}\`, so it is not read` : 'This table of contents lists nothing after its root, so it is not read',
      format === 'jb-book' ? 'Give the book either `chapters` or `parts` (each with a `caption` and `chapters`).' : 'Give the article its `sections`.',
    )
    return { toc: undefined, messages }
  }
  const entries = (value: unknown, path: KeyPath): TocEntry[] => {
    if (!Array.isArray(value)) {
      problem(path, `\`${path.join('.')}\` is not a list, so what it holds is left out`, 'Write each entry on its own line, starting with `- file:`.')
      return []
    }
    return value.flatMap((raw: unknown, i): TocEntry[] => {
      const entry = asRecord(raw)
      const here = [...path, i]
      const title = text(entry['title'])
      const file = text(entry['file'])
      const url = text(entry['url'])
      const glob = text(entry['glob'])
      const children = entry['sections'] === undefined ? undefined : entries(entry['sections'], [...here, 'sections'])
      if (file) return [{ file, ...(title && { title }), ...(children && children.length > 0 && { children }) }]
      if (url) return [{ url, ...(title && { title }) }]
      if (glob) return [{ pattern: glob }]
      problem(here, 'This entry has no `file`, `url` or `glob`, so it is left out', 'Name the page with `- file: path/without-extension`.')
      return []
    })
  }
  const list = lists[0]!
  const parts = (value: unknown): TocEntry[] => {
    if (!Array.isArray(value)) return entries(value, ['parts'])
    return value.flatMap((raw: unknown, i): TocEntry[] => {
      const part = asRecord(raw)
      const children = entries(part['chapters'] ?? [], ['parts', i, 'chapters'])
      const caption = text(part['caption'])
      // A part without a caption is its chapters, one after another.
      return caption ? [{ title: caption, children }] : children
    })
  }
  const rest = list === 'parts' ? parts(data['parts']) : entries(data[list], [list])
  return { toc: [{ file: root }, ...rest], messages }
}

/** Keys of `_config.yml`, and where each goes in myst.yml. */
const configKeys: Record<string, KeyPath> = {
  title: ['project', 'title'],
  author: ['project', 'authors'],
  logo: ['site', 'options', 'logo'],
  exclude_patterns: ['project', 'exclude'],
  bibtex_bibfiles: ['project', 'bibliography'],
  'html.favicon': ['site', 'options', 'favicon'],
  'repository.url': ['project', 'github'],
}

/**
 * A Jupyter Book 1 `_config.yml` as a layer of myst.yml, as `myst init` would write it: title, authors,
 * logo, favicon, excluded files, repository and bibliography. Other keys are noted, as myst.yml's are.
 */
export function jupyterBookLayer(file: SourceFile): { layer?: ConfigLayer; messages: Message[] } {
  const read = yamlLayer(file, file.path)
  if (!read.layer) return read
  const source = read.layer
  const messages: Message[] = []
  const project: Record<string, unknown> = {}
  const options: Record<string, unknown> = {}
  const from = new Map<string, KeyPath>()
  const set = (target: KeyPath, value: unknown, written: KeyPath) => {
    if (value === undefined || value === null) return
    const into = target[0] === 'site' ? options : project
    into[String(target.at(-1))] = value
    from.set(target.join('.'), written)
  }
  for (const [key, value] of Object.entries(source.data)) {
    if (key === 'html' || key === 'repository') {
      for (const [inner, innerValue] of Object.entries(asRecord(value))) {
        const target = configKeys[`${key}.${inner}`]
        if (target) set(target, innerValue, [key, inner])
        else note(messages, source, [key, inner])
      }
      continue
    }
    const target = configKeys[key]
    if (!target) {
      note(messages, source, [key])
      continue
    }
    // MyST splits the author line at commas and "and".
    if (key === 'author' && typeof value === 'string') set(target, value.split(/,\s*(?:and\s)?\s*|\s+and\s+/).filter(Boolean), [key])
    else set(target, value, [key])
  }
  const github = text(project['github'])?.match(/github\.com[:/](.+?)(?:\.git)?\/?$/)?.[1]
  if (project['github'] !== undefined) project['github'] = github
  const layer: ConfigLayer = {
    file,
    data: { project, site: { options } },
    at: (path) => {
      for (let depth = path.length; depth > 0; depth--) {
        const written = from.get(path.slice(0, depth).join('.'))
        if (written) return source.at([...written, ...path.slice(depth)])
      }
      return source.at([])
    },
  }
  return { layer, messages }
}

function note(messages: Message[], layer: ConfigLayer, path: KeyPath): void {
  messages.push(
    createMessage(
      'myst-key-supported',
      layer.file.display,
      layer.at(path),
      `\`${path.join('.')}\` in ${layer.file.path} is not used by this generator`,
      'Jupyter Book still reads it; this generator goes on without it.',
    ),
  )
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}
