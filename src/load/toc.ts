// Decide which markdown files are chapters, in what order and under which
// parts: from report.yml's `toc` when there is one, else every file in path
// order with index.md first.

import type { TocEntry } from '../config/report.js'
import { boundedSearch, locateSnippet } from '../config/yaml.js'
import { createMessage, type Message, type Place } from '../messages.js'
import { generatedPageAt, reservedSlug } from '../reserved.js'
import { didYouMean, suggestionsFrom, type Suggestions } from '../suggest.js'
import type { SourceFile } from './files.js'

export interface Chapter {
  source: SourceFile
  /** URL path without slashes at either end: `themes/learners`, or `` for the landing page. */
  slug: string
  /** Titles of the parts this chapter sits in, outermost first. */
  parts: string[]
  /** Title given in the toc entry, which wins over the chapter's own. */
  tocTitle: string | undefined
}

export type ContentsNode =
  | { kind: 'chapter'; slug: string }
  /** A part; in MyST projects a part can be a chapter itself (a `file` with `children`), whose slug it then has. */
  | { kind: 'part'; title: string; children: ContentsNode[]; slug?: string }
  | { kind: 'link'; title: string; url: string }

export interface ContentsPlan {
  chapters: Chapter[]
  tree: ContentsNode[]
  messages: Message[]
}


export function slugOf(path: string): string {
  return path.replace(/\.md$|\.ipynb$/i, '').replace(/(^|\/)index$/, '').replace(/\/$/, '')
}

export interface PlanOptions {
  /**
   * `myst`: the first chapter is the landing page whatever its name, files the
   * toc leaves out are quietly left out (MyST's own rule), and without a toc
   * files whose name starts with `_` are left out. Default: `report`.
   */
  dialect?: 'report' | 'myst'
  /**
   * Patterns of files to leave out (MyST's `project.exclude`): not listed without a toc, and not matched
   * by a toc's patterns; a file the toc names is still read, as in MyST. Default: none.
   */
  exclude?: readonly string[]
}

