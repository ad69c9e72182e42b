// Decide which markdown files are chapters, in what order and under which
// parts: from report.yml's `toc` when there is one, else every file in path
// order with index.md first.

import type { TocEntry } from '../config/report.js'
import { locateSnippet } from '../config/yaml.js'
import { createMessage, type Message } from '../messages.js'
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

export type ContentsNode = { kind: 'chapter'; slug: string } | { kind: 'part'; title: string; children: ContentsNode[] }

export interface ContentsPlan {
  chapters: Chapter[]
  tree: ContentsNode[]
  messages: Message[]
}

/** URL paths our generated pages use; a chapter may not take them. */
export const reservedSlugs = new Set(['findings', 'recommendations', 'evidence', 'participants', 'full-report', 'search', '404', 'assets'])

export function slugOf(path: string): string {
  return path.replace(/\.md$/, '').replace(/(^|\/)index$/, '').replace(/\/$/, '')
}

export function planContents(
  files: SourceFile[],
  toc: TocEntry[] | undefined,
  report: SourceFile | undefined,
): ContentsPlan {
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
        if ('children' in entry) {
          nodes.push({ kind: 'part', title: entry.title, children: walk(entry.children, [...parts, entry.title]) })
          continue
        }
        const file = entry.file.replace(/^\.\//, '')
        const occurrence = (occurrences.get(file) ?? 0) + 1
        occurrences.set(file, occurrence)
        const at = locateSnippet(report.text, entry.file, occurrence)
        const source = byPath.get(file) ?? byPath.get(`${file}.md`)
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
        nodes.push(add(source, parts, entry.title))
      }
      return nodes
    }
    tree = walk(toc, [])
    for (const file of files) {
      if (seen.has(file.path)) continue
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
    tree = files.map((file) => add(file, [], undefined))
  }

  const bySlug = new Map<string, Chapter>()
  for (const chapter of chapters) {
    const reserved = reservedSlugs.has((chapter.slug.split('/')[0] ?? '').toLowerCase())
    const other = bySlug.get(chapter.slug)
    if (reserved || other) {
      messages.push(
        createMessage(
          'page-path-unique',
          chapter.source.display,
          undefined,
          reserved
            ? `This chapter would be published at /${chapter.slug}/, which is a page the site generates`
            : `This chapter and ${other?.source.display} would both be published at /${chapter.slug}/`,
          'Rename the file.',
        ),
      )
    }
    bySlug.set(chapter.slug, chapter)
  }
  return { chapters, tree, messages }
}
