// `build --docx`: the full report as report.docx, published with the site.
// The document is unzipped and its XML read back as a tree, and mammoth reads
// it as Word would: heading styles, numbered findings and recommendations,
// quotes with attribution and paraphrase mark, tables, footnotes, bookmark
// links, an image with alt text, the document's properties, and the same
// bytes from the same report.

import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { unzipSync } from 'fflate'
import type { Element, Root } from 'hast'
import { fromHtml } from 'hast-util-from-html'
import mammoth from 'mammoth'
import { beforeAll, describe, expect, it } from 'vitest'
import { build } from '../src/build.js'
import { writeFile } from 'node:fs/promises'
import type { BuildResult } from '../src/build.js'
import { buildProject, repoRoot, select, selectAll, tempDir, texts, writeFiles } from './helpers.js'
import { png } from './bytes.js'
import { imageSize } from '../src/write/images.js'
import { renderDocx } from '../src/write/docx.js'

const registry = `participants:
  - id: P01
    role: Maintainer
    consent: anonymous
  - id: P02
    role: Deployer
    consent: anonymous
`

const fixture: Record<string, string> = {
  'report.yml': [
    'title: Small report',
    'subtitle: A fixture',
    'date: 2024-05-06',
    'language: en-GB',
    'description: A small report to print to Word.',
    'bibliography: [references.bib]',
    'docx: true',
    'authors:',
    '  - name: Ada Lovelace',
    '  - name: Alan Turing',
    'toc:',
    '  - file: index.md',
    '  - file: themes/review.md',
    '  - file: recommendations.md',
    '',
  ].join('\n'),
  'participants.yml': registry,
  'references.bib': '@book{lee2018,\n  author = {Lee, Ann},\n  title = {Communities of Practice in Software},\n  publisher = {Example Press},\n  year = {2018}\n}\n',
  'index.md': '# Small report\n\nAn opening paragraph. See [the slow review](#slow-review).\n',
  'themes/review.md': [
    '# Review',
    '',
    'Reviews are slow, as others found [@lee2018].[^why]',
    '',
    '[^why]: Because few people review.',
    '',
    ':::finding{#slow-review}',
    '## Pull requests wait too long',
    '',
    'Pull requests wait for weeks.',
    '',
    '> They sit for weeks.',
    '> — P01 (paraphrased)',
    '',
    '> I gave up.',
    '> — P02',
    ':::',
    '',
    '### A table',
    '',
    '| Week | Reviews |',
    '| --- | --- |',
    '| 1 | 4 |',
    '| 2 | 7 |',
    '',
    '![Reviews per week](chart.png)',
    '',
    'More in [the guide](https://example.org/guide).',
    '',
  ].join('\n'),
  'recommendations.md': '# Recommendations\n\n:::recommendation{#r-review addresses="slow-review"}\n## Share the review load\n\nRotate reviewers.\n\n1. Ask\n2. Rotate\n\nThen:\n\n1. Review\n:::\n',
}

interface Docx {
  bytes: Uint8Array
  files: Record<string, Uint8Array>
  xml(name: string): Element
}

async function readDocx(file: string): Promise<Docx> {
  const bytes = new Uint8Array(await readFile(file))
  const files = unzipSync(bytes)
  return { bytes, files, xml: (name) => parseXml(new TextDecoder().decode(files[name]!)) }
}

