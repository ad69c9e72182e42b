// Figures, images, tables, code and display math: the blocks MyST numbers.
// A figure's first body paragraph is its caption and the rest its legend; a
// table's caption is the directive's argument. Numbers are given later, across
// the report, when every page's figures are known (see site/targets.ts).

import type { Code, Image, PhrasingContent, RootContent, Table, TableCell, TableRow } from 'mdast'
import { toString } from 'mdast-util-to-string'
import { createMessage } from '../messages.js'
import type { FlowContent } from '../markdown/nodes.js'
import { classesOf, labelOf, type DirectiveCall, type DirectiveSpec } from './directives.js'
import { lineOptions, readCodeLines } from './lines.js'
import { displayMath } from './math.js'
import { embedOf } from './media.js'
import type { Container, Figure } from './nodes.js'

const imageOptions = ['alt', 'width', 'height', 'scale', 'align', 'target', 'loading'] as const

/** The image of `{image}` and `{figure}`: a block of its own, with no paragraph around it, as in MyST. */
function image(call: DirectiveCall, alt: string | undefined): Image {
  const node: Image = { type: 'image', url: call.arg.trim(), alt: alt ?? null, title: null }
  if (call.node.position) node.position = call.node.position
  const properties: Record<string, string | string[]> = {}
  for (const key of ['width', 'height'] as const) {
    // HTML's width and height are pixels; percentages and other units are left to the style sheet.
    const pixels = /^(\d+)(?:px)?$/.exec(call.options[key]?.trim() ?? '')?.[1]
    if (pixels) properties[key] = pixels
  }
  const align = call.options['align']?.trim()
  const classes = [...(align ? [`align-${align}`] : []), ...classesOf(call)]
  if (classes.length > 0) properties['className'] = classes
  if (Object.keys(properties).length > 0) node.data = { hProperties: properties }
  return node
}

function figure(kind: Figure['kind'], call: DirectiveCall, caption: PhrasingContent[] | undefined, children: FlowContent[]): RootContent[] {
  const node: Figure = { type: 'figure', kind, label: labelOf(call), caption: caption && caption.length > 0 ? caption : undefined, children }
  if (call.node.position) node.position = call.node.position
  if (kind === 'table') {
    // As in MyST: a table directive's `:class:` goes on the figure, and `:align:` places the table.
    if (classesOf(call).length > 0) node.className = classesOf(call)
    const align = call.options['align']?.trim()
    for (const table of children) {
      if (table.type === 'table' && align) table.data = { ...table.data, hProperties: { ...table.data?.hProperties, className: [`align-${align}`] } }
    }
  }
  return [node]
}

/** What a figure without an image argument may show, as MyST has it; any other block is caption or legend. */
const figureContent = new Set(['figure', 'table', 'iframe', 'mermaid', 'embed', 'code', 'container'])

/** A paragraph of images and the line breaks between them: each image is content of its own. */
function imagesOnly(node: RootContent): Image[] | undefined {
  if (node.type !== 'paragraph') return undefined
  const images = node.children.filter((c) => c.type === 'image')
  const rest = node.children.filter((c) => c.type !== 'image' && !(c.type === 'text' && c.value.trim() === '') && c.type !== 'break')
  return images.length > 0 && rest.length === 0 ? images : undefined
}

/**
 * `{figure}` with no image argument: the images, tables, frames, diagrams and
 * figures in its body are its content, and more than one of them become
 * subfigures, lettered (a), (b), … within it; the first other paragraph is the
 * caption and the rest the legend.
 */
function figureOfBody(call: DirectiveCall): Figure {
  const content: FlowContent[] = []
  const other: FlowContent[] = []
  for (const node of call.parseBody() as FlowContent[]) {
    const images = imagesOnly(node)
    if (images) for (const img of images) content.push({ type: 'paragraph', children: [img], ...(img.position ? { position: img.position } : {}) })
    else if (figureContent.has(node.type) && !(node.type === 'container' && !node.className.includes('labelled'))) content.push(node)
    else other.push(node)
  }
  if (content.length === 0) {
    call.context.messages.push(
      createMessage('directive-has-content', call.context.file.display, call.node, '`{figure}` has no image argument and nothing to show in its body', 'Name an image (`:::{figure} chart.png`), or put images, a table, an `{iframe}` or a `{mermaid}` diagram in the body.'),
    )
  }
  const [first, ...legend] = other
  const caption = first?.type === 'paragraph' ? first.children : undefined
  const rest = first?.type === 'paragraph' ? legend : other
  const subfigures = content.length > 1 && call.options['no-subfigures'] === undefined ? content.map(subfigure) : content
  const [node] = figure('figure', call, caption, [...subfigures, ...rest]) as [Figure]
  return node
}

