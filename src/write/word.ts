// The full report as Word content: the rendered full-report page (hast) read
// into the docx package's paragraphs, tables, footnotes and images. Headings
// keep their levels as Word's Heading styles, findings and recommendations
// their numbers, quotes their attribution and paraphrase mark; every id on the
// page becomes a bookmark, so the page's own links still land. Pure: image
// bytes come in with the input.

import type { Element, ElementContent, Root } from 'hast'
import { visit } from '../markdown/visit.js'
import {
  Bookmark,
  ExternalHyperlink,
  FootnoteReferenceRun,
  HeadingLevel,
  ImageRun,
  InternalHyperlink,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type IRunOptions,
  type ParagraphChild,
} from 'docx'
import { imageSize } from './images.js'
import { decode } from '../markdown/paths.js'

export interface WordInput {
  /** The full report page, parsed. */
  tree: Root
  /** Its output path, against which its links and images resolve. */
  page: string
  /** Bytes of the files its images show, by output path. */
  files: ReadonlyMap<string, string | Uint8Array>
  /** The site's address, for links to its other pages; without it those links are plain text. Default: none. */
  siteUrl?: string | null
}

export interface WordContent {
  body: (Paragraph | Table)[]
  footnotes: Record<number, { children: Paragraph[] }>
}

type Block = Paragraph | Table
type Format = Omit<IRunOptions, 'text' | 'children' | 'break'>

interface Context extends WordInput {
  bookmarks: Map<string, string>
  footnoteNumbers: Map<string, number>
  /** Bookmarks waiting for the next paragraph: ids of the sections and blocks that hold it. */
  pending: string[]
  /** Ordered lists so far: each is its own instance of the numbering, so each starts at 1. */
  orderedLists: number
}

/** Widest an image is shown, in pixels at 96 to the inch: the text width of an A4 page with 2.5 cm margins. */
const maxImageWidth = 600

const phrasing = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'br', 'cite', 'code', 'data', 'del', 'dfn', 'em', 'i', 'img', 'ins', 'kbd',
  'mark', 'math', 'q', 's', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var', 'wbr',
])
/** What a reader of paper cannot use: controls, scripts, the page's own contents list (Word has its navigation pane). */
const skipped = new Set(['button', 'script', 'style', 'template', 'svg', 'nav', 'input', 'select', 'textarea', 'form', 'hr'])

export function convertReport(input: WordInput): WordContent {
  const article = find(input.tree, (e) => e.tagName === 'article' && classOf(e).includes('full-report')) ?? find(input.tree, (e) => e.tagName === 'main')
  if (!article) return { body: [], footnotes: {} }
  const ctx: Context = { ...input, bookmarks: bookmarkNames(article), footnoteNumbers: new Map(), pending: [], orderedLists: 0 }
  // Footnotes are numbered across the whole document, in the order of their definitions.
  const definitions = findAll(article, isFootnotes).flatMap((section) => findAll(section, (e) => e.tagName === 'li' && e.properties['id'] !== undefined))
  definitions.forEach((li, i) => ctx.footnoteNumbers.set(String(li.properties['id']), i + 1))
  const body = flow(article.children, ctx, {})
  // An id with no paragraph after it in the body marks nothing: it must not land in a footnote.
  ctx.pending = []
  const footnotes: WordContent['footnotes'] = {}
  definitions.forEach((li, i) => {
    const children = flow(li.children, ctx, {}).filter((b): b is Paragraph => b instanceof Paragraph)
    footnotes[i + 1] = { children: children.length > 0 ? children : [new Paragraph('')] }
  })
  return { body, footnotes }
}

/** Word bookmark names: letters, digits and underscores, at most 40, unique, made from the page's ids. */
function bookmarkNames(root: Element): Map<string, string> {
  const names = new Map<string, string>()
  const taken = new Set<string>()
  for (const element of findAll(root, (e) => e.properties['id'] !== undefined)) {
    const id = String(element.properties['id'])
    if (names.has(id)) continue
    const base = `_${id.replace(/[^A-Za-z0-9_]+/g, '_')}`.slice(0, 34)
    let name = base
    for (let n = 2; taken.has(name); n++) name = `${base}_${n}`
    taken.add(name)
    names.set(id, name)
  }
  return names
}

