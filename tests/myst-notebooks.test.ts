// Jupyter notebooks as pages of a MyST project: notebooks written by the test
// as nbformat 4 JSON (one line of source per JSON line, as Jupyter saves them),
// built for real, and read back as hast, published files and messages.

import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Message } from '../src/messages.js'
import { attr, buildInMemory, buildProject, select, selectAll, text, texts, where as placed, type BuiltProject } from './helpers.js'

type Cell = Record<string, unknown>

/** `content/file:line:column rule-id`, with the file named from the content folder. */
function where(messages: readonly Message[]): string[] {
  return placed(messages).map((m) => m.replace(/^.*?(?=content\/)/, ''))
}

/** Lines as Jupyter stores them: each but the last ends with a line break. */
function lines(text: string): string[] {
  return text.split(/(?<=\n)/)
}

function markdown(source: string, metadata: Record<string, unknown> = {}): Cell {
  return { cell_type: 'markdown', metadata, source: lines(source) }
}

function code(source: string, outputs: unknown[] = [], metadata: Record<string, unknown> = {}): Cell {
  return { cell_type: 'code', execution_count: 1, metadata, outputs, source: lines(source) }
}

function notebook(cells: Cell[], metadata: Record<string, unknown> = { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } }): string {
  return JSON.stringify({ cells, metadata, nbformat: 4, nbformat_minor: 5 }, null, 1)
}

/** The 1-based line of the JSON text where `needle` first appears. */
function lineOf(json: string, needle: string): number {
  const at = json.indexOf(needle)
  if (at < 0) throw new Error(`${needle} is not in the notebook`)
  return json.slice(0, at).split('\n').length
}

const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='
const jpeg = '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA='

const analysis = notebook([
  markdown('---\ntitle: Coding the interviews\n---\n# Ignored heading title\n\nWe coded every transcript.\n'),
  markdown('(coding-scheme)=\n## The coding scheme\n\nSee {nope}`x` here.\n'),
  code('print("hello")\nimport sys\nprint("oops", file=sys.stderr)\n', [
    { output_type: 'stream', name: 'stdout', text: ['hello\n'] },
    { output_type: 'stream', name: 'stderr', text: ['oops\n'] },
  ]),
  code('1 + 1', [{ output_type: 'execute_result', execution_count: 2, metadata: {}, data: { 'text/plain': ['2'] } }]),
  code('plot()', [{ output_type: 'display_data', metadata: {}, data: { 'image/png': png, 'text/plain': ['Bar chart of codes per interview'] } }]),
  code('photo()', [{ output_type: 'display_data', metadata: {}, data: { 'image/jpeg': jpeg } }]),
  code('drawing()', [
    {
      output_type: 'display_data',
      metadata: {},
      data: {
        'image/svg+xml': ['<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">\n', '<script>alert(1)</script>\n', '<rect width="10" height="10" fill="teal"/>\n', '</svg>\n'],
        'text/plain': ['A teal square'],
      },
    },
  ]),
  code('table()', [
    {
      output_type: 'execute_result',
      execution_count: 3,
      metadata: {},
      data: { 'text/html': ['<table class="dataframe">\n', '<tr><td onclick="steal()">42</td></tr>\n', '</table>\n', '<script>steal()</script>\n'], 'text/plain': ['   n\n0  42'] },
    },
  ]),
  code('fail()', [
    { output_type: 'error', ename: 'ValueError', evalue: 'bad', traceback: ['\u001b[0;31mValueError\u001b[0m Traceback', '\u001b[0;31mValueError\u001b[0m: bad'] },
  ]),
  code('note()', [{ output_type: 'display_data', metadata: {}, data: { 'text/markdown': ['Some **bold** result'], 'text/plain': ['Some bold result'] } }]),
  code('secret_setup()', [{ output_type: 'stream', name: 'stdout', text: ['shown without its code\n'] }], { tags: ['remove-input'] }),
  code('quiet()', [{ output_type: 'stream', name: 'stdout', text: ['never shown\n'] }], { tags: ['remove-output'] }),
  code('gone()', [{ output_type: 'stream', name: 'stdout', text: ['cell removed\n'] }], { tags: ['remove-cell'] }),
  code('folded()', [{ output_type: 'stream', name: 'stdout', text: ['folded output\n'] }], { tags: ['hide-input'] }),
  code('hidden_by_jupyter()', [], { jupyter: { source_hidden: true } }),
  code('widget()', [{ output_type: 'display_data', metadata: {}, data: { 'application/vnd.jupyter.widget-view+json': { model_id: 'x' } } }]),
])