/** One piece of a figure's content as a lettered subfigure: an image's alt text is its caption, as in MyST. */
function subfigure(node: FlowContent): Figure {
  if (node.type === 'figure') return { ...node, sub: true }
  const img = node.type === 'paragraph' && node.children[0]?.type === 'image' ? node.children[0] : undefined
  const labelledBlock = node.type === 'container' && node.className.includes('labelled') ? node : undefined
  const sub: Figure = {
    type: 'figure',
    kind: 'figure',
    sub: true,
    label: labelledBlock?.label,
    caption: img?.alt ? [{ type: 'text', value: img.alt }] : undefined,
    children: labelledBlock ? labelledBlock.children : [node],
  }
  if (node.position) sub.position = node.position
  return sub
}

/** Give an unnumbered block an anchor when it has a label. */
export function labelled(call: DirectiveCall, nodes: RootContent[]): RootContent[] {
  const label = labelOf(call)
  if (!label) return nodes
  const wrapper: Container = {
    type: 'container',
    tagName: 'div',
    className: ['labelled'],
    title: undefined,
    label,
    targetKind: 'block',
    children: nodes as FlowContent[],
  }
  if (call.node.position) wrapper.position = call.node.position
  return [wrapper]
}

function code(call: DirectiveCall): RootContent[] {
  const node: Code = { type: 'code', lang: call.arg.trim().split(/\s+/)[0] || null, meta: null, value: call.body.replace(/\n$/, '') }
  if (call.node.position) node.position = call.node.position
  readCodeLines(call, node)
  const caption = call.options['caption']?.trim()
  if (!caption && !labelOf(call)) return [node]
  const title = caption ? call.context.parse(caption, call.optionPlaces['caption'] ?? call.argPlace)[0] : undefined
  return figure('code', call, title?.type === 'paragraph' ? title.children : undefined, [node])
}

const codeOptions = ['caption', ...lineOptions, 'filename', 'force', 'dedent', 'tags'] as const

/**
 * Make the first `count` rows the table's header rows, and no others: mdast
 * has exactly one, the first, so each cell says which it is.
 */
function headerRows(node: Table, count: number): Table {
  node.data = { ...node.data, headerRows: count }
  node.children.forEach((row, r) => row.children.forEach((cell) => (cell.data = { ...cell.data, hName: r < count ? 'th' : 'td' })))
  return node
}

/** `:header-rows:` as a count; MyST's default is none. */
const headerCount = (call: DirectiveCall) => Math.max(0, Number.parseInt(call.options['header-rows'] ?? '0', 10) || 0)

function table(call: DirectiveCall, rows: string[][]): Table {
  const cell = (text: string): TableCell => {
    const [first] = text.trim() === '' ? [] : call.context.parse(text.trim(), call.bodyOrigin)
    return { type: 'tableCell', children: first?.type === 'paragraph' ? first.children : [{ type: 'text', value: text.trim() }] }
  }
  const width = Math.max(...rows.map((r) => r.length), 1)
  const tableRows: TableRow[] = rows.map((row) => ({
    type: 'tableRow',
    children: Array.from({ length: width }, (_, i) => cell(row[i] ?? '')),
  }))
  // mdast-util-to-hast makes as many cells as `align` has entries.
  const node: Table = { type: 'table', align: Array.from({ length: width }, () => null), children: tableRows }
  if (call.node.position) node.position = call.node.position
  return node
}