/** Word's XML as a hast tree, names kept as written (`w:p`); entities are decoded in text and attributes. */
function parseXml(xml: string): Element {
  const root: Element = { type: 'element', tagName: '#document', properties: {}, children: [] }
  const open: Element[] = [root]
  const decode = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')
  for (const [, close, name, attributes, selfClosing, text] of xml.replace(/<\?[^>]*\?>/g, '').matchAll(/<(\/?)([\w:.-]+)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>|([^<]+)/g)) {
    const parent = open[open.length - 1]!
    if (text !== undefined) parent.children.push({ type: 'text', value: decode(text) })
    else if (close) open.pop()
    else {
      const properties = Object.fromEntries([...attributes!.matchAll(/([\w:.-]+)="([^"]*)"/g)].map(([, key, value]) => [key!, decode(value!)]))
      const element: Element = { type: 'element', tagName: name!, properties, children: [] }
      parent.children.push(element)
      if (!selfClosing) open.push(element)
    }
  }
  return root
}

/** Every element named `name` under `node`, in document order. */
function all(node: Element, name: string): Element[] {
  return node.children.flatMap((child) => (child.type === 'element' ? [...(child.tagName === name ? [child] : []), ...all(child, name)] : []))
}
const first = (node: Element, name: string) => all(node, name)[0]
const children = (node: Element, name: string) => node.children.filter((c): c is Element => c.type === 'element' && c.tagName === name)
const squash = (text: string) => text.replace(/\s+/g, ' ').trim()
/** A paragraph's text, as Word shows it: its w:t elements, in order. */
const paragraphText = (p: Element) => squash(all(p, 'w:t').map((t) => (t.children[0]?.type === 'text' ? t.children[0].value : '')).join(''))
const styleOf = (p: Element) => {
  const style = first(p, 'w:pStyle')
  return style ? String(style.properties['w:val']) : undefined
}
const body = (doc: Element) => first(doc, 'w:body')!
/** Every body paragraph as [style, text], in order. */
const paragraphs = (doc: Element) => children(body(doc), 'w:p').map((p) => [styleOf(p), paragraphText(p)] as const)
const property = (doc: Element, name: string) => squash(first(doc, name)?.children.map((c) => (c.type === 'text' ? c.value : '')).join('') ?? '')
const bookmarked = (doc: Element, name: string) => children(body(doc), 'w:p').find((p) => all(p, 'w:bookmarkStart').some((b) => b.properties['w:name'] === name))

let project: { content: string; out: string; result: BuildResult; page(file: string): Promise<Root> }
let small: Docx

beforeAll(async () => {
  const dir = await tempDir()
  const content = path.join(dir, 'content')
  const out = path.join(dir, 'dist')
  await writeFiles(content, fixture)
  await writeFile(path.join(content, 'themes/chart.png'), png([]))
  const result = await build({ contentDir: content, outDir: out, cache: false })
  project = { content, out, result, page: async (file) => fromHtml(await readFile(path.join(out, file), 'utf8')) }
  small = await readDocx(path.join(out, 'report.docx'))
}, 60_000)

describe('build --docx on a small report', () => {
  it('writes report.docx beside the pages and offers it on the landing page', async () => {
    expect(project.result.messages.filter((m) => m.severity === 'error')).toEqual([])
    expect(project.result.written).toBe(true)
    const landing = await project.page('index.html')
    const link = select('p.download a[href$="report.docx"]', landing)
    expect(link?.properties['href']).toBe('./report.docx')
    expect(texts(landing, 'p.download a')).toContain('Download Word document')
  })

  it('gives the title, chapters, findings and sections Word heading styles, in order, with their numbers', () => {
    const headings = paragraphs(small.xml('word/document.xml')).filter(([style]) => style === 'Title' || style?.startsWith('Heading'))
    expect(headings).toEqual([
      ['Title', 'Small report'],
      // The opening chapter, titled as the report, is not given the title again (the full report's opening).
      ['Heading1', 'Review'],
      ['Heading2', 'Finding 1: Pull requests wait too long'],
      ['Heading3', 'A table'],
      ['Heading2', 'References'],
      ['Heading1', 'Recommendations'],
      ['Heading2', 'Recommendation 1: Share the review load'],
      ['Heading1', 'Cite this report'],
    ])
  })

  it('starts with a title page: title, subtitle, authors and date', () => {
    const body = paragraphs(small.xml('word/document.xml'))
    expect(body.slice(0, 6)).toEqual([
      ['Title', 'Small report'],
      ['Subtitle', 'A fixture'],
      [undefined, 'Ada Lovelace'],
      [undefined, 'Alan Turing'],
      [undefined, 'Published: 6 May 2024'],
      [undefined, 'An opening paragraph. See the slow review.'],
    ])
    // Word starts each chapter on a page of its own, as the PDF does.
    const heading1 = all(small.xml('word/styles.xml'), 'w:style').find((style) => style.properties['w:styleId'] === 'Heading1')!
    expect(first(heading1, 'w:pageBreakBefore')).toBeDefined()
  })

  it('keeps quotes with their attribution and paraphrase mark, after the finding they support', () => {
    const body = paragraphs(small.xml('word/document.xml'))
    const finding = body.findIndex(([, text]) => text === 'Finding 1: Pull requests wait too long')
    const quotes = body.slice(finding).filter(([style]) => style === 'Quote' || style === 'Attribution')
    expect(quotes).toEqual([
      ['Quote', 'They sit for weeks.'],
      ['Attribution', '— P01, Maintainer (paraphrased)'],
      ['Quote', 'I gave up.'],
      ['Attribution', '— P02, Deployer'],
    ])
  })

  it('writes the table as a Word table with a header row', () => {
    const table = children(body(small.xml('word/document.xml')), 'w:tbl')[0]!
    const rows = all(table, 'w:tr').map((tr) => all(tr, 'w:tc').map((tc) => paragraphText(tc)))
    expect(rows).toEqual([['Week', 'Reviews'], ['1', '4'], ['2', '7']])
    expect(all(table, 'w:tr').map((tr) => first(tr, 'w:tblHeader') !== undefined)).toEqual([true, false, false])
  })

  it('makes footnotes Word footnotes, referenced where the site puts their number', () => {
    const doc = small.xml('word/document.xml')
    const cited = children(body(doc), 'w:p').find((p) => paragraphText(p).startsWith('Reviews are slow'))!
    expect(paragraphText(cited)).toBe('Reviews are slow, as others found (Lee, 2018).')
    expect(first(cited, 'w:footnoteReference')?.properties['w:id']).toBe('1')
    const note = all(small.xml('word/footnotes.xml'), 'w:footnote').find((f) => f.properties['w:id'] === '1')!
    expect(paragraphText(note)).toBe('Because few people review.')
  })

  it('links citations and cross-references to bookmarks that exist, and lists the references', () => {
    const doc = small.xml('word/document.xml')
    const bookmarks = new Set(all(doc, 'w:bookmarkStart').map((b) => String(b.properties['w:name'])))
    const links = all(doc, 'w:hyperlink').filter((a) => a.properties['w:anchor'] !== undefined && a.properties['r:id'] === undefined)
    const byText = new Map(links.map((a) => [paragraphText(a), String(a.properties['w:anchor'])]))
    expect(byText.get('the slow review')).toBeDefined()
    expect(byText.get('(Lee, 2018)')).toBeDefined()
    expect(byText.get('Recommendation 1: Share the review load')).toBeDefined()
    for (const anchor of byText.values()) expect(bookmarks.has(anchor), anchor).toBe(true)
    // The cross-reference lands on the finding's heading.
    expect(paragraphText(bookmarked(doc, byText.get('the slow review')!)!)).toBe('Finding 1: Pull requests wait too long')
    expect(paragraphText(bookmarked(doc, byText.get('(Lee, 2018)')!)!)).toBe('Lee, A. (2018). Communities of Practice in Software. Example Press.')
  })

  it('numbers each ordered list from 1: every list is its own instance of the numbering', () => {
    const numbered = children(body(small.xml('word/document.xml')), 'w:p')
      .filter((p) => first(p, 'w:numPr') !== undefined && ['Ask', 'Rotate', 'Review'].includes(paragraphText(p)))
      .map((p) => [paragraphText(p), String(first(p, 'w:numId')?.properties['w:val'])])
    expect(numbered.map(([text]) => text)).toEqual(['Ask', 'Rotate', 'Review'])
    expect(numbered[0]![1]).toBe(numbered[1]![1])
    expect(numbered[2]![1]).not.toBe(numbered[0]![1])
  })

  it('links outside the site through relationships that exist', () => {
    const rels = all(small.xml('word/_rels/document.xml.rels'), 'Relationship')
    const used = all(small.xml('word/document.xml'), 'w:hyperlink').filter((a) => a.properties['r:id'] !== undefined)
    expect(used.map((a) => paragraphText(a))).toEqual(['the guide'])
    const target = rels.find((r) => r.properties['Id'] === used[0]!.properties['r:id'])
    expect(target?.properties['Target']).toBe('https://example.org/guide')
  })

  it('embeds the image with its alt text', async () => {
    const doc = small.xml('word/document.xml')
    const drawing = first(doc, 'wp:docPr')
    expect(drawing?.properties['descr']).toBe('Reviews per week')
    const media = Object.keys(small.files).filter((name) => name.startsWith('word/media/'))
    expect(media).toHaveLength(1)
    expect([...small.files[media[0]!]!]).toEqual([...new Uint8Array(await readFile(path.join(project.content, 'themes/chart.png')))])
  })

  it('names the title, authors, description and language in the document properties, dated from the report', () => {
    const core = small.xml('docProps/core.xml')
    const value = (name: string) => property(core, name)
    expect(value('dc:title')).toBe('Small report')
    expect(value('dc:creator')).toBe('Ada Lovelace; Alan Turing')
    expect(value('dc:description')).toBe('A small report to print to Word.')
    expect(value('dc:language')).toBe('en-GB')
    expect(value('dcterms:created')).toBe('2024-05-06T00:00:00Z')
    expect(value('dcterms:modified')).toBe('2024-05-06T00:00:00Z')
  })

  it('reads in mammoth as headings, a blockquote-like quote, a table and a footnote', async () => {
    const { value: html } = await mammoth.convertToHtml(
      { buffer: Buffer.from(small.bytes) },
      { styleMap: ["p[style-name='Quote'] => blockquote > p:fresh", "p[style-name='Attribution'] => p.attribution:fresh"] },
    )
    const tree = fromHtml(html, { fragment: true })
    expect(texts(tree, 'h2')).toEqual(['Finding 1: Pull requests wait too long', 'References', 'Recommendation 1: Share the review load'])
    expect(texts(tree, 'blockquote p')).toEqual(['They sit for weeks.', 'I gave up.'])
    expect(texts(tree, 'p.attribution')[0]).toBe('— P01, Maintainer (paraphrased)')
    expect(texts(tree, 'table tr')).toEqual(['WeekReviews', '14', '27'])
    expect(texts(tree, 'table th')).toEqual(['Week', 'Reviews'])
    expect(select('a[href="https://example.org/guide"]', tree)).toBeDefined()
    expect(texts(tree, 'li[id^="footnote"]')[0]).toMatch(/^Because few people review\./)
    expect(select('img[alt="Reviews per week"]', tree)).toBeDefined()
  })
})

describe('a build without --docx', () => {
  it('writes no report.docx and offers none', async () => {
    const project = await buildProject({ ...fixture, 'themes/chart.png': '', 'report.yml': fixture['report.yml']!.replace('docx: true\n', '') })
    expect(project.result.written).toBe(true)
    await expect(stat(path.join(project.out, 'report.docx'))).rejects.toThrow()
    expect(selectAll('a[href$="report.docx"]', await project.page('index.html'))).toEqual([])
  })
})

describe('build --docx on the default report', () => {
  it('writes the same bytes twice, with zip entries dated from the report, and every finding and recommendation numbered', async () => {
    const dir = await tempDir()
    const first = await build({ contentDir: path.join(repoRoot, 'content'), outDir: path.join(dir, 'a'), docx: true, cache: false })
    const second = await build({ contentDir: path.join(repoRoot, 'content'), outDir: path.join(dir, 'b'), docx: true, cache: false })
    expect(first.written && second.written).toBe(true)
    const a = await readDocx(path.join(dir, 'a', 'report.docx'))
    const b = await readDocx(path.join(dir, 'b', 'report.docx'))
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true)
    // The DOS date in each local file header: 2025-09-03, the report's date.
    const view = new DataView(a.bytes.buffer, a.bytes.byteOffset)
    const dosDate = view.getUint16(12, true)
    expect([(dosDate >> 9) + 1980, (dosDate >> 5) & 15, dosDate & 31]).toEqual([2025, 9, 3])
    const headings = paragraphs(a.xml('word/document.xml')).filter(([style]) => style === 'Heading2').map(([, text]) => text)
    const findings = headings.filter((h) => h.startsWith('Finding '))
    const recommendations = headings.filter((h) => h.startsWith('Recommendation '))
    expect(findings.map((h) => Number(/^Finding (\d+):/.exec(h)?.[1]))).toEqual(Array.from({ length: 27 }, (_, i) => i + 1))
    expect(recommendations.map((h) => Number(/^Recommendation (\d+):/.exec(h)?.[1]))).toEqual(Array.from({ length: 9 }, (_, i) => i + 1))
    expect(property(a.xml('docProps/core.xml'), 'dc:title')).toBe('Voices of JupyterHub')
  }, 120_000)
})