interface ParagraphKind {
  style?: string
  heading?: (typeof HeadingLevel)[keyof typeof HeadingLevel]
  list?: { ordered: number | undefined; level: number }
}

/** Block content: runs of phrasing content become paragraphs of `kind`; block elements are converted in turn. */
function flow(children: readonly ElementContent[], ctx: Context, kind: ParagraphKind): Block[] {
  const blocks: Block[] = []
  let inline: ElementContent[] = []
  const flush = () => {
    const paragraph = paragraphOf(inline, ctx, kind)
    if (paragraph) blocks.push(paragraph)
    inline = []
  }
  for (const child of children) {
    if (child.type === 'text' || (child.type === 'element' && phrasing.has(child.tagName))) inline.push(child)
    else if (child.type === 'element') {
      flush()
      blocks.push(...block(child, ctx, kind))
    }
  }
  flush()
  return blocks
}

function paragraphOf(nodes: ElementContent[], ctx: Context, kind: ParagraphKind, extra: ParagraphChild[] = []): Paragraph | undefined {
  const children = [...extra, ...trimRuns(nodes).flatMap((node) => runs(node, ctx, {}))]
  if (children.length === 0) return undefined
  const marks = ctx.pending.splice(0).map((name) => new Bookmark({ id: name, children: [] }))
  return new Paragraph({
    children: [...marks, ...children],
    ...(kind.style ? { style: kind.style } : {}),
    ...(kind.heading ? { heading: kind.heading } : {}),
    ...(kind.list
      ? kind.list.ordered === undefined
        ? { bullet: { level: kind.list.level } }
        : { numbering: { reference: 'ordered', level: kind.list.level, instance: kind.list.ordered } }
      : {}),
  })
}

function block(element: Element, ctx: Context, kind: ParagraphKind): Block[] {
  const { tagName } = element
  const classes = classOf(element)
  if (skipped.has(tagName) || classes.includes('sr-only') || isFootnotes(element)) return []
  const id = element.properties['id']
  if (id !== undefined && ctx.bookmarks.has(String(id))) ctx.pending.push(ctx.bookmarks.get(String(id))!)
  const heading = /^h([1-6])$/.exec(tagName)
  if (heading) {
    if (classes.includes('report-title')) return flow(element.children, ctx, { style: 'Title' })
    return flow(element.children, ctx, { heading: headingLevels[Math.min(Math.max(Number(heading[1]) - 1, 1), 6) - 1]! })
  }
  switch (tagName) {
    case 'p':
      return flow(element.children, ctx, classes.includes('report-subtitle') ? { style: 'Subtitle' } : kind)
    case 'blockquote':
      return flow(element.children, ctx, { style: 'Quote' })
    case 'figcaption':
      return flow(element.children, ctx, { style: 'Caption' })
    case 'figure':
      return quoteFigure(element, ctx)
    case 'ul':
    case 'ol':
      // The title page's authors are lines under the title, not a bulleted list.
      if (classes.includes('authors')) return element.children.flatMap((li) => (li.type === 'element' ? flow(li.children, ctx, {}) : []))
      return list(element, ctx, kind)
    case 'table':
      return [table(element, ctx)]
    case 'dl':
      return definitions(element, ctx)
    case 'pre':
      return [new Paragraph({ style: 'Code', children: codeLines(textOf(element)) })]
    case 'summary':
      return flow(element.children, ctx, { style: 'Caption' })
    default:
      return flow(element.children, ctx, kind.list ? kind : {})
  }
}

const headingLevels = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4, HeadingLevel.HEADING_5, HeadingLevel.HEADING_6]

function quoteFigure(figure: Element, ctx: Context): Block[] {
  if (!classOf(figure).includes('quote')) return flow(figure.children, ctx, {})
  return figure.children.flatMap((child) => {
    if (child.type !== 'element') return []
    if (child.tagName === 'figcaption') return flow(child.children, ctx, { style: 'Attribution' })
    if (child.tagName === 'a' && classOf(child).includes('permalink')) return []
    return block(child, ctx, {})
  })
}