export function planContents(
  files: SourceFile[],
  toc: TocEntry[] | undefined,
  report: SourceFile | undefined,
  options: PlanOptions = {},
): ContentsPlan {
  const myst = options.dialect === 'myst'
  const excluded = excludedBy(options.exclude ?? [])
  const messages: Message[] = []
  const byPath = new Map(files.map((f) => [f.path, f]))
  const chapters: Chapter[] = []
  const seen = new Map<string, Chapter>()

  const add = (source: SourceFile, parts: string[], tocTitle: string | undefined): ContentsNode => {
    const chapter: Chapter = { source, slug: slugOf(source.path), parts, tocTitle }
    chapters.push(chapter)
    seen.set(source.path, chapter)
    return { kind: 'chapter', slug: chapter.slug }
  }

  let tree: ContentsNode[]
  if (toc && report) {
    const occurrences = new Map<string, number>()
    const places = filePlaces(report.text)
    const search = boundedSearch(report.text)
    let patterns = 0
    let suggestions: Suggestions | undefined
    const walk = (entries: TocEntry[], parts: string[]): ContentsNode[] => {
      const nodes: ContentsNode[] = []
      for (const entry of entries) {
        if ('url' in entry) {
          nodes.push({ kind: 'link', title: entry.title ?? entry.url, url: entry.url })
          continue
        }
        if ('pattern' in entry) {
          // Each pattern is tried on every file: a toc of thousands of them would try millions.
          if (++patterns > maxPatterns) {
            if (patterns === maxPatterns + 1) {
              messages.push(
                createMessage(
                  'content-size-within-limit',
                  report.display,
                  locateSnippet(report.text, entry.pattern),
                  `The toc has more than ${maxPatterns} patterns; this one and those after it are left out`,
                  'List fewer patterns: one pattern such as `chapters/**/*.md` can take a whole folder.',
                ),
              )
            }
            continue
          }
          const matches = globMatcher(entry.pattern.replace(/^\.\//, ''))
          for (const source of files) if (matches(source.path) && !seen.has(source.path) && !excluded(source.path)) nodes.push(add(source, parts, undefined))
          continue
        }
        if (!('file' in entry)) {
          nodes.push({ kind: 'part', title: entry.title, children: walk(entry.children, [...parts, entry.title]) })
          continue
        }
        const file = entry.file.replace(/^\.\//, '')
        const occurrence = (occurrences.get(file) ?? 0) + 1
        occurrences.set(file, occurrence)
        const at = places.get(entry.file)?.[occurrence - 1] ?? search(entry.file, occurrence)
        // MyST finds a file named without its extension as markdown first, then as a notebook.
        const source = byPath.get(file) ?? byPath.get(`${file}.md`) ?? (myst ? byPath.get(`${file}.ipynb`) : undefined)
        if (!source && myst && /\.(tex|myst\.json)$/i.test(file)) {
          messages.push(
            createMessage(
              'toc-file-supported',
              report.display,
              at,
              `The toc lists \`${entry.file}\`; fieldnotes reads MyST markdown and notebooks only, so it is left out of the site`,
              'Write the page in MyST markdown, or as a notebook, and list that instead.',
            ),
          )
          continue
        }
        if (!source) {
          const suggestion = didYouMean(file, (suggestions ??= suggestionsFrom(byPath.keys())))
          messages.push(
            createMessage(
              'toc-file-exists',
              report.display,
              at,
              `The toc lists \`${entry.file}\`, but there is no such file in the content folder`,
              suggestion ? `Fix the path: ${suggestion}` : 'Create the file, or remove the entry from the toc.',
            ),
          )
          continue
        }
        if (seen.has(source.path)) {
          messages.push(
            createMessage(
              'toc-file-unique',
              report.display,
              at,
              `The toc lists \`${entry.file}\` more than once`,
              'A chapter can appear once; remove the repeated entry.',
            ),
          )
          continue
        }
        const chapter = add(source, parts, entry.title)
        if (entry.children && entry.children.length > 0 && chapter.kind === 'chapter') {
          // A chapter with chapters under it: a part that is also a page.
          const title = entry.title ?? writtenTitle(source)
          nodes.push({ kind: 'part', title, slug: chapter.slug, children: walk(entry.children, [...parts, title]) })
        } else nodes.push(chapter)
      }
      return nodes
    }
    tree = walk(toc, [])
    for (const file of files) {
      if (seen.has(file.path) || myst) continue
      messages.push(
        createMessage(
          'toc-includes-file',
          file.display,
          undefined,
          `This file is not in the toc of ${report.display}, so it is not published`,
          `Add \`- file: ${file.path}\` to the toc, or delete the file.`,
        ),
      )
    }
  } else {
    // A notebook paired with a markdown file of the same name (jupytext) is that page once, as its markdown.
    const paths = new Set(files.map((file) => file.path))
    const paired = (file: SourceFile) => /\.ipynb$/i.test(file.path) && paths.has(file.path.replace(/\.ipynb$/i, '.md'))
    tree = files.filter((file) => !(myst && /(^|\/)_/.test(file.path)) && !paired(file) && !excluded(file.path)).map((file) => add(file, [], undefined))
  }
  // MyST's first page is the project's home page, whatever its file is called.
  const home = chapters[0]
  if (myst && home && home.slug !== '' && !chapters.some((c) => c.slug === '')) {
    renameSlugs(tree, new Map([[home.slug, '']]))
    home.slug = ''
  }

  // A chapter at a generated page's address becomes that page, which the site publishes in lower case:
  // `Findings.md` is the findings page, at /findings/, so two addresses never differ only in case.
  const renamed = new Map<string, string>()
  for (const chapter of chapters) {
    const page = generatedPageAt(chapter.slug)
    if (page !== undefined && page !== chapter.slug) {
      renamed.set(chapter.slug, page)
      chapter.slug = page
    }
  }
  if (renamed.size > 0) renameSlugs(tree, renamed)

  const bySlug = new Map<string, Chapter>()
  for (const chapter of chapters) {
    const reserved = reservedSlug(chapter.slug)
    const other = bySlug.get(chapter.slug)
    if (reserved || other) {
      messages.push(
        createMessage(
          'page-path-unique',
          chapter.source.display,
          undefined,
          reserved
            ? `This chapter would be published at /${chapter.slug}/, ${reserved}`
            : `This chapter and ${other?.source.display} would both be published at /${chapter.slug}/`,
          'Rename the file.',
        ),
      )
    }
    bySlug.set(chapter.slug, chapter)
  }
  return { chapters, tree, messages }
}

/** Give the contents' entries for the chapters in `renamed` (old slug → new) their new slugs. */
function renameSlugs(nodes: ContentsNode[], renamed: ReadonlyMap<string, string>): void {
  for (const node of nodes) {
    if (node.kind === 'link') continue
    const slug = node.slug === undefined ? undefined : renamed.get(node.slug)
    if (slug !== undefined) node.slug = slug
    if (node.kind === 'part') renameSlugs(node.children, renamed)
  }
}

/**
 * A glob as MyST's toc writes them: `*` within a folder, `**` across folders, `?` for one character.
 * Matched by walking the pattern's positions all at once, one character of the path at a time, so that
 * the work is the pattern's length times the path's: as a regular expression, a pattern of many `**`
 * folders backtracked exponentially on a deep path (fourteen of them: 17 seconds for one file).
 */
export function globMatcher(pattern: string): (path: string) => boolean {
  type Step = { kind: 'char'; char: string } | { kind: 'one' } | { kind: 'star' } | { kind: 'folders' } | { kind: 'any' }
  const steps: Step[] = []
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!
    if (ch === '*' && pattern[i + 1] === '*') {
      const folders = pattern[i + 2] === '/'
      // Folders after folders are still folders: one step for a run of them.
      if (!(folders && steps.at(-1)?.kind === 'folders')) steps.push({ kind: folders ? 'folders' : 'any' })
      i += folders ? 2 : 1
    } else if (ch === '*') {
      if (steps.at(-1)?.kind !== 'star') steps.push({ kind: 'star' })
    } else if (ch === '?') steps.push({ kind: 'one' })
    else steps.push({ kind: 'char', char: ch })
  }
  // From each position, those reached without reading a character: past a `*`, `**` or `**/`, which may match nothing.
  const close = (active: boolean[]) => {
    for (let i = 0; i < steps.length; i++) if (active[i] && steps[i]!.kind !== 'char' && steps[i]!.kind !== 'one') active[i + 1] = true
    return active
  }
  return (path) => {
    let active = close(Object.assign(new Array<boolean>(steps.length + 1).fill(false), { 0: true }))
    for (const ch of path) {
      const next = new Array<boolean>(steps.length + 1).fill(false)
      let any = false
      for (let i = 0; i < steps.length; i++) {
        if (!active[i]) continue
        const step = steps[i]!
        if (step.kind === 'char' && step.char === ch) next[i + 1] = true
        else if (step.kind === 'one' && ch !== '/') next[i + 1] = true
        else if (step.kind === 'star' && ch !== '/') next[i] = true
        else if (step.kind === 'any') next[i] = true
        else if (step.kind === 'folders') {
          // `**/` is nothing, or anything that ends with a slash.
          next[i] = true
          if (ch === '/') next[i + 1] = true
        } else continue
        any = true
      }
      if (!any) return false
      active = close(next)
    }
    return active[steps.length] === true
  }
}

/** Whether a path is left out by one of the patterns; a pattern that names a folder leaves out what is in it. */
function excludedBy(patterns: readonly string[]): (path: string) => boolean {
  const matchers = patterns.slice(0, maxPatterns).map((pattern) => {
    const clean = pattern.trim().replace(/^\.\//, '').replace(/\/+$/, '')
    const file = globMatcher(clean)
    const folder = globMatcher(`${clean}/**`)
    return (path: string) => file(path) || folder(path)
  })
  return (path) => matchers.some((matches) => matches(path))
}

/** Patterns a toc may have. */
export const maxPatterns = 100

/** Where each `file:` of the toc is written, in order, found in one pass rather than once for each entry. */
function filePlaces(text: string): Map<string, Place[]> {
  const places = new Map<string, Place[]>()
  text.split('\n').forEach((line, i) => {
    for (const match of line.matchAll(/(?<![\w-])file:[ \t]*(?:"([^"]*)"|'([^']*)'|([^\s,}\]#]+))/g)) {
      const value = match[1] ?? match[2] ?? match[3]!
      const list = places.get(value) ?? []
      list.push({ line: i + 1, column: line.indexOf(value, match.index) + 1 })
      places.set(value, list)
    }
  })
  return places
}

/** A chapter's title as written (front matter `title:` or its first `# ` heading), for a part that is also a page. */
function writtenTitle(source: SourceFile): string {
  // Line by line: as one regular expression over the file, each `---` or long `#` line was searched from again.
  const lines = source.text.split(/\r?\n/)
  const end = lines[0] === '---' ? lines.indexOf('---', 1) : -1
  for (const line of lines.slice(1, Math.max(end, 1))) {
    const title = /^title:\s*["']?(.*)$/.exec(line)?.[1]?.trimEnd().replace(/["']$/, '')
    if (title) return title
  }
  for (const line of lines) {
    if (!/^#\s/.test(line)) continue
    const written = line.slice(1).trim()
    let end = written.length
    while (end > 0 && written[end - 1] === '#') end--
    const title = written.slice(0, end).trimEnd()
    if (title) return title
  }
  return slugOf(source.path)
}
