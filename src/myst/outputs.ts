// A code cell's stored outputs, as nodes of the page. Each output shows its
// richest form this generator can publish safely, in Jupyter's order: HTML
// (through the page's sanitizer, like raw HTML), markdown, SVG (sanitized and
// published as a file), PNG and JPEG (published as files: a `data:` URL would
// bloat the page and is refused by many sites' policies), then plain text.
// Streams and errors are text, with terminal colour codes taken out. Outputs
// are untrusted content: nothing in them runs.

import { createHash } from 'node:crypto'
import type { Code, Html, Image } from 'mdast'
import type { FlowContent } from '../markdown/nodes.js'
import { createMessage, type Message } from '../messages.js'
import { cleanSvg } from '../render/svg.js'
import { stringOffsets } from './json.js'
import type { Container } from './nodes.js'
import { textPlaces, type JsonPlaces } from './places.js'

declare module 'mdast' {
  interface ImageData {
    /** Site path of a file the build makes (a notebook's output image), rather than a content file. */
    output?: string
  }
}

/** A file a notebook's outputs publish: image bytes, or sanitized SVG text. */
export interface OutputFile {
  path: string
  data: Uint8Array | string
}

export interface OutputContext {
  /** The notebook, as messages name it. */
  display: string
  json: JsonPlaces
  /** Where values of the notebook begin, by path (json.ts). */
  places: ReadonlyMap<string, number>
  /** The site folder output files are published in: the notebook's own. */
  folder: string
  /** Files published so far, by path: the same image twice is one file. */
  files: Map<string, OutputFile>
  messages: Message[]
  /** Take `length` characters of text from the notebook's allowance; false (reported once) when it is spent. */
  take(length: number, at: number): boolean
  /** Parse markdown written in the notebook at `path`, as MyST. */
  markdown(text: string, path: string): FlowContent[]
}

/** Mime types shown, richest first. */
export const mimeOrder = ['text/html', 'text/markdown', 'image/svg+xml', 'image/png', 'image/jpeg', 'text/plain'] as const

/** The outputs of the cell at `cell` (its path in the notebook, `cells/3`), as nodes. */
export function readOutputs(outputs: unknown, cell: string, number: number, context: OutputContext): FlowContent[] {
  if (!Array.isArray(outputs)) return []
  const nodes: FlowContent[] = []
  let stream: { name: string; text: string; node: Code } | undefined
  outputs.forEach((output: unknown, k) => {
    const path = `${cell}/outputs/${k}`
    const at = context.places.get(path) ?? context.places.get(cell) ?? 0
    if (!isObject(output)) return
    const type = output['output_type']
    if (type === 'stream') {
      const name = output['name'] === 'stderr' ? 'stderr' : 'stdout'
      const text = stripAnsi(multiline(output['text']) ?? '')
      if (!context.take(text.length, at)) return
      // Jupyter shows a run of writes to one stream as one block.
      if (stream && stream.name === name) {
        stream.text += text
        stream.node.value = trimEnd(stream.text)
        return
      }
      const node = textBlock(trimEnd(text), context, at)
      stream = { name, text, node }
      nodes.push(output_(['output-stream', `output-${name}`], [node]))
      return
    }
    stream = undefined
    if (type === 'error') {
      const traceback = Array.isArray(output['traceback']) ? output['traceback'].filter((line): line is string => typeof line === 'string') : []
      const text = stripAnsi(traceback.length > 0 ? traceback.join('\n') : `${String(output['ename'] ?? 'Error')}: ${String(output['evalue'] ?? '')}`)
      if (!context.take(text.length, at)) return
      nodes.push(output_(['output-error'], [textBlock(trimEnd(text), context, at)]))
      return
    }
    if (type !== 'execute_result' && type !== 'display_data') {
      context.messages.push(
        createMessage(
          'notebook-output-supported',
          context.display,
          context.json.at(at),
          `Output ${k + 1} of cell ${number} has the type \`${String(type)}\`, which is not one of nbformat 4's, so it is not shown`,
          'Run the notebook again and save it with a current Jupyter.',
        ),
      )
      return
    }
    const data = isObject(output['data']) ? output['data'] : {}
    const shown = readBundle(data, `${path}/data`, number, context)
    if (shown) nodes.push(shown)
    else if (Object.keys(data).length > 0) {
      context.messages.push(
        createMessage(
          'notebook-output-supported',
          context.display,
          context.json.at(at),
          `Output ${k + 1} of cell ${number} has no form this site can show (${Object.keys(data).slice(0, 5).map((m) => `\`${m}\``).join(', ')}), so it is left out`,
          'Have the cell also display text, HTML or a PNG image (most libraries do when asked for a static output).',
        ),
      )
    }
  })
  return nodes
}

/** The richest form of one output's mime bundle, or undefined when it has none this site shows. */
function readBundle(data: Record<string, unknown>, path: string, number: number, context: OutputContext): FlowContent | undefined {
  for (const mime of mimeOrder) {
    const text = multiline(data[mime])
    if (text === undefined) continue
    const where = `${path}/${mime}`
    const at = context.places.get(where) ?? context.places.get(path) ?? 0
    const offsets = stringOffsets(context.json.text, at)
    const start = offsets?.[0] ?? at
    if (mime === 'image/png' || mime === 'image/jpeg') {
      const image = rasterImage(text, mime, at, context)
      if (!image) continue
      return output_(['output-image'], [paragraphOf(imageNode(image, altText(data, number), context, start))])
    }
    if (mime === 'image/svg+xml') {
      const svg = svgImage(text, where, offsets, at, context)
      if (!svg) continue
      return output_(['output-image'], [paragraphOf(imageNode(svg, altText(data, number), context, start))])
    }
    if (!context.take(text.length, at)) return undefined
    if (mime === 'text/html') {
      const end = offsets?.at(-1) ?? at
      const html: Html = { type: 'html', value: text, position: { start: context.json.at(start), end: context.json.at(end) } }
      return output_(['output-html'], [html as FlowContent])
    }
    if (mime === 'text/markdown') return output_(['output-markdown'], context.markdown(text, where))
    return output_(['output-text'], [textBlock(trimEnd(stripAnsi(text)), context, start)])
  }
  return undefined
}

function rasterImage(text: string, mime: 'image/png' | 'image/jpeg', at: number, context: OutputContext): string | undefined {
  const base64 = text.replace(/\s+/g, '')
  const bytes = /^[A-Za-z0-9+/]*={0,2}$/.test(base64) ? new Uint8Array(Buffer.from(base64, 'base64')) : undefined
  // Published under an image's name, so it must be that image: a host may serve it by its contents too.
  const png = mime === 'image/png' && bytes !== undefined && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47
  const jpeg = mime === 'image/jpeg' && bytes !== undefined && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff
  if (!bytes || !(png || jpeg)) {
    context.messages.push(
      createMessage(
        'notebook-valid',
        context.display,
        context.json.at(at),
        `This \`${mime}\` output is not a base64 ${mime === 'image/png' ? 'PNG' : 'JPEG'} image, so it is not published`,
        'Run the cell again to store the image afresh.',
      ),
    )
    return undefined
  }
  return publish(bytes, mime === 'image/png' ? 'png' : 'jpg', context)
}

