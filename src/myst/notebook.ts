// A Jupyter notebook (.ipynb, nbformat 4) as a MyST page, without running
// it: markdown cells are parsed as MyST, one at a time as MyST does; code
// cells are shown as code in the kernel's language, with their stored
// outputs (outputs.ts). Places in messages and in the tree point into the
// .ipynb file, at the line where a cell's text is written. Pure: the
// notebook's text in, a page and the files its outputs publish out.

import type { Root, RootContent } from 'mdast'
import { maxTextLength } from '../config/report.js'
import type { SourceFile } from '../load/files.js'
import { slugOf } from '../load/toc.js'
import { transformHeadings } from '../markdown/headings.js'
import { limitTables, maxChapterLength } from '../markdown/limits.js'
import type { FlowContent } from '../markdown/nodes.js'
import type { ParsedChapter } from '../markdown/parse.js'
import { checkStructure } from '../markdown/structure.js'
import { createMessage, type Message } from '../messages.js'
import { readJson, stringOffsets } from './json.js'
import type { Container } from './nodes.js'
import { isObject, multiline, readOutputs, type OutputFile } from './outputs.js'
import { parseMystBody, type MystOptions } from './parse.js'
import { JsonPlaces, moveTree, textPlaces } from './places.js'

/** Cells a notebook may have; the rest are left out. Real notebooks have hundreds at most. */
export const maxNotebookCells = 10_000

export interface ParsedNotebook extends ParsedChapter {
  outputs: OutputFile[]
}

export function isNotebook(path: string): boolean {
  return /\.ipynb$/i.test(path)
}