function list(element: Element, ctx: Context, outer: ParagraphKind): Block[] {
  const level = outer.list ? outer.list.level + 1 : 0
  const ordered = element.tagName === 'ol' ? ctx.orderedLists++ : undefined
  const kind: ParagraphKind = { list: { ordered, level: Math.min(level, 5) } }
  return element.children.flatMap((item) => {
    if (item.type !== 'element' || item.tagName !== 'li') return []
    const id = item.properties['id']
    if (id !== undefined && ctx.bookmarks.has(String(id))) ctx.pending.push(ctx.bookmarks.get(String(id))!)
    // Each paragraph of an item carries the item's bullet or number.
    return flow(item.children, ctx, kind)
  })
}

function table(element: Element, ctx: Context): Table {
  const rows = findAll(element, (e) => e.tagName === 'tr').map(
    (tr) =>
      new TableRow({
        // A row of header cells repeats at the top of each page; other rows say nothing, as readers take "off" for "on".
        ...(tr.children.every((cell) => cell.type !== 'element' || cell.tagName === 'th') ? { tableHeader: true } : {}),
        children: tr.children
          .filter((cell): cell is Element => cell.type === 'element' && (cell.tagName === 'td' || cell.tagName === 'th'))
          .map((cell) => {
            const content = flow(cell.children, ctx, cell.tagName === 'th' ? { style: 'TableHeading' } : {})
            return new TableCell({ children: content.length > 0 ? content : [new Paragraph('')] })
          }),
      }),
  )
  return new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE } })
}

/** A description list as "Term: description" paragraphs, the term in bold. */
function definitions(element: Element, ctx: Context): Block[] {
  const items = element.children.flatMap((child) => (child.type === 'element' && child.tagName === 'div' ? child.children : [child]))
  const blocks: Block[] = []
  let term: ParagraphChild[] = []
  for (const item of items) {
    if (item.type !== 'element') continue
    if (item.tagName === 'dt') term = [new TextRun({ text: `${textOf(item).trim()}: `, bold: true })]
    else if (item.tagName === 'dd') {
      const paragraph = paragraphOf(item.children, ctx, {}, term)
      if (paragraph) blocks.push(paragraph)
      term = []
    }
  }
  return blocks
}

/** Inline content as runs, hyperlinks, footnote references and images. */
function runs(node: ElementContent, ctx: Context, format: Format): ParagraphChild[] {
  if (node.type === 'text') {
    const text = node.value.replace(/\s+/g, ' ')
    return text === '' ? [] : [new TextRun({ ...format, text })]
  }
  if (node.type !== 'element' || skipped.has(node.tagName) || classOf(node).includes('sr-only')) return []
  const inner = (more: Format) => node.children.flatMap((child) => runs(child, ctx, { ...format, ...more }))
  const classes = classOf(node)
  switch (node.tagName) {
    case 'strong':
    case 'b':
      return inner({ bold: true })
    case 'em':
    case 'i':
    case 'cite':
    case 'dfn':
      return inner({ italics: true })
    case 'code':
    case 'kbd':
    case 'samp':
      return inner({ font: 'Consolas' })
    case 'sub':
      return inner({ subScript: true })
    case 'sup': {
      const ref = find(node, (e) => e.tagName === 'a' && e.properties['dataFootnoteRef'] !== undefined)
      const number = ref && ctx.footnoteNumbers.get(String(ref.properties['href']).slice(1))
      return number ? [new FootnoteReferenceRun(number)] : inner({ superScript: true })
    }
    case 's':
    case 'del':
      return inner({ strike: true })
    case 'u':
    case 'ins':
      return inner({ underline: {} })
    case 'br':
      return [new TextRun({ ...format, break: 1 })]
    case 'img':
      return [image(node, ctx)]
    case 'math': {
      const tex = find(node, (e) => e.tagName === 'annotation' && e.properties['encoding'] === 'application/x-tex')
      return [new TextRun({ ...format, text: textOf(tex ?? node).trim() })]
    }
    case 'a':
      // The site's permalinks: a heading's text stays text, and a bare "#" is for the web page only.
      if (classes.includes('item-number')) return [...inner({}), new TextRun({ ...format, text: ':' })]
      if (classes.includes('permalink')) return node.properties['ariaLabel'] === undefined ? inner({}) : []
      return link(node, ctx, format)
    case 'span':
      // "Finding 3" before a title reads "Finding 3: …", as cross-references do.
      if (classes.includes('item-number')) return [...inner({}), new TextRun({ ...format, text: ':' })]
      if (classes.includes('paraphrase-mark')) return [new TextRun({ ...format, text: `(${textOf(node).trim().toLowerCase()})`, italics: true })]
      return inner({})
    default:
      return inner({})
  }
}