describe('a notebook in the toc', () => {
  let built: BuiltProject
  beforeAll(async () => {
    built = await buildProject({
      'myst.yml': 'version: 1\nproject:\n  title: Notebooks\n  toc:\n    - file: index.md\n    - file: analysis.ipynb\n    - file: appendix.tex\n',
      'index.md': '# Home\n\nThe scheme is in [](#coding-scheme); see {ref}`coding-scheme`, [the analysis](analysis.ipynb) and {doc}`analysis`.\n',
      'analysis.ipynb': analysis,
      'appendix.tex': '\\section{A}\n',
    })
  })

  it('is a page titled by its first cell\'s front matter', async () => {
    expect(built.result.pages).toContain('analysis/index.html')
    const page = await built.page('analysis/index.html')
    expect(text(page, 'h1')).toBe('Coding the interviews')
    expect(text(page, 'main')).toContain('We coded every transcript.')
  })

  it('shows code cells as code in the kernel\'s language, with their text outputs', async () => {
    const page = await built.page('analysis/index.html')
    expect(texts(page, 'pre code.language-python')).toContain('print("hello")\nimport sys\nprint("oops", file=sys.stderr)'.replace(/\s+/g, ' '))
    expect(text(page, '.output-stdout')).toBe('hello')
    expect(text(page, '.output-stderr')).toBe('oops')
    expect(texts(page, '.output-text')).toContain('2')
    // Terminal colour codes are taken out of a traceback.
    expect(text(page, '.output-error')).toBe('ValueError Traceback ValueError: bad')
    expect(text(page, '.output-markdown strong')).toBe('bold')
  })

  it('publishes image outputs as files, with alt text, and SVG sanitized', async () => {
    const page = await built.page('analysis/index.html')
    const images = selectAll('.output-image img', page)
    expect(images).toHaveLength(3)
    const [pngImage, jpegImage, svgImage] = images.map((img) => ({ src: String(img.properties['src']), alt: String(img.properties['alt']) }))
    expect(pngImage!.alt).toBe('Bar chart of codes per interview')
    expect(pngImage!.src).toMatch(/^output-[0-9a-f]{16}\.png$/)
    expect(jpegImage!.alt).toBe('Output of cell 6')
    expect(jpegImage!.src).toMatch(/\.jpg$/)
    expect(svgImage!.alt).toBe('A teal square')
    const published = await readFile(path.join(built.out, 'analysis', pngImage!.src))
    expect(published.equals(Buffer.from(png, 'base64'))).toBe(true)
    expect((await readFile(path.join(built.out, 'analysis', jpegImage!.src)))[0]).toBe(0xff)
    const svg = await readFile(path.join(built.out, 'analysis', svgImage!.src), 'utf8')
    expect(svg).toContain('<rect')
    expect(svg).not.toContain('script')
    // No image is inlined as data.
    expect(images.every((img) => !String(img.properties['src']).startsWith('data:'))).toBe(true)
  })

  it('sanitizes HTML outputs, and reports what it removes at its line in the notebook', async () => {
    const page = await built.page('analysis/index.html')
    expect(text(page, '.output-html td')).toBe('42')
    expect(attr(page, '.output-html td', 'onClick')).toBeUndefined()
    expect(select('.output-html script', page)).toBeUndefined()
    const sanitized = built.result.messages.filter((m) => m.ruleId === 'html-sanitized' && m.file.endsWith('analysis.ipynb'))
    const lines = sanitized.map((m) => m.line)
    expect(lines).toContain(lineOf(analysis, '<tr><td onclick'))
    expect(lines).toContain(lineOf(analysis, '<script>steal()'))
    // The SVG's script is reported at its line too.
    expect(lines).toContain(lineOf(analysis, '<script>alert(1)'))
  })

  it('honours the cell tags and Jupyter\'s hidden source', async () => {
    const page = await built.page('analysis/index.html')
    const main = text(page, 'main')
    expect(main).toContain('shown without its code')
    expect(main).not.toContain('secret_setup')
    expect(main).toContain('quiet()')
    expect(main).not.toContain('never shown')
    expect(main).not.toContain('gone()')
    expect(main).not.toContain('cell removed')
    expect(text(page, 'details.cell-input summary')).toBe('Show code')
    expect(texts(page, 'details.cell-input pre code')).toEqual(['folded()', 'hidden_by_jupyter()'])
    expect(main).toContain('folded output')
  })

  it('lets other pages reference its labels, and links to it go to its page', async () => {
    const home = await built.page('index.html')
    const hrefs = selectAll('main p a', home).map((a) => [String(a.properties['href']), a.children.length > 0 ? text({ type: 'root', children: [a] }, 'a') : ''])
    expect(hrefs).toEqual([
      ['./analysis/#coding-scheme', 'The coding scheme'],
      ['./analysis/#coding-scheme', 'The coding scheme'],
      ['./analysis/', 'the analysis'],
      ['./analysis/', 'Coding the interviews'],
    ])
    const page = await built.page('analysis/index.html')
    expect(text(page, '#coding-scheme')).toBe('The coding scheme')
    // The notebook itself is not published as a file.
    await expect(readFile(path.join(built.out, 'analysis.ipynb'))).rejects.toThrow()
  })

  it('places messages from markdown cells at their line in the .ipynb file', () => {
    const line = lineOf(analysis, 'See {nope}')
    const column = analysis.split('\n')[line - 1]!.indexOf('{nope}') + 1
    expect(where(built.result.messages.filter((m) => m.ruleId === 'role-known'))).toEqual([`content/analysis.ipynb:${line}:${column} role-known`])
  })

  it('reports an output it cannot show, and a toc entry of a kind it does not read', () => {
    const messages = built.result.messages
    // At the output: its `{` is four lines above its data.
    const line = lineOf(analysis, '"application/vnd') - 4
    expect(where(messages.filter((m) => m.ruleId === 'notebook-output-supported'))).toEqual([
      `content/analysis.ipynb:${line}:${analysis.split('\n')[line - 1]!.indexOf('{') + 1} notebook-output-supported`,
    ])
    expect(where(messages.filter((m) => m.ruleId === 'toc-file-supported'))).toEqual(['content/myst.yml:7:13 toc-file-supported'])
  })
})

