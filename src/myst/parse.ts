// Parse one MyST page into the same tree our own dialect makes: plain mdast,
// our findings, recommendations, quotes and callouts, and the few nodes MyST
// adds (math, figures, containers; see nodes.ts). Pure: the page and the
// project's other markdown files (for `include`) in, a tree and messages out.
// Collect, resolve and render are shared with our dialect.

import type { Link, Root, RootContent } from 'mdast'
import remarkDirective from 'remark-directive'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import { visit } from '../markdown/visit.js'
import { transformCitations } from '../cite/syntax.js'
import type { SourceFile } from '../load/files.js'
import { transformDirectives as transformBraceDirectives } from '../markdown/directives.js'
import { transformHeadings } from '../markdown/headings.js'
import type { ParsedChapter } from '../markdown/parse.js'
import { transformQuotes } from '../markdown/quotes.js'
import { SourceLines } from '../markdown/source.js'
import { limitTables, readLimits } from '../markdown/limits.js'
import remarkLinear from '../markdown/linear.js'
import remarkNeeded, { processorsByNeed } from '../markdown/needed.js'
import { checkStructure } from '../markdown/structure.js'
import { createMessage, type Message, type Place } from '../messages.js'
import { transformAbbreviations } from './abbreviations.js'
import { transformBlocks } from './blocks.js'
import { transformDirectives } from './directives.js'
import { readMystFrontMatter, type MystFrontMatter } from './frontmatter.js'
import { transformMath } from './math.js'
import { transformEmbedImages } from './media.js'
import { transformRoles } from './roles.js'
import { scanMyst } from './scan.js'
import { transformTargets } from './targets.js'

// Each without the costly GFM syntax a text rules out (markdown/needed.ts).
const processorFor = processorsByNeed((needed) => unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).use(remarkDirective).use(remarkLinear).use(remarkNeeded, needed).freeze())
const bodyProcessorFor = processorsByNeed((needed) => unified().use(remarkParse).use(remarkGfm).use(remarkDirective).use(remarkLinear).use(remarkNeeded, needed).freeze())

/** Everything a transform of one page may look at. */
export interface MystContext {
  /** The file being parsed: the page, or a file it includes. */
  file: SourceFile
  source: SourceLines
  messages: Message[]
  /** Every markdown file of the project, by content path, for `include`. */
  files: ReadonlyMap<string, SourceFile>
  /** Files being included, outermost first, to stop an include from including itself. */
  including: string[]
  /** The project's TeX macros, for every formula. */
  macros: Readonly<Record<string, string>>
  /** The deepest this file nests, counting the files that include it: what it includes must fit in the rest. */
  depth: number
  /**
   * What the page has taken in so far: its text and the text it includes, the includes made, the text of
   * directive bodies read (a body is read again at each level it is nested in), and the limits it reached.
   */
  included: { characters: number; count: number; fragments: number; refused: Set<string> }
  /** The `(label)=` labels the page has given so far, with where: a label names one block of a page. */
  labels: Map<string, { file: string; place: Place }>
  /** Parse text that sits at `origin` in this file as MyST (a directive's body, a title). */
  parse(text: string, origin: Place): RootContent[]
  /** The context for a file this one includes, which nests `depth` deep counting this one. */
  include(file: SourceFile, depth: number): MystContext
  /** The transforms that read the source around a node (roles, citations, quotes), run on this file's nodes. */
  finish(tree: Root): void
}

/** What the project's configuration gives every page. */
export interface MystPageOptions {
  /** TeX macros (`project.math`), by name with its backslash. Default: none. */
  math?: Readonly<Record<string, string>>
  /** Abbreviations (`project.abbreviations`), each with its expansion. Default: none. */
  abbreviations?: Readonly<Record<string, string>>
}

export interface MystOptions extends MystPageOptions {
  /** Every markdown file of the project, by content path. Default: none, so `include` finds nothing. */
  files?: ReadonlyMap<string, SourceFile>
}

/** How many times over, and how many characters more, a page's text may be read as the bodies of nested directives. */
export const fragmentReadings = 6
export const fragmentAllowance = 64 * 1024

