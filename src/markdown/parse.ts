// Parse one chapter into a tree of our nodes. Pure: one file in, one tree and
// its messages out; nothing here knows about other pages or the registry.
// A second markdown dialect would be a second function of this shape.

import type { Root } from 'mdast'
import remarkDirective from 'remark-directive'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import { transformCitations } from '../cite/syntax.js'
import { readFrontMatter, type FrontMatter } from '../config/frontmatter.js'
import type { SourceFile } from '../load/files.js'
import type { Message } from '../messages.js'
import { transformDirectives } from './directives.js'
import { transformHeadings, type ChapterHeadings } from './headings.js'
import { checkLimits, limitTables } from './limits.js'
import remarkLinear from './linear.js'
import { transformQuotes } from './quotes.js'
import { SourceLines } from './source.js'
import { checkStructure } from './structure.js'

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).use(remarkDirective).use(remarkLinear).freeze()

export interface ParsedChapter extends ChapterHeadings {
  tree: Root
  frontMatter: FrontMatter
  messages: Message[]
}

export function parseChapter(file: SourceFile): ParsedChapter {
  // A chapter past the size or nesting limits is reported and read as empty.
  const messages: Message[] = checkLimits(file.text, file.display)
  const text = messages.length > 0 ? '' : file.text
  const source = new SourceLines(text)
  const tree = processor.parse(text)

  let frontMatter: FrontMatter = {}
  const first = tree.children[0]
  if (first?.type === 'yaml') {
    tree.children.shift()
    const parsed = readFrontMatter(file.display, first.value, (first.position?.start.line ?? 1) + 1)
    messages.push(...parsed.messages)
    frontMatter = parsed.value ?? {}
  }

  // Directives first: findings take their title heading out of the flow, and
  // quotes inside them must already sit in their finding.
  transformDirectives(tree, file.display, source, messages)
  transformQuotes(tree, source)
  transformCitations(tree, source)
  // Before the title heading leaves the body, so the check sees every level.
  messages.push(...checkStructure(tree, file.display), ...limitTables(tree, file.display))
  const headings = transformHeadings(tree)
  return { tree, frontMatter, messages, ...headings }
}