describe('image sizes for Word', () => {
  it('reads the width and height of a PNG, GIF, BMP and JPEG from its header, and nothing from anything else', () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x32, 0x00, 0x64, 0x03, 0, 0, 0, 0, 0, 0])
    const gif = Buffer.from('GIF89a\x0c\x00\x22\x00', 'latin1')
    const bmp = Buffer.alloc(26)
    bmp.write('BM', 0, 'latin1')
    bmp.writeInt32LE(7, 18)
    bmp.writeInt32LE(-5, 22)
    expect(imageSize(png([]))).toEqual({ type: 'png', width: 1, height: 1 })
    expect(imageSize(jpeg)).toEqual({ type: 'jpg', width: 100, height: 50 })
    expect(imageSize(gif)).toEqual({ type: 'gif', width: 12, height: 34 })
    expect(imageSize(bmp)).toEqual({ type: 'bmp', width: 7, height: 5 })
    expect(imageSize(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined()
  })
})

describe('renderDocx', () => {
  it('reports docx-renders, and makes nothing, when the site has no full report', async () => {
    const made = await renderDocx({ files: new Map(), title: 'T', date: new Date(0) })
    expect(made.docx).toBeUndefined()
    expect(made.messages.map((m) => [m.file, m.ruleId, m.severity, m.reason])).toEqual([
      ['full-report/index.html', 'docx-renders', 'error', 'The Word document could not be made: the site has no page full-report/index.html'],
    ])
  })
})