describe('notebooks without a toc', () => {
  it('are pages beside the markdown files, unless a markdown file of the same name pairs them', async () => {
    const built = await buildProject({
      'myst.yml': 'version: 1\nproject:\n  title: Implicit\n',
      'index.md': '# Home\n',
      'explore.ipynb': notebook([code('x = 1', [])], { title: 'Exploring the data', language_info: { name: 'r' } }),
      'paired.ipynb': notebook([markdown('# From the notebook\n')]),
      'paired.md': '# From the markdown\n',
    })
    expect(where(built.result.messages.filter((m) => m.severity !== 'info'))).toEqual([])
    expect(built.result.pages).toEqual(expect.arrayContaining(['explore/index.html', 'paired/index.html']))
    const explore = await built.page('explore/index.html')
    // The notebook's metadata gives the title; the kernel's language names the code.
    expect(text(explore, 'h1')).toBe('Exploring the data')
    expect(text(explore, 'pre code.language-r')).toBe('x = 1')
    expect(text(await built.page('paired/index.html'), 'h1')).toBe('From the markdown')
  })
})

describe('a broken notebook', () => {
  it('is an error at the line and column of the JSON problem, and the build goes on', async () => {
    const broken = '{\n "cells": [\n  {"cell_type": "markdown", "source": ["# A"]},\n ]\n}\n'
    const built = await buildProject({
      'myst.yml': 'version: 1\nproject:\n  title: Broken\n',
      'index.md': '# Home\n',
      'broken.ipynb': broken,
      'deep.ipynb': `${'['.repeat(200_000)}${']'.repeat(200_000)}`,
      'old.ipynb': JSON.stringify({ cells: [], nbformat: 3, metadata: {} }),
    })
    expect(where(built.result.messages.filter((m) => m.severity === 'error'))).toEqual([
      'content/broken.ipynb:4:2 notebook-valid',
      'content/deep.ipynb:1:1 notebook-valid',
      'content/old.ipynb:1:1 notebook-valid',
    ])
    expect(built.result.messages.find((m) => m.file.endsWith('content/broken.ipynb'))?.reason).toBe('This notebook is not valid JSON: A list may not end with `,`: remove the comma before `]`')
  })

  it('past the size limit, is cut where the limit is crossed', async () => {
    const big = notebook([markdown('# Big\n'), code('print(data)', [{ output_type: 'stream', name: 'stdout', text: ['x'.repeat(2_200_000)] }]), markdown('After the limit\n')])
    const built = buildInMemory({ 'myst.yml': 'version: 1\nproject:\n  title: Big\n', 'big.ipynb': big })
    const line = lineOf(big, '"output_type": "stream"') - 1
    expect(where(built.messages.filter((m) => m.severity === 'error'))).toEqual([`content/big.ipynb:${line}:${big.split('\n')[line - 1]!.indexOf('{') + 1} content-size-within-limit`])
    const page = built.page('index.html')
    expect(text(page, 'main')).toContain('print(data)')
    expect(text(page, 'main')).not.toContain('After the limit')
  })
})

describe('the privacy guard', () => {
  it('reads notebooks, and finds a real name in a cell', async () => {
    const nb = notebook([markdown('# Notes\n'), code('print("x")', [{ output_type: 'stream', name: 'stdout', text: ['interviewed Jane Doe\n'] }])])
    const built = await buildProject(
      { 'myst.yml': 'version: 1\nproject:\n  title: Private\n', 'index.md': '# Home\n', 'notes.ipynb': nb },
      { roster: 'participants:\n  - id: P01\n    names: [Jane Doe]\n' },
    )
    expect(where(built.result.messages.filter((m) => m.ruleId === 'private-name-absent'))).toContain(
      `content/notes.ipynb:${lineOf(nb, 'interviewed Jane')}:${nb.split('\n')[lineOf(nb, 'interviewed Jane') - 1]!.indexOf('Jane') + 1} private-name-absent`,
    )
  })
})
