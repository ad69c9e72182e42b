// Parse one chapter into a tree of our nodes. Pure: one file in, one tree and
// its messages out; nothing here knows about other pages or the registry.
// A second markdown dialect would be a second function of this shape.

import type { Root } from 'mdast'
import remarkDirective from 'remark-directive'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import { unified, type Plugin, type Transformer } from 'unified'
import { transformCitations } from '../cite/syntax.js'
import { splitFrontMatter, type FrontMatter } from '../config/frontmatter.js'
import type { SourceFile } from '../load/files.js'
import type { Message } from '../messages.js'
import { transformDirectives } from './directives.js'
import { transformHeadings, type ChapterHeadings } from './headings.js'
import { checkLimits, limitTables } from './limits.js'
import remarkLinear from './linear.js'
import remarkNeeded, { processorsByNeed } from './needed.js'
import { transformQuotes } from './quotes.js'
import { SourceLines } from './source.js'
import { checkStructure } from './structure.js'

export interface ParsedChapter extends ChapterHeadings {
  tree: Root
  frontMatter: FrontMatter
  messages: Message[]
  /** Files the page's content makes, by site path (a notebook's output images). Default: none. */
  outputs?: { path: string; data: Uint8Array | string }[]
}

/** What our transforms need of the chapter, handed to them with the file. */
interface ChapterData {
  display: string
  source: SourceLines
  messages: Message[]
}

/** Our remark transforms, in order, as one plugin. */
function remarkReport(): Transformer<Root> {
  return (tree, file) => {
    const { display, source, messages } = (file.data as { chapter: ChapterData }).chapter
    // Directives first: findings take their title heading out of the flow, and
    // quotes inside them must already sit in their finding.
    transformDirectives(tree, display, source, messages)
    transformQuotes(tree, source)
    transformCitations(tree, source)
  }
}

/**
 * The parse half of the unified pipeline: remark-parse with the syntax we read (less
 * the costly GFM syntax a chapter's text rules out: needed.ts),
 * then our transforms, then the report's own remark plugins (docs/plugins.md),
 * which so see findings, quotes and citations as our nodes.
 */
export function chapterParser(plugins: readonly Plugin[] = []): (file: SourceFile) => ParsedChapter {
  // The report's plugins come after the syntax left out, so that all of theirs is kept.
  const processorFor = processorsByNeed((needed) =>
    unified().use(remarkParse).use(remarkGfm).use(remarkDirective).use(remarkLinear).use(remarkNeeded, needed).use(remarkReport).use([...plugins]).freeze(),
  )
  return (file) => {
    // A chapter past the size or nesting limits is reported and read as empty.
    const messages: Message[] = checkLimits(file.text, file.display)
    const text = messages.length > 0 ? '' : file.text
    // Front matter is blanked rather than cut, so positions in the tree are positions in the file.
    const { frontMatter, body, messages: frontMatterMessages } = splitFrontMatter(file.display, text)
    messages.push(...frontMatterMessages)
    const chapter: ChapterData = { display: file.display, source: new SourceLines(text), messages }
    const processor = processorFor(body)
    const tree = processor.runSync(processor.parse(body), { path: file.display, data: { chapter } }) as Root
    // Before the title heading leaves the body, so the check sees every level.
    messages.push(...checkStructure(tree, file.display), ...limitTables(tree, file.display))
    const headings = transformHeadings(tree)
    return { tree, frontMatter, messages, ...headings }
  }
}

/** Parse one chapter into a tree of our nodes, with no plugins of the report's. */
export const parseChapter = chapterParser()