function svgImage(text: string, where: string, offsets: number[] | undefined, at: number, context: OutputContext): string | undefined {
  const clean = cleanSvg({ path: where, display: context.display, text })
  // The sanitizer places what it removes in the SVG's text: move that to the notebook's line.
  const place = textPlaces(context.json, text, offsets, at)
  for (const message of clean.messages) {
    const to = place(message)
    context.messages.push({ ...message, line: to.line, column: to.column })
  }
  return clean.text === undefined ? undefined : publish(clean.text, 'svg', context)
}

/** Publish a file in the notebook's folder, named by its content, and return its site path. */
function publish(data: Uint8Array | string, extension: string, context: OutputContext): string {
  const hash = createHash('sha256').update(data).digest('hex').slice(0, 16)
  const path = `${context.folder === '' ? '' : `${context.folder}/`}output-${hash}.${extension}`
  if (!context.files.has(path)) context.files.set(path, { path, data })
  return path
}

function imageNode(path: string, alt: string, context: OutputContext, start: number): Image {
  const place = context.json.at(start)
  return { type: 'image', url: path.split('/').pop()!, alt, title: null, data: { output: path }, position: { start: place, end: place } }
}

/** An image output's text form is what Jupyter offers screen readers; without one, say what it is. */
function altText(data: Record<string, unknown>, number: number): string {
  const plain = multiline(data['text/plain'])?.trim()
  return plain !== undefined && plain !== '' ? stripAnsi(plain).slice(0, 500) : `Output of cell ${number}`
}

function textBlock(value: string, context: OutputContext, at: number): Code {
  const place = context.json.at(at)
  return { type: 'code', lang: null, meta: null, value, position: { start: place, end: place } }
}

function paragraphOf(image: Image): FlowContent {
  return { type: 'paragraph', children: [image] }
}

function output_(className: string[], children: FlowContent[]): Container {
  return { type: 'container', tagName: 'div', className: ['cell-output', ...className], title: undefined, label: undefined, targetKind: undefined, children }
}

/** nbformat's multi-line string: one string, or a list of strings to join. */
export function multiline(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (Array.isArray(value) && value.every((part) => typeof part === 'string')) return value.join('')
  return undefined
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Terminal colour and cursor codes, which tracebacks are full of. */
export function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]/g, '')
}

function trimEnd(text: string): string {
  return text.replace(/\n+$/, '')
}
