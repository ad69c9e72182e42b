// Decide which markdown files are chapters, in what order and under which
// parts: from report.yml's `toc` when there is one, else every file in path
// order with index.md first.

import type { TocEntry } from '../config/report.js'
import { locateSnippet } from '../config/yaml.js'
import { createMessage, type Message } from '../messages.js'
import { reservedSlug } from '../reserved.js'
import { didYouMean } from '../suggest.js'
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
  return path.replace(/\.md$/, '').replace(/(^|\/)index$/, '').replace(/\/$/, '')
}

export interface PlanOptions {
  /**
   * `myst`: the first chapter is the landing page whatever its name, files the
   * toc leaves out are quietly left out (MyST's own rule), and without a toc
   * files whose name starts with `_` are left out. Default: `report`.
   */
  dialect?: 'report' | 'myst'
}

export function planContents(
  files: SourceFile[],
  toc: TocEntry[] | undefined,
  report: SourceFile | undefined,
  options: PlanOptions = {},
): ContentsPlan {
  const myst = options.dialect === 'myst'
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
    const walk = (entries: TocEntry[], parts: string[]): ContentsNode[] => {
      const nodes: ContentsNode[] = []
      for (const entry of entries) {
        if ('url' in entry) {
          nodes.push({ kind: 'link', title: entry.title ?? entry.url, url: entry.url })
          continue
        }
        if ('pattern' in entry) {
          const matches = globMatcher(entry.pattern.replace(/^\.\//, ''))
          for (const source of files) if (matches(source.path) && !seen.has(source.path)) nodes.push(add(source, parts, undefined))
          continue
        }
        if (!('file' in entry)) {
          nodes.push({ kind: 'part', title: entry.title, children: walk(entry.children, [...parts, entry.title]) })
          continue
        }
        const file = entry.file.replace(/^\.\//, '')
        const occurrence = (occurrences.get(file) ?? 0) + 1
        occurrences.set(file, occurrence)
        const at = locateSnippet(report.text, entry.file, occurrence)
        const source = byPath.get(file) ?? byPath.get(`${file}.md`)
        if (!source && myst && /\.ipynb$/i.test(file)) {
          messages.push(
            createMessage(
              'toc-file-supported',
              report.display,
              at,
              `The toc lists the notebook \`${entry.file}\`; notebooks are not read, so it is left out of the site`,
              'Pair it with a MyST markdown file (jupytext) and list that instead.',
            ),
          )
          continue
        }
        if (!source) {
          const suggestion = didYouMean(file, byPath.keys())
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
    tree = files.filter((file) => !(myst && /(^|\/)_/.test(file.path))).map((file) => add(file, [], undefined))
  }
  // MyST's first page is the project's home page, whatever its file is called.
  const home = chapters[0]
  if (myst && home && home.slug !== '' && !chapters.some((c) => c.slug === '')) {
    const slug = home.slug
    home.slug = ''
    const rename = (nodes: ContentsNode[]) => {
      for (const node of nodes) {
        if (node.kind === 'link') continue
        if (node.slug === slug) node.slug = ''
        if (node.kind === 'part') rename(node.children)
      }
    }
    rename(tree)
  }

  const bySlug = new Map<string, Chapter>()
  for (const chapter of chapters) {
    // A MyST project's folders keep their names (a `findings/` folder is common): there only the pages themselves clash.
    const reserved = reservedSlug(chapter.slug, { wholeFolders: !myst })
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

/** A glob as MyST's toc writes them: `*` within a folder, `**` across folders, `?` for one character. */
export function globMatcher(pattern: string): (path: string) => boolean {
  let source = ''
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!
    if (ch === '*' && pattern[i + 1] === '*') {
      source += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*'
      i += pattern[i + 2] === '/' ? 2 : 1
    } else if (ch === '*') source += '[^/]*'
    else if (ch === '?') source += '[^/]'
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  const regex = new RegExp(`^${source}$`)
  return (path) => regex.test(path)
}

/** A chapter's title as written (front matter `title:` or its first `# ` heading), for a part that is also a page. */
function writtenTitle(source: SourceFile): string {
  const front = /^---\r?\n[\s\S]*?^title:\s*["']?(.+?)["']?\s*$/m.exec(source.text)
  const heading = /^#\s+(.+?)\s*#*\s*$/m.exec(source.text)
  return front?.[1] ?? heading?.[1] ?? slugOf(source.path)
}