export function parseMystPage(file: SourceFile, options: MystOptions = {}): ParsedChapter {
  const { tree, frontMatter, messages } = parseMystBody(file, options)
  // Before the title heading leaves the body, so the check sees every level.
  messages.push(...checkStructure(tree, file.display), ...limitTables(tree, file.display))
  const headings = transformHeadings(tree)
  return { tree, frontMatter, messages, ...headings }
}

export interface MystBody {
  tree: Root
  frontMatter: ParsedChapter['frontMatter']
  messages: Message[]
}

/**
 * Parse a page's text as MyST, front matter and all, without the checks and the title that need the whole
 * page: a notebook is parsed one markdown cell at a time, and made a page once its cells are together.
 * With `frontMatter: false`, a leading `---` block is not read as front matter (a notebook's later cells).
 * Every heading is still in the tree, and only labelled ones have ids: tests/myst-spec.test.ts compares
 * this tree with MyST's own.
 */
export function parseMystBody(file: SourceFile, options: MystOptions & { frontMatter?: boolean } = {}): MystBody {
  // A page past the size or nesting limits is reported and read as empty, as in our dialect.
  // Directive fences hold markdown here, so their bodies count towards the nesting.
  const limits = readLimits(file.text, file.display, { directiveFences: true })
  if (limits.messages.length > 0) file = { ...file, text: '' }
  const context = createContext(file, options.files ?? new Map(), limits.messages, [], limits.depth, { characters: file.text.length, count: 0, fragments: 0, refused: new Set() }, options.math ?? {}, new Map())
  const scanned = scanMyst(file.text)
  const tree = (options.frontMatter === false ? bodyProcessorFor : processorFor)(scanned.text).parse(scanned.text)
  shiftTree(tree, { line: 1, column: 1 }, context.source)

  const first = tree.children[0]
  const frontMatter = first?.type === 'yaml' ? readMystFrontMatter(file.display, first.value, (first.position?.start.line ?? 1) + 1, context.messages) : {}
  if (first?.type === 'yaml') tree.children.shift()
  // A page's own macros (front matter `math:`) join the project's, and win over them, as in MyST.
  if (frontMatter.math) context.macros = { ...context.macros, ...frontMatter.math }

  transformFragment(tree, scanned, context, 'file')
  transformBlocks(tree, scanned.blocks, context)
  context.finish(tree)
  // After the roles, so an abbreviation written with `{abbr}` keeps its own expansion.
  transformAbbreviations(tree, options.abbreviations ?? {})
  const chapterFrontMatter = {
    ...(frontMatter.title !== undefined && { title: frontMatter.title }),
    ...(frontMatter.short_title !== undefined && { short_title: frontMatter.short_title }),
    ...(frontMatter.description !== undefined && { description: frontMatter.description }),
  }
  return { tree, frontMatter: chapterFrontMatter, messages: context.messages }
}

function createContext(
  file: SourceFile,
  files: ReadonlyMap<string, SourceFile>,
  messages: Message[],
  outer: string[],
  depth: number,
  included: MystContext['included'],
  macros: Readonly<Record<string, string>>,
  labels: MystContext['labels'],
): MystContext {
  const context: MystContext = {
    file,
    source: new SourceLines(file.text),
    messages,
    files,
    including: [...outer, file.path],
    macros,
    depth,
    included,
    labels,
    parse: (text, origin) => parseFragment(text, origin, context),
    include: (inner, innerDepth) => createContext(inner, files, messages, context.including, innerDepth, included, macros, labels),
    finish: (tree) => {
      transformRoles(tree, context)
      transformCitations(tree, context.source)
      transformQuotes(tree, context.source)
    },
  }
  return context
}

/**
 * Parse markdown that sits inside the page (a directive's body, a title) as
 * MyST, with positions in the page's coordinates: `origin` is where the
 * text's first character sits in the file.
 */