export const figureSpecs: Record<string, DirectiveSpec> = {
  figure: {
    options: [...imageOptions, 'figwidth', 'figclass', 'kind', 'no-subfigures', 'placeholder', 'remove-input', 'remove-output'],
    build(call) {
      const arg = call.arg.trim()
      if (arg === '') return [figureOfBody(call)]
      const [first, ...legend] = call.parseBody()
      const caption = first?.type === 'paragraph' ? first.children : undefined
      const rest = (first?.type === 'paragraph' ? legend : [first, ...legend].filter((n) => n !== undefined)) as FlowContent[]
      // Without alt text, the caption describes the image.
      const alt = call.options['alt'] ?? (caption ? toString({ type: 'paragraph', children: caption }) : undefined)
      // `{figure} #label` shows the labelled block, with this figure's caption.
      const content = arg.startsWith('#') ? embedOf(arg, call) : image(call, alt)
      return figure('figure', call, caption, [content, ...rest])
    },
  },
  image: {
    options: imageOptions,
    build: (call) => labelled(call, [image(call, call.options['alt'])]),
  },
  table: {
    options: ['align', 'widths', 'width'],
    build(call) {
      const body = call.parseBody() as FlowContent[]
      if (!body.some((n) => n.type === 'table')) {
        call.context.messages.push(
          createMessage(
            'directive-has-content',
            call.context.file.display,
            call.node,
            '`{table}` has no table in its body',
            'Write a table with pipes (`| a | b |`) inside the directive.',
          ),
        )
      }
      return figure('table', call, call.parseArg(), body)
    },
  },
  'csv-table': {
    options: ['header', 'header-rows', 'widths', 'width', 'delim', 'align', 'quote', 'escape', 'keepspace', 'stub-columns'],
    build(call) {
      const delimiter = call.options['delim'] === 'tab' ? '\t' : call.options['delim'] === 'space' ? ' ' : (call.options['delim'] || ',')
      const header = call.options['header'] ? readCsv(call.options['header'], delimiter) : []
      const rows = [...header, ...readCsv(call.body, delimiter)]
      // `:header:` rows come first, then as many of the body's rows as `:header-rows:` says.
      return figure('table', call, call.parseArg(), [headerRows(table(call, rows), header.length + headerCount(call))])
    },
  },
  'list-table': {
    options: ['header-rows', 'stub-columns', 'widths', 'width', 'align'],
    build(call) {
      const list = call.parseBody().find((n) => n.type === 'list')
      const rows: TableRow[] = []
      for (const item of list?.type === 'list' ? list.children : []) {
        const inner = item.children.find((n) => n.type === 'list')
        if (inner?.type !== 'list') continue
        rows.push({
          type: 'tableRow',
          children: inner.children.map((cell): TableCell => {
            const first = cell.children[0]
            return { type: 'tableCell', children: first?.type === 'paragraph' ? first.children : [] }
          }),
        })
      }
      const width = Math.max(...rows.map((r) => r.children.length), 1)
      const node: Table = { type: 'table', align: Array.from({ length: width }, () => null), children: rows }
      if (call.node.position) node.position = call.node.position
      return figure('table', call, call.parseArg(), [headerRows(node, headerCount(call))])
    },
  },
  code: { options: codeOptions, build: code },
  'code-block': { options: codeOptions, build: code },
  sourcecode: { options: codeOptions, build: code },
  // Notebook cells are shown as code; nothing is run.
  'code-cell': { options: codeOptions, build: code },
  math: {
    options: ['enumerated', 'nowrap'],
    build(call) {
      const enumerated = call.option('enumerated')?.trim().toLowerCase() !== 'false'
      return [displayMath(call.body, labelOf(call), call.node.position, call.context, { enumerated })]
    },
  },
}

/** A small CSV reader: quoted fields with doubled quotes, any one-character delimiter. */
export function readCsv(text: string, delimiter: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  let started = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else field += ch
      continue
    }
    if (ch === '"' && field.trim() === '') {
      quoted = true
      field = ''
      started = true
    } else if (ch === delimiter) {
      row.push(field.trim())
      field = ''
      started = true
    } else if (ch === '\n') {
      if (started || field.trim() !== '') row.push(field.trim())
      if (row.length > 0) rows.push(row)
      row = []
      field = ''
      started = false
    } else {
      field += ch
      if (ch.trim() !== '') started = true
    }
  }
  if (started || field.trim() !== '') row.push(field.trim())
  if (row.length > 0) rows.push(row)
  return rows
}