export function parseNotebook(file: SourceFile, options: MystOptions = {}): ParsedNotebook {
  const messages: Message[] = []
  const json = new JsonPlaces(file.text)
  const page = (children: RootContent[], frontMatter: ParsedChapter['frontMatter'] = {}, outputs: OutputFile[] = []): ParsedNotebook => {
    const tree: Root = { type: 'root', children }
    // Before the title heading leaves the body, so the check sees every level.
    messages.push(...checkStructure(tree, file.display), ...limitTables(tree, file.display))
    return { tree, frontMatter, messages, ...transformHeadings(tree), outputs }
  }
  const invalid = (offset: number, reason: string, hint: string) => {
    messages.push(createMessage('notebook-valid', file.display, json.at(offset), reason, hint))
    return page([])
  }

  const read = readJson(file.text, { record: (path) => path[0] === 'cells' })
  if (read.error) {
    return invalid(read.error.offset, `This notebook is not valid JSON: ${read.error.reason}`, 'Fix the JSON here (a merge conflict often leaves its markers in a notebook), or open the notebook in Jupyter and save it again.')
  }
  const notebook = read.value
  if (!isObject(notebook) || !Array.isArray(notebook['cells'])) {
    return invalid(0, 'This file is not a Jupyter notebook: it has no list of `cells`', 'Save the notebook again from Jupyter, or rename the file if it is not a notebook.')
  }
  if (notebook['nbformat'] !== undefined && notebook['nbformat'] !== 4) {
    return invalid(0, `This notebook is in nbformat ${String(notebook['nbformat'])}; fieldnotes reads nbformat 4`, 'Convert it with `jupyter nbconvert --to notebook --nbformat 4`, or open and save it in a current Jupyter.')
  }
  const metadata = isObject(notebook['metadata']) ? notebook['metadata'] : {}
  const language = textOf(object(metadata['kernelspec'])['language']) ?? textOf(object(metadata['language_info'])['name']) ?? null
  // The notebook's metadata may carry page front matter; the first cell's front matter wins over it.
  const frontMatter: ParsedChapter['frontMatter'] = {}
  for (const key of ['title', 'short_title', 'description'] as const) {
    const value = textOf(metadata[key])
    if (value !== undefined) frontMatter[key] = value
  }

  // The notebook's text (markdown, code and text outputs) counts against the limit a chapter has.
  let remaining = maxChapterLength
  const take = (length: number, at: number): boolean => {
    if (remaining < 0) return false
    remaining -= length
    if (remaining >= 0) return true
    messages.push(
      createMessage(
        'content-size-within-limit',
        file.display,
        json.at(at),
        `This notebook has more than ${(maxChapterLength / 1_000_000).toFixed(1)} million characters of text in its cells and outputs; what follows from here is left out`,
        'Split the notebook, or clear long outputs (printed data, logs) before saving it.',
      ),
    )
    return false
  }
  const markdown = (text: string, path: string, fallback: number, withFrontMatter: boolean) => {
    const body = parseMystBody({ path: file.path, display: file.display, text }, { ...options, frontMatter: withFrontMatter })
    const at = read.places.get(path) ?? fallback
    moveTree(body.tree, body.messages, file.display, textPlaces(json, text, stringOffsets(file.text, at), at))
    messages.push(...body.messages)
    return body
  }
  const files = new Map<string, OutputFile>()
  const outputs = { display: file.display, json, places: read.places, folder: slugOf(file.path), files, messages, take }

  const children: RootContent[] = []
  const cells = notebook['cells'] as unknown[]
  for (let i = 0; i < cells.length; i++) {
    const at = read.places.get(`cells/${i}`) ?? 0
    if (i === maxNotebookCells) {
      messages.push(createMessage('content-size-within-limit', file.display, json.at(at), `This notebook has ${cells.length.toLocaleString('en')} cells; fieldnotes reads the first ${maxNotebookCells.toLocaleString('en')}`, 'Split the notebook into several.'))
      break
    }
    const cell = cells[i]
    const source = isObject(cell) ? multiline(cell['source'] ?? '') : undefined
    if (!isObject(cell) || typeof cell['cell_type'] !== 'string' || source === undefined) {
      messages.push(createMessage('notebook-valid', file.display, json.at(at), `Cell ${i + 1} is not a notebook cell (it needs a \`cell_type\` and a \`source\` text), so it is left out`, 'Open the notebook in Jupyter and save it again.'))
      continue
    }
    const cellMetadata = object(cell['metadata'])
    const tags = Array.isArray(cellMetadata['tags']) ? cellMetadata['tags'].filter((tag): tag is string => typeof tag === 'string') : []
    if (tags.includes('remove-cell')) continue
    if (!take(source.length, at)) continue
    if (cell['cell_type'] === 'markdown') {
      // As in MyST, only the notebook's first cell may hold front matter.
      const body = markdown(source, `cells/${i}/source`, at, i === 0)
      if (i === 0) Object.assign(frontMatter, body.frontMatter)
      children.push(...body.tree.children)
      continue
    }
    if (cell['cell_type'] !== 'code' && cell['cell_type'] !== 'raw') continue
    const code = cell['cell_type'] === 'code'
    const shown = code ? readOutputs(tags.includes('remove-output') ? [] : cell['outputs'], `cells/${i}`, i + 1, { ...outputs, markdown: (text, path) => markdown(text, path, at, false).tree.children as FlowContent[] }) : []
    if (source.trim() === '' && shown.length === 0) continue
    const jupyter = object(cellMetadata['jupyter'])
    const offsets = stringOffsets(file.text, read.places.get(`cells/${i}/source`) ?? at)
    const start = json.at(offsets?.[0] ?? at)
    const end = json.at(offsets?.at(-1) ?? at)
    const input: FlowContent = { type: 'code', lang: code ? language : null, meta: null, value: source.replace(/\n+$/, ''), position: { start, end } }
    const parts: FlowContent[] = []
    if (!tags.includes('remove-input') && source.trim() !== '') {
      const hidden = tags.includes('hide-input') || jupyter['source_hidden'] === true
      parts.push(hidden ? container('details', ['cell-input'], [input], 'Show code') : input)
    }
    if (shown.length > 0) {
      const hidden = tags.includes('hide-output') || jupyter['outputs_hidden'] === true
      parts.push(hidden ? container('details', ['cell-outputs'], shown, 'Show output') : container('div', ['cell-outputs'], shown))
    }
    if (parts.length > 0) children.push(container('div', ['cell', code ? 'code-cell' : 'raw-cell'], parts))
  }
  return page(children, frontMatter, [...files.values()])
}

function container(tagName: 'div' | 'details', className: string[], children: FlowContent[], title?: string): Container {
  return { type: 'container', tagName, className, title: title === undefined ? undefined : [{ type: 'text', value: title }], label: undefined, targetKind: undefined, children }
}

function object(value: unknown): Record<string, unknown> {
  return isObject(value) ? value : {}
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' && value.trim().length <= maxTextLength ? value.trim() : undefined
}