export function parseFragment(text: string, origin: Place, context: MystContext): RootContent[] {
  // A directive's body is read again at each level it is nested in: the page's text may be read a few times over, no more.
  const read = context.included
  read.fragments += text.length
  if (read.fragments > fragmentReadings * read.characters + fragmentAllowance) {
    if (!read.refused.has('fragments')) {
      read.refused.add('fragments')
      context.messages.push(
        createMessage(
          'nesting-depth-within-limit',
          context.file.display,
          origin,
          `Directives are nested here so that their bodies, read once for each level, come to more than ${fragmentReadings} times the text of the page \`${context.including[0]}\`; fieldnotes leaves out the bodies from here on`,
          'Nest directives less deeply, or keep long passages out of nested directives.',
        ),
      )
    }
    return []
  }
  const scanned = scanMyst(text)
  const tree = processorFor(scanned.text).parse(scanned.text)
  shiftTree(tree, origin, context.source)
  transformFragment(tree, shiftScan(scanned, origin), context, 'directive')
  return tree.children
}

type Scan = ReturnType<typeof scanMyst>


/** `within`: what the text is, the whole file or the body of a directive, whose end ends a fence left open in it. */
function transformFragment(tree: Root, scanned: Scan, context: MystContext, within: 'file' | 'directive'): void {
  for (const open of scanned.unclosed) {
    context.messages.push(
      createMessage(
        'directive-closed',
        context.file.display,
        open,
        within === 'file'
          ? `\`${open.fence}{${open.name}}\` is never closed, so it runs to the end of the file`
          : `\`${open.fence}{${open.name}}\` is not closed before the fence that closes the directive around it, so it ends there`,
        within === 'file'
          ? `Add a line with \`${open.fence}\` where the ${open.name} ends.`
          : `Add a line with \`${open.fence}\` where the ${open.name} ends, and make the fences around it longer than its own.`,
      ),
    )
  }
  transformMath(tree, scanned, context)
  transformEmbedImages(tree)
  transformDirectives(tree, context)
  transformBraceDirectives(tree, context.file.display, context.source, context.messages)
  transformTargets(tree, scanned.targets, context)
}

/**
 * Move every position of a tree parsed on its own to where its text sits in
 * the file, and count offsets in the file as written (the scan may have
 * changed the length of a fence line).
 */
function shiftTree(tree: Root, origin: Place, source: SourceLines): void {
  const lineStarts = offsets(source)
  // Every line of a fenced body loses the fence's indentation, so every column moves alike.
  const move = (point: { line: number; column: number; offset?: number | undefined }) => {
    point.column += origin.column - 1
    point.line += origin.line - 1
    point.offset = (lineStarts[point.line - 1] ?? 0) + point.column - 1
  }
  visit(tree, (node) => {
    if (!node.position) return
    move(node.position.start)
    move(node.position.end)
  })
}

function shiftScan(scanned: Scan, origin: Place): Scan {
  if (origin.line === 1 && origin.column === 1) return scanned
  const line = (n: number) => n + origin.line - 1
  const column = (c: number) => c + origin.column - 1
  const key = (k: string) => {
    const [l, c] = k.split(':').map(Number) as [number, number]
    return `${line(l)}:${column(c)}`
  }
  return {
    text: scanned.text,
    targets: scanned.targets.map((t) => ({ ...t, line: line(t.line), column: column(t.column) })),
    blocks: scanned.blocks.map((b) => ({ ...b, line: line(b.line), column: column(b.column) })),
    inlineMath: new Set([...scanned.inlineMath].map(key)),
    displayInline: new Set([...scanned.displayInline].map(key)),
    displayMath: new Map([...scanned.displayMath].map(([l, label]) => [line(l), label])),
    amsmath: new Map([...scanned.amsmath].map(([l, tex]) => [line(l), tex])),
    unclosed: scanned.unclosed.map((u) => ({ ...u, line: line(u.line), column: column(u.column) })),
  }
}

const offsetCache = new WeakMap<SourceLines, number[]>()

function offsets(source: SourceLines): number[] {
  let starts = offsetCache.get(source)
  if (starts) return starts
  starts = [0]
  for (const end of source.text.matchAll(/\r\n|\r|\n/g)) starts.push(end.index + end[0].length)
  offsetCache.set(source, starts)
  return starts
}