function link(a: Element, ctx: Context, format: Format): ParagraphChild[] {
  if (a.properties['dataFootnoteBackref'] !== undefined) return []
  const href = String(a.properties['href'] ?? '')
  const styled = () => a.children.flatMap((child) => runs(child, ctx, { ...format, style: 'Hyperlink' }))
  if (href.startsWith('#')) {
    const anchor = ctx.bookmarks.get(decode(href.slice(1)))
    return anchor ? [new InternalHyperlink({ anchor, children: styled() })] : a.children.flatMap((child) => runs(child, ctx, format))
  }
  const target = absolute(href, ctx)
  return target ? [new ExternalHyperlink({ link: target, children: styled() })] : a.children.flatMap((child) => runs(child, ctx, format))
}

/** A link's address outside the document: as written when it leaves the site, on the site's address when it does not. */
function absolute(href: string, ctx: Context): string | undefined {
  if (/^(https?:|mailto:)/i.test(href)) return href
  if (!ctx.siteUrl || href === '') return undefined
  return new URL(href, new URL(ctx.page.replace(/index\.html$/, ''), ctx.siteUrl)).href
}

function image(img: Element, ctx: Context): ParagraphChild {
  const alt = String(img.properties['alt'] ?? '')
  const file = decode(new URL(String(img.properties['src'] ?? ''), `file:///${ctx.page}`).pathname.slice(1))
  const data = ctx.files.get(file)
  const bytes = typeof data === 'string' ? undefined : data
  const size = bytes && imageSize(bytes)
  // Word cannot show an SVG without a bitmap beside it, nor an image we could not read: its description stands in.
  if (!bytes || !size) return new TextRun({ text: `[${alt || 'Image'}]`, italics: true })
  const width = Number(img.properties['width']) || size.width
  const height = Number(img.properties['height']) || Math.round((size.height * width) / size.width)
  const scale = Math.min(1, maxImageWidth / width)
  return new ImageRun({
    type: size.type,
    data: bytes,
    transformation: { width: Math.round(width * scale), height: Math.round(height * scale) },
    altText: { name: file.split('/').pop() ?? file, description: alt, title: alt },
  })
}

function codeLines(text: string): TextRun[] {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((line, i) => new TextRun({ text: line, font: 'Consolas', ...(i > 0 ? { break: 1 } : {}) }))
}

/** Phrasing content without the white space that starts or ends it in the HTML source. */
function trimRuns(nodes: ElementContent[]): ElementContent[] {
  // A footnote's link back to its reference is dropped, and so is the space before it.
  const copy = nodes.filter((node) => !(node.type === 'element' && node.tagName === 'a' && node.properties['dataFootnoteBackref'] !== undefined))
  const first = copy[0]
  if (first?.type === 'text') copy[0] = { ...first, value: first.value.replace(/^\s+/, '') }
  const last = copy[copy.length - 1]
  if (last?.type === 'text') copy[copy.length - 1] = { ...last, value: last.value.replace(/\s+$/, '') }
  return copy
}

function isFootnotes(element: Element): boolean {
  return element.tagName === 'section' && classOf(element).includes('footnotes')
}

function classOf(element: Element): string[] {
  const value = element.properties['className']
  return Array.isArray(value) ? value.map(String) : []
}

function textOf(node: Element | ElementContent): string {
  if (node.type === 'text') return node.value
  if (node.type !== 'element') return ''
  return node.children.map(textOf).join('')
}

function findAll(root: Root | Element, test: (element: Element) => boolean): Element[] {
  const found: Element[] = []
  visit(root, 'element', (element: Element) => {
    if (test(element)) found.push(element)
  })
  return found
}

function find(root: Root | Element, test: (element: Element) => boolean): Element | undefined {
  return findAll(root, test)[0]
}
