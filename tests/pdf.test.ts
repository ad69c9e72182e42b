// `build --pdf`: Chromium prints the full report to report.pdf, published
// with the site. The PDF is read back with tests/pdf.ts and with pdf.js, and
// checked for a title page without header or footer, contents with parts and
// the pages chapters start on, running headers and page numbers, page numbers
// after cross-references, an outline, the document information, and internal
// links that land on the right page. Three pages are drawn to PNG in
// test-artifacts/ to look at.

import { mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { build, type BuildResult } from '../src/build.js'
import { renderPdf } from '../src/write/pdf.js'
import { attr, buildInMemory, buildProject, repoRoot, selectAll, tempDir, texts } from './helpers.js'
import { readPdf, type PdfDocument } from './pdf.js'
import { pdfPagesToPng } from './pdf-pages.js'
import { fromHtml } from 'hast-util-from-html'
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'

const out = path.join(await tempDir(), 'dist')
let result: BuildResult
let pdf: PdfDocument
let bytes: Uint8Array
let chapters: { id: string; title: string; part: string | null }[]

const squash = (text: string) => text.replace(/\s+/g, ' ').trim()
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

beforeAll(async () => {
  result = await build({ contentDir: path.join(repoRoot, 'content'), outDir: out, pdf: true })
  bytes = new Uint8Array(await readFile(path.join(out, 'report.pdf')))
  pdf = readPdf(bytes)
  const fullReport = fromHtml(await readFile(path.join(out, 'full-report/index.html'), 'utf8'))
  const parts = new Map(selectAll('.report-part-title', fullReport).map((h) => [String(h.properties['id']), squash(texts({ type: 'root', children: [h] }, 'h2')[0] ?? '')]))
  chapters = selectAll('section.chapter-section', fullReport).map((section) => ({
    id: String(section.properties['id']),
    title: squash(texts({ type: 'root', children: [section] }, 'section > h2')[0] ?? ''),
    part: parts.get(String(section.properties['dataPart'])) ?? null,
  }))
}, 180_000)

describe('build --pdf', () => {
  it('publishes report.pdf with the site', () => {
    expect(result.messages.filter((m) => m.severity === 'error')).toEqual([])
    expect(result.written).toBe(true)
    expect(chapters.length).toBeGreaterThan(5)
    expect(pdf.pages.length).toBeGreaterThan(chapters.length)
    expect(pdf.title).toBe('Voices of JupyterHub')
  })

  it('starts with a title page holding the title, and nothing of the chapters', async () => {
    const report = await readFile(path.join(repoRoot, 'content/report.yml'), 'utf8')
    const subtitle = /^subtitle: "(.*)"$/m.exec(report)![1]!
    const first = pdf.pages[0]!
    expect(first.startsWith('Voices of JupyterHub')).toBe(true)
    expect(first).toContain(subtitle)
    expect(first).toContain('Dan Sholler')
    expect(first).not.toContain('Contents')
    expect(first).not.toContain(chapters[1]!.title)
  })

  it('starts each chapter on a page headed by its title, under its part where it opens one', () => {
    const firstOfPart = new Set(chapters.filter((c, i) => c.part !== null && chapters[i - 1]?.part !== c.part).map((c) => c.id))
    for (const chapter of chapters) {
      const page = pdf.destinations.get(chapter.id)!
      const opening = firstOfPart.has(chapter.id) ? `${chapter.part} ${chapter.title}` : chapter.title
      expect(pdf.pages[page], chapter.title).toMatch(new RegExp(`^${escape(chapter.title)} Page ${page + 1} of ${pdf.pages.length} ${escape(opening)}`))
    }
    // Before the first chapter, the report's title heads the page.
    expect(pdf.pages[1]!.startsWith(`Voices of JupyterHub Page 2 of ${pdf.pages.length} `)).toBe(true)
  })

  it('keeps the title page free of running header and footer', () => {
    expect(pdf.pages[0]).not.toMatch(/Page \d+ of/)
    expect(pdf.pages[0]!.split('Voices of JupyterHub').length - 1).toBe(1)
  })

  it('numbers every page after the title page in its running footer', () => {
    pdf.pages.slice(1).forEach((page, i) => expect(page).toContain(`Page ${i + 2} of ${pdf.pages.length}`))
  })

  it('lists parts and chapters in the contents with the pages where they start', async () => {
    const doc = await getDocument({ data: bytes.slice(), isEvalSupported: false }).promise
    const contents = await (await doc.getPage(2)).getTextContent()
    // Text items by line, top to bottom, each line read left to right.
    const lines = new Map<number, { x: number; text: string }[]>()
    for (const item of contents.items) {
      if (!('str' in item) || item.str.trim() === '') continue
      const y = -Math.round(item.transform[5] as number)
      lines.set(y, [...(lines.get(y) ?? []), { x: item.transform[4] as number, text: item.str.trim() }])
    }
    const entries = [...lines].sort((a, b) => a[0] - b[0]).map(([, line]) => line.sort((a, b) => a.x - b.x).map((item) => item.text).join(' '))
    for (const chapter of chapters) expect(entries, chapter.title).toContain(`${chapter.title} ${pdf.destinations.get(chapter.id)! + 1}`)
    const parts = [...new Set(chapters.map((c) => c.part).filter((p) => p !== null))]
    expect(parts).toEqual(['Overview', 'What works', 'What strains', 'What next', 'Back matter'])
    for (const part of parts) {
      const first = chapters.find((c) => c.part === part)!
      expect(entries, part).toContain(`${part} ${pdf.destinations.get(first.id)! + 1}`)
    }
    // The landing page, titled as the report, opens it under the title block and is not listed again.
    expect(entries.slice(0, 3)).toEqual(['Voices of JupyterHub', 'Contents', `Overview ${pdf.destinations.get('chapter-summary')! + 1}`])
    await doc.destroy()
  })

  it('gives the page of a cross-reference to another page', () => {
    const page = pdf.destinations.get('slow-review')! + 1
    const all = pdf.pages.join(' ')
    expect(all).toContain(`Finding 26: Pull requests wait too long (p. ${page})`)
    // Never the page a reference is already on.
    pdf.pages.forEach((text, i) => expect(text).not.toContain(`(p. ${i + 1})`))
  })

  it('has an outline of parts, their chapters and the findings in them', async () => {
    const doc = await getDocument({ data: bytes.slice(), isEvalSupported: false }).promise
    const outline = await doc.getOutline()
    const titles = outline.map((entry: { title: string }) => squash(entry.title))
    // The opening's own sections come before the first part; the report's title is not repeated.
    expect(titles.slice(0, 2)).toEqual(['Voices of JupyterHub', 'Contents'])
    expect(titles.filter((title) => title === 'Voices of JupyterHub')).toHaveLength(1)
    expect(titles.indexOf('Overview')).toBeGreaterThan(1)
    const works = outline.find((entry) => entry.title === 'What works')!
    expect(works.items.map((entry) => entry.title)).toEqual(['Opening computing to learners', 'Catalyzing research', 'The people behind the success'])
    expect(works.items[0]!.items.map((entry: { title: string }) => entry.title)).toEqual(['Teaching without installation headaches', 'Equal footing across backgrounds and disciplines', 'Local control with shared support'])
    await doc.destroy()
  })

  it('names its title, authors, subject and language in the document information', async () => {
    const doc = await getDocument({ data: bytes.slice(), isEvalSupported: false }).promise
    const info = (await doc.getMetadata()).info as Record<string, unknown>
    expect(info['Title']).toBe('Voices of JupyterHub')
    expect(info['Author']).toBe('Dan Sholler, Beth Duckles, Jonah Duckles')
    expect(info['Language']).toBe('en')
    expect(String(info['Subject'])).toMatch(/^An interview study of how the JupyterHub/)
    expect(info['CreationDate']).toBe("D:20250903000000+00'00'")
    await doc.destroy()
  })

  it('prints the same bytes when built again later', async () => {
    const again = path.join(await tempDir(), 'dist')
    await build({ contentDir: path.join(repoRoot, 'content'), outDir: again, pdf: true })
    expect(Buffer.from(await readFile(path.join(again, 'report.pdf'))).equals(Buffer.from(bytes))).toBe(true)
  }, 180_000)

  it('draws the title page, the contents and the first page of a part to PNG in test-artifacts/', async () => {
    const firstPart = pdf.destinations.get(chapters.find((c) => c.part === 'What works')!.id)! + 1
    const images = await pdfPagesToPng(bytes, [1, 2, firstPart])
    const dir = path.join(repoRoot, 'test-artifacts')
    await mkdir(dir, { recursive: true })
    for (const [i, name] of ['pdf-title-page', 'pdf-contents', 'pdf-part-opening'].entries()) {
      expect(Buffer.from(images[i]!).subarray(1, 4).toString()).toBe('PNG')
      await writeFile(path.join(dir, `${name}.png`), images[i]!)
    }
  }, 120_000)

  it('keeps internal links working: the contents jump to the page where each chapter starts', () => {
    const internal = pdf.links.filter((l) => l.dest !== undefined)
    expect(internal.length).toBeGreaterThan(chapters.length)
    expect(internal.filter((l) => !pdf.destinations.has(l.dest!))).toEqual([])
    for (const chapter of chapters) {
      expect(internal.some((l) => l.dest === chapter.id), chapter.id).toBe(true)
      const page = pdf.destinations.get(chapter.id)
      expect(page, chapter.id).toBeDefined()
      expect(pdf.pages[page!]!.startsWith(chapter.title), chapter.title).toBe(true)
    }
    // A cross-reference to a finding lands on the page that shows it.
    const target = pdf.destinations.get('slow-review')
    expect(target).toBeDefined()
    expect(pdf.pages[target!]).toMatch(/Finding \d+ Pull requests wait too long/i)
  })

  it('prints for paper: no navigation or controls, numbered findings, external link targets', () => {
    const all = pdf.pages.join(' ')
    for (const furniture of ['Skip to main content', 'Search the report', 'Dark theme', 'Copy citation']) {
      expect(all).not.toContain(furniture)
    }
    expect(all).toMatch(/Finding 1 Teaching without installation headaches/i)
    expect(all).toMatch(/Recommendation 1 Be proud of the project/i)
    expect(all).toContain('(https://creativecommons.org/publicdomain/zero/1.0/)')
    expect(pdf.links.some((l) => l.uri?.startsWith('https://orcid.org/'))).toBe(true)
  })

  it('is offered on the landing page and in the citation tags', async () => {
    const landing = fromHtml(await readFile(path.join(out, 'index.html'), 'utf8'))
    expect(texts(landing, 'a[href$="report.pdf"]')).toEqual(['Download PDF'])
    expect(attr(landing, 'a[href$="report.pdf"]', 'href')).toBe('./report.pdf')
    expect(attr(landing, 'meta[name="citation_pdf_url"]', 'content')).toBe('./report.pdf')
    const size = (await stat(path.join(out, 'report.pdf'))).size
    expect(size).toBeGreaterThan(50_000)
  })
})

describe('when the PDF cannot be made', () => {
  it('says why, with a hint, and the build publishes nothing', async () => {
    const missing = await renderPdf({ files: new Map([['full-report/index.html', '<p>x</p>']]), assetDirs: [], title: 'T', chromiumPath: '/no/such/chromium' })
    expect(missing.pdf).toBeUndefined()
    expect(missing.messages.map((m) => [m.ruleId, m.severity])).toEqual([['pdf-renders', 'error']])
    expect(missing.messages[0]!.reason).toContain('/no/such/chromium')
    expect(missing.messages[0]!.hint).toContain('CHROMIUM_PATH')

    const previous = process.env['CHROMIUM_PATH']
    process.env['CHROMIUM_PATH'] = '/no/such/chromium'
    try {
      const project = await buildProject({ 'index.md': '# A report\n\nText.\n' }, { write: true })
      expect(project.result.written).toBe(true)
      const again = await build({ contentDir: project.content, outDir: project.out, pdf: true })
      expect(again.written).toBe(false)
      expect(again.messages.map((m) => m.ruleId)).toContain('pdf-renders')
      await expect(stat(path.join(project.out, 'report.pdf'))).rejects.toThrow()
      expect(await readFile(path.join(project.out, 'index.html'), 'utf8')).not.toContain('Download PDF')
    } finally {
      if (previous === undefined) delete process.env['CHROMIUM_PATH']
      else process.env['CHROMIUM_PATH'] = previous
    }
  })
})

describe('the full report, before it is printed', () => {
  it('lists its chapters under their parts, and opens each part with its title', () => {
    const site = buildInMemory({
      'report.yml': 'title: Shared computing\ntoc:\n  - file: index.md\n  - title: What works\n    children:\n      - file: a.md\n      - file: b.md\n  - title: What next\n    children:\n      - file: c.md\n',
      'index.md': '# Shared computing\n\nOpening.\n',
      'a.md': '# Teaching\n\nText.\n',
      'b.md': '# Research\n\nText.\n',
      'c.md': '# Ways forward\n\nText.\n',
    })
    const page = site.page('full-report/index.html')
    // The landing page, titled as the report, opens it without a heading, so the contents list only the parts.
    expect(texts(page, '.full-contents > ul > li > a')).toEqual(['What works', 'What next'])
    expect(texts(page, '.full-contents .contents-part > ul > li > a')).toEqual(['Teaching', 'Research', 'Ways forward'])
    expect(selectAll('.full-contents ol', page)).toEqual([])
    expect(selectAll('.generated-part > :is(h2.report-part-title, .chapter-section)', page).map((e) => String(e.properties['id']))).toEqual([
      'chapter-home',
      'part--1',
      'chapter-a',
      'chapter-b',
      'part--2',
      'chapter-c',
    ])
    expect(attr(page, '.full-contents .contents-part a', 'href')).toBe('#part--1')
    expect(selectAll('section.chapter-section[data-part="part--1"]', page).map((e) => e.properties['id'])).toEqual(['chapter-a', 'chapter-b'])
    // The book layout is loaded by this page alone, for print.
    expect(attr(page, 'link[href$="print.css"]', 'media')).toBe('print')
    expect(selectAll('link[href$="print.css"]', site.page('a/index.html'))).toEqual([])
  })
})
